import type Redis from 'ioredis';
import { LuaCommand } from '../redis/lua-command';

/**
 * A stream id above every real one but not the maximum (which XREADGROUP reads as `>`): reading our own
 * history from it returns nothing and changes no delivery count or idle time of any entry.
 */
const PAST_EVERY_ID = '18446744073709551615-18446744073709551614';

/**
 * 1. Marks this consumer as seen. Redis 7.0 refreshes a consumer's `idle` only when a read serves it
 *    something: a `XREADGROUP … BLOCK` that times out on a quiet stream does not, so every live consumer
 *    of a quiet stream would look dead. A history read (an explicit id) always does.
 * 2. Deletes the other consumers holding no pending entries and idle at least the threshold. Check and
 *    delete run in one script, so nothing happens in between: `XGROUP DELCONSUMER` drops a consumer's
 *    pending entries with it, and a consumer that holds any at that instant is kept.
 */
const DELETE_DEAD_CONSUMERS = new LuaCommand<string[]>(
  'streamsDeleteDeadConsumers',
  `
redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', KEYS[1], '${PAST_EVERY_ID}')
local deleted = {}
for _, row in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local info = {}
  for i = 1, #row, 2 do info[row[i]] = row[i + 1] end
  if info['name'] ~= ARGV[2] and tonumber(info['pending']) == 0 and tonumber(info['idle']) >= tonumber(ARGV[3]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
    deleted[#deleted + 1] = info['name']
  end
end
return deleted
`,
  1,
);

/**
 * Marks `self` as seen in `group` on the stream `key`, then deletes the group's other consumers that hold
 * no pending entries and have been idle (no read, no claim, no touch like this one) for at least
 * `minIdleMs`; returns their names.
 *
 * Consumers are named `<host>-<pid>` unless configured, so every restart and every pod adds one that
 * would otherwise stay in `XINFO CONSUMERS` (and the metrics) for good. Every live RedisStreamsServer
 * runs this each claim round, so a live one is never idle for long; and deleting a live consumer that
 * merely looked idle would be harmless anyway: it holds nothing, and its next read creates it again.
 */
export async function deleteDeadConsumers(redis: Redis, key: string, group: string, self: string, minIdleMs: number): Promise<string[]> {
  return DELETE_DEAD_CONSUMERS.run(redis, [key], [group, self, minIdleMs]);
}
