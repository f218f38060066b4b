import * as nodeModule from 'node:module';

export type CcxtModule = typeof import('ccxt');

type NodeLoad = (request: string, parent: NodeModule | undefined, isMain: boolean) => unknown;

let loaded: CcxtModule | undefined;

/**
 * Loads ccxt on first use: it costs ~0.4 s and ~100 MB, which processes that
 * never trade should not pay.
 *
 * Under jest, ccxt's CommonJS build requires an ES-module dependency
 * (@noble/curves) that jest's module registry cannot load, while Node >= 20.19
 * can; there it is loaded through Node's own loader. Its errors then come from
 * another realm, which is why the error mapper matches classes by name.
 */
export function loadCcxt(): CcxtModule {
  if (loaded) return loaded;
  const nodeLoad = (nodeModule as unknown as { _load?: NodeLoad })._load;
  if (process.env['JEST_WORKER_ID'] !== undefined && nodeLoad) {
    loaded = nodeLoad('ccxt', module, false) as CcxtModule;
  } else {
    loaded = require('ccxt') as CcxtModule;
  }
  return loaded;
}

/**
 * Copies plain JSON data into ccxt's realm. ccxt deep-merges constructor
 * `urls`/`options` only for objects whose constructor is its own `Object`; an
 * object from another realm (jest's sandbox) would replace its defaults
 * wholesale instead (losing e.g. options.timeDifference). A no-op copy outside jest.
 */
export function toCcxtRealm<T>(value: T): T {
  const ccxt = loadCcxt();
  const realmObject = Object.getPrototypeOf(ccxt.Exchange.prototype)?.constructor as ObjectConstructor | undefined;
  if (!realmObject || realmObject === Object) return value;
  const realmJson = (realmObject.constructor as FunctionConstructor)('return JSON')() as JSON;
  return realmJson.parse(JSON.stringify(value)) as T;
}
