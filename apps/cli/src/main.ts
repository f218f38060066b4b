#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { registerCommands } from './commands';

async function main(): Promise<void> {
  const program = new Command();
  program.name('tradectl').description('Operate the trading platform from the command line').showHelpAfterError();
  registerCommands(program);
  await program.parseAsync(process.argv);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
