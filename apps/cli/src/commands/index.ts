import { Command } from 'commander';
import { registerIndicatorsCommand } from './indicators.command';
import '../bench';
import { registerBenchCommand } from '../bench/bench.command';
import { registerBacktestCommand } from './backtest.command';
import { registerDataCommand } from './data.command';
import { registerOptimizeCommand } from './optimize.command';
import { registerUserCommand } from './user.command';
import { registerKeysCommand } from './keys.command';
import { registerDlqCommand } from './dlq.command';

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerBenchCommand(program);
  registerDataCommand(program);
  registerBacktestCommand(program);
  registerOptimizeCommand(program);
  registerIndicatorsCommand(program);
  registerUserCommand(program);
  registerKeysCommand(program);
  registerDlqCommand(program);
}
