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

  it('sends the text once per connection, then only the SHA1, with the results EVAL gives', async () => {
    expect(await incrBy.run(client, ['counter:a'], [5])).toBe(5);
    expect(await incrBy.run(client, ['counter:a'], [2])).toBe(7);
    expect(await incrBy.run(client, ['counter:b'], [1])).toBe(1);
    await waitUntil('Redis saw three script calls', async () => scripts.length === 3);
    expect(scripts).toEqual([
      ['eval', INCR_LUA],
      ['evalsha', sha1(INCR_LUA)],
      ['evalsha', sha1(INCR_LUA)],
    ]);

    const second = server.client();
    try {
      expect(await incrBy.run(second, ['counter:a'], [1])).toBe(8);
      await waitUntil('Redis saw the new connection call', async () => scripts.length === 4);
      // A new connection does not know what the first one sent: it sends the text once itself.
      expect(scripts[3]).toEqual(['eval', INCR_LUA]);
    } finally {
      second.disconnect();
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
      await waitUntil('Redis saw the five calls of the test script', async () => incrCalls().length === 5);
      // Text, then hash; after the flush the hash is refused (NOSCRIPT), the text goes once, then the hash again.
      expect(incrCalls()).toEqual(['eval', 'evalsha', 'evalsha', 'eval', 'evalsha']);
      expect(await admin.script('EXISTS', sha1(INCR_LUA))).toEqual([1]);
    } finally {
      fresh.disconnect();
    }
  });

  it('queues onto a pipeline by SHA1 once defined on its connection, and by text onto a pipeline created before', async () => {
    const other = server.client();
    try {
      const early = other.pipeline();
      incrBy.defineOn(other);
      const late = other.pipeline();
      for (const pipeline of [early, late]) {
        incrBy.queue(pipeline, ['counter:p'], [3]);
        pipeline.get('counter:p');
      }
      expect(await early.exec()).toEqual([
        [null, 3],
        [null, '3'],
      ]);
      expect(await late.exec()).toEqual([
        [null, 6],
        [null, '6'],
      ]);
      await waitUntil('Redis saw both pipelines', async () => scripts.length === 2);
      // The early pipeline cannot know the command: a plain EVAL. The late one sends the text once on this connection, as run() does.
      expect(scripts).toEqual([
        ['eval', INCR_LUA],
        ['eval', INCR_LUA],
      ]);
      const third = other.pipeline();
      incrBy.queue(third, ['counter:p'], [1]);
      expect(await third.exec()).toEqual([[null, 7]]);
      await waitUntil('Redis saw the third pipeline', async () => scripts.length === 3);
      expect(scripts[2]).toEqual(['evalsha', sha1(INCR_LUA)]);
    } finally {
      other.disconnect();
    }
  });

  it('refuses a wrong key count, a name ioredis already uses and one name for two scripts', async () => {
    await expect(incrBy.run(client, [], [1])).rejects.toThrow('Lua command testLuaIncrBy takes 1 key(s), got 0');
    expect(() => new LuaCommand('get', `return 1`, 0)).toThrow('taken by an ioredis method');
    expect(() => new LuaCommand('testLuaIncrBy', `return 2`, 1)).toThrow('already defined with another script');
    expect(new LuaCommand('testLuaIncrBy', INCR_LUA, 1).name).toBe('testLuaIncrBy');
  });
});
