import { BUILTIN_STRATEGIES } from './builtins';
import { UnknownStrategyError } from './invalid-strategy-params.error';
import { OrderedCandlesGuard } from './ordered-candles.guard';
import { Strategy } from './strategy';
import { StrategyDefinition } from './strategy-definition';

/** Built-ins plus user strategies, by name. One per process: every service sees the same set. */
const registry = new Map<string, StrategyDefinition<object>>();
for (const definition of BUILTIN_STRATEGIES) registry.set(definition.name, definition);

export function registerStrategy<P extends object>(definition: StrategyDefinition<P>): void {
  if (registry.has(definition.name)) throw new Error(`strategy "${definition.name}" is already registered`);
  registry.set(definition.name, definition as unknown as StrategyDefinition<object>);
}

/** Removes a user strategy (built-ins stay). Returns whether it was registered. */
export function unregisterStrategy(name: string): boolean {
  if (BUILTIN_STRATEGIES.some((d) => d.name === name)) throw new Error(`built-in strategy "${name}" cannot be removed`);
  return registry.delete(name);
}

export function listStrategies(): StrategyDefinition<object>[] {
  return [...registry.values()];
}

export function getStrategy(name: string): StrategyDefinition<object> {
  const definition = registry.get(name);
  if (!definition) throw new UnknownStrategyError(name, [...registry.keys()]);
  return definition;
}

/**
 * Validates raw params (throws InvalidStrategyParamsError listing every invalid one), builds
 * the strategy and wraps it so candles must arrive in time order.
 */
export function createStrategy(name: string, rawParams: unknown = {}): Strategy {
  const definition = getStrategy(name);
  return new OrderedCandlesGuard(definition.create(definition.parseParams(rawParams)));
}
