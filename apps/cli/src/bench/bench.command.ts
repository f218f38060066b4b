import { Command } from 'commander';

/**
 * `tradectl bench <name>` (also `npm run bench -- <name>`): each benchmark measures the
 * platform next to a baseline measured in the same run and prints both and their ratio.
 */
export type Benchmark = (args: string[]) => Promise<void>;

const benchmarks: Record<string, () => Promise<Benchmark>> = {};

export function registerBenchmark(name: string, load: () => Promise<Benchmark>): void {
  benchmarks[name] = load;
}

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('run a benchmark: ' + Object.keys(benchmarks).join(', '))
    .argument('[name]', 'benchmark name (all when omitted)')
    .allowUnknownOption(true)
    .argument('[args...]')
    .action(async (name: string | undefined, args: string[]) => {
      const names = name ? [name] : Object.keys(benchmarks);
      for (const n of names) {
        const load = benchmarks[n];
        if (!load) throw new Error(`unknown benchmark "${n}"; known: ${Object.keys(benchmarks).join(', ')}`);
        console.log(`\n== bench ${n} ==`);
        await (await load())(args ?? []);
      }
    });
}
