import fc from 'fast-check';
import { BUILTIN_STRATEGIES } from './builtins';
import { InvalidStrategyParamsError, UnknownStrategyError } from './invalid-strategy-params.error';
import { ParamJsonSchema } from './params-schema';
import { createStrategy, getStrategy, listStrategies } from './strategy-registry';

describe('strategy registry', () => {
  it('lists the built-ins', () => {
    expect(listStrategies().map((d) => d.name)).toEqual(
      expect.arrayContaining([
        'sma_cross',
        'ema_cross',
        'ema_rsi',
        'rsi_reversion',
        'macd_cross',
        'bollinger_reversion',
        'momentum_breakout',
        'short_seller',
      ]),
    );
  });

  it('names the known strategies when asked for an unknown one', () => {
    expect(() => getStrategy('nope')).toThrow(UnknownStrategyError);
    expect(() => createStrategy('nope')).toThrow(/unknown strategy "nope"; known: sma_cross, ema_cross/);
  });

  it('fills defaults and coerces strings from a command line', () => {
    const params = getStrategy('sma_cross').parseParams({ fast: '5', allowShort: 'true' });
    expect(params).toEqual({ fast: 5, slow: 30, allowShort: true });
  });

  it('lists every invalid parameter in one error', () => {
    let error: unknown;
    try {
      createStrategy('sma_cross', { fast: 0, slow: 'ten', allowShort: 'maybe', color: 'red' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidStrategyParamsError);
    const problems = (error as InvalidStrategyParamsError).problems;
    expect(problems.map((p) => p.param).sort()).toEqual(['allowShort', 'color', 'fast', 'slow']);
    expect((error as Error).message).toContain('fast: fast must not be less than 1');
    expect((error as Error).message).toContain('slow: slow must be an integer number');
    expect((error as Error).message).toContain('allowShort: allowShort must be a boolean value');
    expect((error as Error).message).toContain('color: unknown parameter (known: fast, slow, allowShort)');
  });

  it('checks rules across parameters once each one is valid', () => {
    expect(() => createStrategy('sma_cross', { fast: 30, slow: 10 })).toThrow(
      'invalid parameters for strategy "sma_cross": fast: must be less than slow (10), got 30',
    );
    expect(() => createStrategy('rsi_reversion', { exit: 80 })).toThrow('exit: must lie strictly between oversold (30) and overbought (70)');
  });

  it('rejects params that are not an object', () => {
    expect(() => createStrategy('sma_cross', [1, 2])).toThrow('(params): must be an object');
  });
});

describe('params JSON Schema', () => {
  it('sma_cross', () => {
    expect(getStrategy('sma_cross').jsonSchema()).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'sma_cross',
      type: 'object',
      additionalProperties: false,
      properties: {
        fast: { type: 'integer', description: 'period of the fast moving average', default: 10, minimum: 1, maximum: 1000 },
        slow: {
          type: 'integer',
          description: 'period of the slow moving average (greater than fast)',
          default: 30,
          minimum: 2,
          maximum: 5000,
        },
        allowShort: { type: 'boolean', description: 'go short on a cross down instead of flat', default: false },
      },
      required: [],
    });
  });

  it.each(BUILTIN_STRATEGIES.map((d) => d.name))('%s: every param is documented, typed, bounded and defaulted', (name) => {
    const definition = getStrategy(name);
    const schema = definition.jsonSchema();
    const defaults = new definition.paramsClass() as Record<string, unknown>;
    expect(Object.keys(schema.properties)).toEqual(Object.keys(defaults));
    for (const prop of Object.values(schema.properties)) {
      expect(prop.description).toEqual(expect.any(String));
      expect(prop.default).toBeDefined();
      if (prop.type !== 'boolean') expect([prop.minimum, prop.maximum]).toEqual([expect.any(Number), expect.any(Number)]);
    }
    expect(definition.warmup(definition.parseParams({}))).toBe(definition.create(definition.parseParams({})).warmup);
  });

  it.each(BUILTIN_STRATEGIES.map((d) => d.name))('%s: the schema and the validator agree', (name) => {
    const definition = getStrategy(name);
    const { properties } = definition.jsonSchema();
    const entries = Object.entries(properties);
    const inside = (p: ParamJsonSchema) =>
      p.type === 'boolean'
        ? fc.boolean()
        : p.type === 'integer'
          ? fc.integer({ min: p.minimum!, max: p.maximum! })
          : fc.double({ min: p.minimum!, max: p.maximum!, noNaN: true });
    // any one value outside the schema is rejected, naming that parameter
    for (const [param, p] of entries) {
      const bad = p.type === 'boolean' ? 'yes' : p.minimum! - 1;
      try {
        definition.parseParams({ [param]: bad });
        throw new Error(`${name}.${param} = ${bad} was accepted`);
      } catch (error) {
        expect((error as InvalidStrategyParamsError).problems?.map((x) => x.param)).toEqual([param]);
      }
      if (p.maximum !== undefined) expect(() => definition.parseParams({ [param]: p.maximum! + 1 })).toThrow(param);
      if (p.type === 'integer') expect(() => definition.parseParams({ [param]: p.minimum! + 0.5 })).toThrow(param);
    }
    // any combination inside the schema passes the per-field validation (cross rules aside)
    fc.assert(
      fc.property(fc.record(Object.fromEntries(entries.map(([k, p]) => [k, inside(p)]))), (raw) => {
        try {
          definition.parseParams(raw);
        } catch (error) {
          const problems = (error as InvalidStrategyParamsError).problems ?? [];
          expect(problems.every((x) => x.problems.every((m) => !m.startsWith(x.param + ' ')))).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
