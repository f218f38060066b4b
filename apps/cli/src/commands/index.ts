import { Command } from 'commander';
import '../bench';
import { registerBenchCommand } from '../bench/bench.command';

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerBenchCommand(program);
}
