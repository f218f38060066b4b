import * as validators from 'class-validator';
import * as indicators from '@trading/indicators';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ParamDescription } from './params-schema';
import { defineStrategy, StrategyDefinition } from './strategy-definition';
import { registerStrategy } from './strategy-registry';

/** What a user strategy file that exports a function receives: no dependency to install. */
export interface UserStrategyKit {
  readonly defineStrategy: typeof defineStrategy;
  readonly validators: typeof validators;
  readonly ParamDescription: typeof ParamDescription;
  readonly indicators: typeof indicators;
}

export const userStrategyKit: UserStrategyKit = { defineStrategy, validators, ParamDescription, indicators };

export interface LoadedUserStrategy {
  readonly name: string;
  readonly file: string;
}

/**
 * Loads every `.js` file of `dir` (sorted by name) and registers the strategy it exports.
 * A file exports either a StrategyDefinition (made with defineStrategy) or a function that
 * receives {@link UserStrategyKit} and returns one (or an array). Throws, naming the file,
 * when an export is not a valid definition or its name is taken; nothing from a failing
 * file is registered.
 */
export function loadUserStrategies(dir: string): LoadedUserStrategy[] {
  const folder = resolve(dir);
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.js'))
    .sort();
  const loaded: LoadedUserStrategy[] = [];
  for (const file of files) {
    const path = join(folder, file);
    const exported: unknown = require(path);
    for (const definition of definitionsOf(exported, path)) {
      try {
        registerStrategy(definition);
      } catch (error) {
        throw new Error(`${path}: ${(error as Error).message}`);
      }
      loaded.push({ name: definition.name, file: path });
    }
  }
  return loaded;
}

function definitionsOf(exported: unknown, path: string): StrategyDefinition<object>[] {
  let value = exported;
  if (isObject(value) && 'default' in value && !('create' in value)) value = value.default;
  if (typeof value === 'function' && !isDefinition(value)) value = (value as (kit: UserStrategyKit) => unknown)(userStrategyKit);
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new Error(`${path}: exports no strategy`);
  return list.map((item) => {
    const problem = definitionProblem(item);
    if (problem) throw new Error(`${path}: not a strategy definition (${problem}); build it with defineStrategy()`);
    return item as StrategyDefinition<object>;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

function isDefinition(value: unknown): boolean {
  return definitionProblem(value) === null;
}

function definitionProblem(value: unknown): string | null {
  if (!isObject(value)) return 'export is not an object';
  if (typeof value.name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(value.name)) return 'name must be snake_case';
  if (typeof value.description !== 'string' || value.description === '') return 'description missing';
  for (const fn of ['create', 'warmup', 'jsonSchema', 'parseParams'] as const) {
    if (typeof value[fn] !== 'function') return `${fn}() missing`;
  }
  if (typeof value.paramsClass !== 'function') return 'paramsClass missing';
  return null;
}
