import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { PrivateRedis, waitUntil } from '../outbox/private-redis.fixture';
import { deleteDeadConsumers } from '../server/dead-consumers';
import { LuaCommand } from './lua-command';

const INCR_LUA = `return redis.call('INCRBY', KEYS[1], ARGV[1])`;
const incrBy = new LuaCommand<number>('testLuaIncrBy', INCR_LUA, 1);
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * A private redis-server: MONITOR shows exactly what this suite's connections send, and SCRIPT FLUSH
 * empties no script cache other suites rely on.
 */
describe('LuaCommand (scripts by SHA1, on a private redis-server)', () => {
  let server: PrivateRedis;
  let client: Redis;
  let admin: Redis;
  let monitored: Redis;
  let monitor: Redis;
  /** EVAL / EVALSHA commands Redis received, in order: [command, script text or SHA1]. */
  const scripts: Array<[string, string]> = [];

  beforeAll(async () => {
    server = await PrivateRedis.allocate();
    await server.start();
    client = server.client();
    admin = server.client();
    monitored = server.client();
    monitor = await monitored.monitor();
    monitor.on('monitor', (_time: string, args: string[]) => {
      const command = args[0]?.toLowerCase();
      if (command === 'eval' || command === 'evalsha') scripts.push([command, args[1]]);
    });
  });

  beforeEach(() => {
    scripts.length = 0;
  });

  afterAll(async () => {
    client?.disconnect();
    admin?.disconnect();
    monitor?.disconnect();
    monitored?.disconnect();
    await server?.stop();
  });

  it('sends the SHA1; the text only once per Redis, after its NOSCRIPT; results as EVAL gives', async () => {
    expect(await incrBy.run(client, ['counter:a'], [5])).toBe(5);
    expect(await incrBy.run(client, ['counter:a'], [2])).toBe(7);
    expect(await incrBy.run(client, ['counter:b'], [1])).toBe(1);
    await waitUntil('Redis saw four script calls', async () => scripts.length === 4);
    expect(scripts).toEqual([
      ['evalsha', sha1(INCR_LUA)],
      ['eval', INCR_LUA],
      ['evalsha', sha1(INCR_LUA)],
      ['evalsha', sha1(INCR_LUA)],
    ]);

    const second = server.client();
    try {
      expect(await incrBy.run(second, ['counter:a'], [1])).toBe(8);
      await waitUntil('Redis saw the new connection call', async () => scripts.length === 5);
      // The script cache is the server's: a new connection sends only the hash.
      expect(scripts[4]).toEqual(['evalsha', sha1(INCR_LUA)]);
    } finally {
      second.disconnect();
    }
  });

  it('is safe under auto-pipelining: a first call in the same tick as other commands neither throws nor misaligns replies', async () => {
    await admin.script('FLUSH');
    const fresh = new LuaCommand<number>('testLuaFresh', `return tonumber(redis.call('INCRBY', KEYS[1], ARGV[1])) * 10`, 1);
    const piped = server.client({ enableAutoPipelining: true });
    try {
      // Other commands open an auto-pipeline in this tick; the script's first EVALSHA joins it, is refused (NOSCRIPT),
      // and its EVAL follows; every caller gets its own reply.
      const results = await Promise.all([
        piped.set('ap:k', 'v'),
        fresh.run(piped, ['ap:n'], [1]),
        piped.get('ap:k'),
        fresh.run(piped, ['ap:m'], [2]),
        piped.incr('ap:c'),
        ...Array.from({ length: 20 }, () => fresh.run(piped, ['ap:x'], [1])),
      ]);
      expect(results.slice(0, 5)).toEqual(['OK', 10, 'v', 20, 1]);
      expect((results.slice(5) as number[]).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 10));
    } finally {
      piped.disconnect();
    }
  });

  it('still runs after SCRIPT FLUSH: the NOSCRIPT answer makes it send the text again, once', async () => {
    const key = 'events:audit';
    const fresh = server.client();
    try {
      await admin.xgroup('CREATE', key, 'g', '0', 'MKSTREAM');
      await admin.call('XGROUP', 'CREATECONSUMER', key, 'g', 'ghost');
      expect(await incrBy.run(fresh, ['counter:c'], [1])).toBe(1);
      expect(await incrBy.run(fresh, ['counter:c'], [1])).toBe(2);
      expect(await deleteDeadConsumers(fresh, key, 'g', 'me', 3_600_000)).toEqual([]);

      expect(await admin.script('FLUSH')).toBe('OK');
      expect(await admin.script('EXISTS', sha1(INCR_LUA))).toEqual([0]);

      // A test script and RedisStreamsServer's dead-consumer script, both loaded on this connection before the flush.
      expect(await incrBy.run(fresh, ['counter:c'], [1])).toBe(3);
      await new Promise((r) => setTimeout(r, 5));
      expect(await deleteDeadConsumers(fresh, key, 'g', 'me', 1)).toEqual(['ghost']);
      expect(await incrBy.run(fresh, ['counter:c'], [1])).toBe(4);

      const incrCalls = () => scripts.filter(([, body]) => body === INCR_LUA || body === sha1(INCR_LUA)).map(([command]) => command);
      await waitUntil('Redis saw the six calls of the test script', async () => incrCalls().length === 6);
      // Hash (refused: the earlier tests' flush), text, hash; after this flush the hash is refused, the text goes once, then the hash again.
      expect(incrCalls()).toEqual(['evalsha', 'eval', 'evalsha', 'evalsha', 'eval', 'evalsha']);
      expect(await admin.script('EXISTS', sha1(INCR_LUA))).toEqual([1]);
    } finally {
      fresh.disconnect();
    }
  });

  it('queues onto a pipeline with its text (a NOSCRIPT inside a pipeline could not be retried)', async () => {
    const other = server.client();
    try {
      const pipeline = other.pipeline();
      incrBy.queue(pipeline, ['counter:p'], [3]);
      pipeline.get('counter:p');
      expect(await pipeline.exec()).toEqual([
        [null, 3],
        [null, '3'],
      ]);
      await waitUntil('Redis saw the pipeline', async () => scripts.length === 1);
      expect(scripts).toEqual([['eval', INCR_LUA]]);
    } finally {
      other.disconnect();
    }
  });

  it('refuses a wrong key count', async () => {
    await expect(incrBy.run(client, [], [1])).rejects.toThrow('Lua command testLuaIncrBy takes 1 key(s), got 0');
    expect(() => incrBy.queue(client.pipeline(), ['a', 'b'], [1])).toThrow('takes 1 key(s), got 2');
  });
});
