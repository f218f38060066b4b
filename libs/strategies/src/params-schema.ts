import { getMetadataStorage } from 'class-validator';

/** JSON Schema (draft 2020-12 subset) of a strategy's parameters, for UIs and API docs. */
export interface ParamsJsonSchema {
  readonly $schema: 'https://json-schema.org/draft/2020-12/schema';
  readonly title: string;
  readonly type: 'object';
  readonly additionalProperties: false;
  readonly properties: Readonly<Record<string, ParamJsonSchema>>;
  readonly required: readonly string[];
}

export interface ParamJsonSchema {
  type: 'integer' | 'number' | 'boolean' | 'string';
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  enum?: readonly unknown[];
}

export type ParamsClass<P extends object> = new () => P;

const descriptions = new WeakMap<object, Map<string, string>>();

/** Documents a parameter; the text becomes its `description` in the JSON Schema. */
export function ParamDescription(text: string): PropertyDecorator {
  return (target, property) => {
    const ctor = target.constructor;
    const map = descriptions.get(ctor) ?? new Map<string, string>();
    map.set(String(property), text);
    descriptions.set(ctor, map);
  };
}

/**
 * Builds the JSON Schema of a params class from its class-validator metadata (so the two
 * cannot drift): IsInt -> integer, IsNumber -> number, IsBoolean -> boolean, IsString -> string,
 * Min/Max -> minimum/maximum, IsPositive -> exclusiveMinimum 0, IsIn -> enum; defaults from
 * the class's initialisers. A decorator it does not know is an error, not a silent gap.
 */
export function paramsJsonSchema<P extends object>(title: string, paramsClass: ParamsClass<P>): ParamsJsonSchema {
  const defaults = new paramsClass() as Record<string, unknown>;
  const metadata = getMetadataStorage().getTargetValidationMetadatas(paramsClass, '', true, false);
  const docs = descriptions.get(paramsClass);
  const properties: Record<string, ParamJsonSchema> = {};
  const order: string[] = Object.keys(defaults);
  for (const m of metadata) if (!order.includes(m.propertyName)) order.push(m.propertyName);
  for (const name of order) {
    const rules = metadata.filter((m) => m.propertyName === name);
    if (rules.length === 0) throw new Error(`${title}: parameter "${name}" has no class-validator decorator`);
    const prop = {} as ParamJsonSchema;
    for (const rule of rules) {
      const [first] = (rule.constraints ?? []) as unknown[];
      switch (rule.name) {
        case 'isInt':
          prop.type = 'integer';
          break;
        case 'isNumber':
          prop.type ??= 'number';
          break;
        case 'isBoolean':
          prop.type = 'boolean';
          break;
        case 'isString':
          prop.type = 'string';
          break;
        case 'min':
          prop.minimum = first as number;
          break;
        case 'max':
          prop.maximum = first as number;
          break;
        case 'isPositive':
          prop.exclusiveMinimum = 0;
          break;
        case 'isIn':
          prop.enum = first as unknown[];
          break;
        default:
          throw new Error(`${title}: parameter "${name}" uses ${rule.name}, which the JSON Schema generator does not know`);
      }
    }
    if (!prop.type) throw new Error(`${title}: parameter "${name}" needs a type decorator (IsInt, IsNumber, IsBoolean, IsString)`);
    const ordered: ParamJsonSchema = { type: prop.type };
    const description = docs?.get(name);
    if (description) ordered.description = description;
    if (defaults[name] !== undefined) ordered.default = defaults[name];
    if (prop.minimum !== undefined) ordered.minimum = prop.minimum;
    if (prop.exclusiveMinimum !== undefined) ordered.exclusiveMinimum = prop.exclusiveMinimum;
    if (prop.maximum !== undefined) ordered.maximum = prop.maximum;
    if (prop.enum !== undefined) ordered.enum = prop.enum;
    properties[name] = ordered;
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    type: 'object',
    additionalProperties: false,
    properties,
    required: [],
  };
}
