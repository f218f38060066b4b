import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';

export type LuaArgument = string | number | Buffer;

/**
 * A Lua script run by its SHA1: `EVALSHA <sha1>`, and only when Redis answers NOSCRIPT (first use on a
 * server, `SCRIPT FLUSH`, a restarted Redis) `EVAL <text>`, which also loads it for every later call from
 * any connection. Same keys, arguments, result and atomicity as `EVAL`; only the request shrinks.
 *
 * Why not ioredis `defineCommand`: with `enableAutoPipelining` (on for our clients), a command defined
 * after an auto-pipeline was opened in the same tick is missing from that pipeline, and ioredis then
 * throws `results[i] is not iterable` from a callback, i.e. an uncaught exception that kills the
 * process (ioredis#1931; the ioredis 5.11 we run has it). EVALSHA and EVAL are plain commands and pipeline
 * safely.
 */
export class LuaCommand<Result> {
  readonly sha1: string;

  constructor(
    /** For error messages. */
    readonly name: string,
    readonly lua: string,
    readonly numberOfKeys: number,
  ) {
    this.sha1 = createHash('sha1').update(lua).digest('hex');
  }

  /** Runs the script once: `keys` are KEYS[1..n] (prefixed like any key), `args` are ARGV. */
  async run(redis: Redis, keys: readonly string[], args: readonly LuaArgument[]): Promise<Result> {
    this.checkKeys(keys);
    try {
      return (await redis.evalsha(this.sha1, this.numberOfKeys, ...keys, ...args)) as Result;
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return (await redis.eval(this.lua, this.numberOfKeys, ...keys, ...args)) as Result;
    }
  }

  /**
   * Queues the script on a pipeline (text included: a NOSCRIPT inside a pipeline could not be retried
   * in place); its result lands in `exec()`'s array.
   */
  queue(pipeline: ChainableCommander, keys: readonly string[], args: readonly LuaArgument[]): void {
    this.checkKeys(keys);
    pipeline.eval(this.lua, this.numberOfKeys, ...keys, ...args);
  }

  private checkKeys(keys: readonly string[]): void {
    if (keys.length !== this.numberOfKeys) throw new Error(`Lua command ${this.name} takes ${this.numberOfKeys} key(s), got ${keys.length}`);
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
