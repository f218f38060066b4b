import Redis, { type ChainableCommander } from 'ioredis';

export type LuaArgument = string | number | Buffer;

type ScriptMethod = (...keysAndArgs: LuaArgument[]) => Promise<unknown>;

const NAME = /^[a-z][A-Za-z0-9]*$/;
const definedScripts = new Map<string, string>();

/**
 * A Lua script sent by its SHA1 instead of its text: ioredis `defineCommand` sends `EVAL <text>` the
 * first time on each connection (which also loads it into Redis' script cache), then `EVALSHA <sha1>`;
 * after a `NOSCRIPT` (`SCRIPT FLUSH`, a Redis restarted without the script) it sends the text once more
 * on that connection. Same keys, arguments, result and atomicity as `EVAL`; only the request shrinks
 * (a 40-byte hash instead of the text).
 *
 * The command is defined on each connection it runs on, under `name` (unique per script: one name
 * with two different texts is refused). A pipeline takes the commands its connection had when it was
 * created, so call `defineOn(redis)` before `redis.pipeline()` when queueing onto one (the caches do it
 * in their constructors); a pipeline created earlier gets a plain EVAL, text included.
 */
export class LuaCommand<Result> {
  constructor(
    readonly name: string,
    readonly lua: string,
    readonly numberOfKeys: number,
  ) {
    if (!NAME.test(name)) throw new Error(`Lua command name must be a camelCase identifier, got "${name}"`);
    // A name Redis already answers to would run that command instead of the script.
    if (name in Redis.prototype) throw new Error(`Lua command name ${name} is taken by an ioredis method`);
    const known = definedScripts.get(name);
    if (known !== undefined && known !== lua) throw new Error(`Lua command ${name} is already defined with another script`);
    definedScripts.set(name, lua);
  }

  /** Defines the command on `redis` unless it already has it. */
  defineOn(redis: Redis): void {
    if (typeof methodOf(redis, this.name) !== 'function') redis.defineCommand(this.name, { lua: this.lua, numberOfKeys: this.numberOfKeys });
  }

  /** Runs the script once: `keys` are KEYS[1..n] (prefixed like any key), `args` are ARGV. */
  async run(redis: Redis, keys: readonly string[], args: readonly LuaArgument[]): Promise<Result> {
    this.checkKeys(keys);
    this.defineOn(redis);
    return (await (methodOf(redis, this.name) as ScriptMethod).call(redis, ...keys, ...args)) as Result;
  }

  /** Queues the script on a pipeline; its result lands in `exec()`'s array. */
  queue(pipeline: ChainableCommander, keys: readonly string[], args: readonly LuaArgument[]): void {
    this.checkKeys(keys);
    const method = methodOf(pipeline, this.name);
    if (typeof method === 'function') void (method as ScriptMethod).call(pipeline, ...keys, ...args);
    else pipeline.eval(this.lua, this.numberOfKeys, ...keys, ...args);
  }

  private checkKeys(keys: readonly string[]): void {
    if (keys.length !== this.numberOfKeys) throw new Error(`Lua command ${this.name} takes ${this.numberOfKeys} key(s), got ${keys.length}`);
  }
}

function methodOf(target: Redis | ChainableCommander, name: string): unknown {
  return (target as unknown as Record<string, unknown>)[name];
}
