import { spawn } from 'node:child_process';
import path from 'node:path';
import { Command } from 'commander';

/** The market-data service's one-shot task entry, next to this file in the built tree (dist/apps/...). */
export const MARKET_DATA_TASK = path.resolve(__dirname, '../../../market-data/src/task.js');

/**
 * `tradectl data import|download|replay ...`: market data belongs to the market-data service, so these
 * run its own task entry (same validation, aggregation and store as the live feeds) with this
 * process's environment (DATABASE_URL, REDIS_URL, REDIS_NAMESPACE, CCXT_OPTIONS, ...).
 */
export function registerDataCommand(program: Command): void {
  program
    .command('data')
    .description(
      [
        'market data tasks (run by the market-data service code):',
        '  data import <file> --exchange ID --symbol BASE/QUOTE --timeframe TF [--publish] [--json]',
        '  data download --exchange ID --symbol BASE/QUOTE --timeframe TF --since ISO [--until ISO] [--json]',
        '  data replay <dataset|file> [--exchange ID --symbol S --timeframe TF] [--speed max|N] [--json]',
      ].join('\n'),
    )
    .helpOption(false)
    .allowUnknownOption(true)
    .argument('[args...]')
    .action(async (args: string[]) => {
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, [MARKET_DATA_TASK, ...args], { stdio: 'inherit', env: process.env });
        child.once('error', reject);
        child.once('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
      });
      if (code !== 0) process.exitCode = code;
    });
}
