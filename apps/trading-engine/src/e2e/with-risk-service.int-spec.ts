import { RpcPatterns } from '@trading/contracts';
import { repoRoot, testRedisUrl } from '@trading/testing';
import { RpcClient } from '@trading/streams';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { v7 } from 'uuid';
import { EngineHarness, EngineProcess } from './engine.fixture';

/** The engine against the real risk service (built, as a process): allow, the kill switch, and risk stopped. */
describe('trading-engine with the real risk service', () => {
  const h = new EngineHarness();
  let risk: EngineProcess;
  let rpc: RpcClient;

  beforeAll(async () => {
    await h.start('trading_engine_risk', { standInRisk: false });
    execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/risk/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: h.db.url } });
    risk = await h.startService('risk', 'risk-a');
    await h.startEngine('engine-r');
    rpc = new RpcClient({ redisUrl: testRedisUrl(), namespace: h.namespace, defaultTimeoutMs: 5000 });
  }, 120_000);

  afterAll(async () => {
    await rpc?.close();
    await h.stop();
  }, 30_000);

  const ordersOf = (botId: string) => h.query<{ status: string; rejection_reason: string | null; reason_codes: string[] | null; side: string }>(`SELECT status, rejection_reason, reason_codes, side FROM trading.orders WHERE bot_id = $1 ORDER BY created_at`, [botId]);

  it('risk allows, then its kill switch denies, then with risk stopped nothing is placed', async () => {
    const bot = h.addBot({ initialCapital: '10000', positionSizePct: '10' });
    await h.cacheTicker(bot.exchange, bot.symbol, '40000', '2030-01-01T00:00:00.000Z');
    await h.publishSignals([h.signal(bot, 'long', '2026-03-01T00:00:00.000Z', '40000')]);
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 1, 'first order');
    expect(await ordersOf(bot.id)).toMatchObject([{ status: 'filled', side: 'buy' }]);

    await rpc.send(RpcPatterns.RiskTradingStateSet, { caller: { userId: v7(), role: 'admin' }, scope: 'global', scopeId: null, state: 'HALTED', reason: 'test kill switch' });
    await h.publishSignals([h.signal(bot, 'flat', '2026-03-01T00:01:00.000Z', '40000')]);
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 2, 'second order');
    const denied = (await ordersOf(bot.id))[1];
    expect(denied).toMatchObject({ status: 'rejected', rejection_reason: 'risk_denied' });
    expect(denied?.reason_codes?.join(',')).toMatch(/HALT/);

    await h.kill(risk, 'SIGTERM');
    await h.publishSignals([h.signal(bot, 'flat', '2026-03-01T00:02:00.000Z', '40000')]);
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 3, 'third order');
    expect((await ordersOf(bot.id))[2]).toMatchObject({ status: 'rejected', rejection_reason: 'risk_unavailable' });
    expect(await h.query(`SELECT count(*)::int AS n FROM trading.trades WHERE bot_id = $1`, [bot.id])).toEqual([{ n: 1 }]);
  });
});
