import { validateSync } from 'class-validator';
import { InvalidStrategyParamsError, ParamProblem } from './invalid-strategy-params.error';
import { ParamsClass, ParamsJsonSchema, paramsJsonSchema } from './params-schema';
import { Strategy } from './strategy';

/**
 * Everything the platform needs to offer a strategy: a name and description for users, a
 * params class (class-validator decorators, defaults as initialisers), the JSON Schema of those
 * params for UIs, the warm-up as a function of params, and a factory.
 */
export interface StrategyDefinition<P extends object = object> {
  readonly name: string;
  readonly description: string;
  readonly paramsClass: ParamsClass<P>;
  jsonSchema(): ParamsJsonSchema;
  /** Closed candles needed before the first possible signal (equals `create(p).warmup`). */
  warmup(params: P): number;
  create(params: P): Strategy;
  /** Validates raw params (strings from a CLI or form are coerced by schema type) and fills defaults. */
  parseParams(raw: unknown): P;
}

export interface StrategySpec<P extends object> {
  readonly name: string;
  readonly description: string;
  readonly params: ParamsClass<P>;
  readonly warmup: (params: P) => number;
  readonly create: (params: P) => Strategy;
  /** Rules across parameters (e.g. fast < slow): one message per broken rule, keyed by param. */
  readonly check?: (params: P) => readonly { param: string; problem: string }[];
}

const NAME = /^[a-z][a-z0-9_]*$/;
const TYPE_RULES = new Set(['isInt', 'isNumber', 'isBoolean', 'isString']);

export function defineStrategy<P extends object>(spec: StrategySpec<P>): StrategyDefinition<P> {
  if (!NAME.test(spec.name)) throw new Error(`strategy name "${spec.name}" must be snake_case ([a-z][a-z0-9_]*)`);
  const schema = paramsJsonSchema(spec.name, spec.params);
  return {
    name: spec.name,
    description: spec.description,
    paramsClass: spec.params,
    jsonSchema: () => schema,
    warmup: spec.warmup,
    create: spec.create,
    parseParams: (raw) => parseParams(spec, schema, raw),
  };
}

function parseParams<P extends object>(spec: StrategySpec<P>, schema: ParamsJsonSchema, raw: unknown): P {
  const input = raw ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidStrategyParamsError(spec.name, [{ param: '(params)', problems: ['must be an object'] }]);
  }
  const params = new spec.params() as P & Record<string, unknown>;
  const problems = new Map<string, string[]>();
  const add = (param: string, problem: string) => problems.set(param, [...(problems.get(param) ?? []), problem]);
  for (const [key, value] of Object.entries(input)) {
    const prop = schema.properties[key];
    if (!prop) {
      add(key, `unknown parameter (known: ${Object.keys(schema.properties).join(', ')})`);
      continue;
    }
    (params as Record<string, unknown>)[key] = coerce(value, prop.type);
  }
  for (const error of validateSync(params, { forbidUnknownValues: true })) {
    const constraints = Object.entries(error.constraints ?? {});
    // a value of the wrong type also breaks its bounds: say only what matters
    const typeOnly = constraints.filter(([rule]) => TYPE_RULES.has(rule));
    for (const [, message] of typeOnly.length > 0 ? typeOnly : constraints) add(error.property, message);
  }
  if (problems.size === 0 && spec.check) {
    for (const { param, problem } of spec.check(params)) add(param, problem);
  }
  if (problems.size > 0) {
    const list: ParamProblem[] = [...problems].map(([param, p]) => ({ param, problems: p }));
    throw new InvalidStrategyParamsError(spec.name, list);
  }
  return params;
}

/** Strings from a command line or a form become numbers / booleans when the schema says so. */
function coerce(value: unknown, type: string): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if ((type === 'integer' || type === 'number') && /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return value;
}
