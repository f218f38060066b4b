import 'reflect-metadata';
import { RpcPatterns } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import fastify from 'fastify';

/**
 * The gateway bench's baselines, run as their own process: a bare Fastify server (no Nest, no logging, no
 * auth, no validation) with `GET /bots` answering either
 *  - `static`: the same JSON the gateway answered, from memory (BENCH_BODY), or
 *  - `forward`: the same RPC the gateway makes (strategy.bots.list for BENCH_USER_ID over Redis).
 * `node bare-fastify.server.js <port> static|forward`
 */
async function main(): Promise<void> {
  const [port, mode] = [Number(process.argv[2]), process.argv[3]];
  const app = fastify({ logger: false });
  if (mode === 'static') {
    const body: unknown = JSON.parse(process.env.BENCH_BODY ?? 'null');
    app.get('/bots', async () => body);
  } else if (mode === 'forward') {
    const rpc = new RpcClient({ redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', namespace: process.env.REDIS_NAMESPACE ?? '', defaultTimeoutMs: 5000 });
    const caller = { userId: process.env.BENCH_USER_ID ?? '', role: 'trader' as const };
    app.get('/bots', () => rpc.send(RpcPatterns.StrategyBotsList, { caller }));
    app.addHook('onClose', () => rpc.close());
  } else {
    throw new Error(`mode must be static or forward, not ${mode}`);
  }
  await app.listen({ port, host: '127.0.0.1' });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`bare fastify: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
