import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { OptimizerJob, OptimizerReply, OptimizerWorkerData } from './optimizer-worker.protocol';
import type { OptimizeRow } from './optimizer.types';

/**
 * Where the worker code is. Compiled (dist/, after `node scripts/build.js`): the sibling
 * `optimizer.worker.js`, loaded by plain Node. From TypeScript sources (jest, ts tooling):
 * `optimizer.worker.ts`, loaded through a small bootstrap that compiles .ts files on require with
 * the repository's SWC settings (scripts/swc-options.js), so no build is needed for tests.
 */
export function resolveOptimizerWorker(): { readonly file: string; readonly typescript: boolean } {
  const js = join(__dirname, 'optimizer.worker.js');
  if (existsSync(js)) return { file: js, typescript: false };
  const ts = join(__dirname, 'optimizer.worker.ts');
  if (existsSync(ts)) return { file: ts, typescript: true };
  throw new Error(`optimizer worker not found next to ${__filename}; run "node scripts/build.js" and use dist/`);
}

const TS_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const boot = workerData.tsBootstrap;
const swc = require(boot.swcCore);
const options = require(boot.swcOptionsFile).swcOptions({ sourceMaps: false });
require.extensions['.ts'] = function (module, filename) {
  const out = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(out.code, filename);
};
require(boot.entry);
`;

function tsBootstrap(entry: string) {
  let dir = __dirname;
  for (;;) {
    const file = join(dir, 'scripts', 'swc-options.js');
    if (existsSync(file)) return { entry, swcOptionsFile: file, swcCore: require.resolve('@swc/core', { paths: [dir] }) };
    const parent = dirname(dir);
    if (parent === dir) throw new Error('scripts/swc-options.js not found: cannot run the optimizer worker from TypeScript sources');
    dir = parent;
  }
}

interface Pending {
  resolve: (row: OptimizeRow) => void;
  reject: (error: Error) => void;
}

/** A fixed set of worker threads sharing the candle buffer; jobs go to whichever worker is free. */
export class OptimizerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { job: OptimizerJob; pending: Pending }[] = [];
  private readonly inFlight = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(size: number, data: OptimizerWorkerData) {
    const entry = resolveOptimizerWorker();
    for (let i = 0; i < size; i++) {
      const worker = entry.typescript
        ? new Worker(TS_BOOTSTRAP, { eval: true, workerData: { ...data, tsBootstrap: tsBootstrap(entry.file) } })
        : new Worker(entry.file, { workerData: data });
      worker.on('message', (reply: OptimizerReply) => this.onReply(worker, reply));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`optimizer worker exited with code ${code}`));
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  run(job: Omit<OptimizerJob, 'id'>): Promise<OptimizeRow> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...job, id: this.nextId++ }, pending: { resolve, reject } });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    for (;;) {
      const worker = this.idle.pop();
      if (!worker) return;
      const next = this.queue.shift();
      if (!next) {
        this.idle.push(worker);
        return;
      }
      const { job, pending } = next;
      this.inFlight.set(job.id, pending);
      worker.postMessage(job);
    }
  }

  private onReply(worker: Worker, reply: OptimizerReply): void {
    const pending = this.inFlight.get(reply.id);
    this.inFlight.delete(reply.id);
    this.idle.push(worker);
    if (pending) {
      if ('fatal' in reply) pending.reject(new Error(`optimizer worker: ${reply.fatal}`));
      else pending.resolve(reply.row);
    }
    this.dispatch();
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const p of this.inFlight.values()) p.reject(error);
    for (const q of this.queue) q.pending.reject(error);
    this.inFlight.clear();
    this.queue.length = 0;
  }
}
