import { deleteRedisNamespace, freePort, workspaceRoot } from './bench-host';
import { DEFAULT_DATABASE_URL, dropDatabase, ensureDatabaseExists, withDatabaseName } from '@trading/database';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';

export type PipelineService = 'risk' | 'strategy' | 'trading-engine';

const SERVICES: readonly PipelineService[] = ['risk', 'strategy', 'trading-engine'];
const STDERR_LINES_KEPT = 50;

interface RunningService {
  readonly name: PipelineService;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  readonly stderr: string[];
  stderrLines: number;
}

/**
 * The services of the candle -> fill path as an operator runs them: `node dist/apps/<service>/src/main.js`
 * after `migrate.js up`, on one fresh database (each service in its own schema) and a Redis namespace of
 * their own, removed again by `stop()`. Service settings not set here come from the caller's environment.
 */
export class PipelineDeployment {
  readonly root = workspaceRoot(__dirname);
  readonly redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  readonly databaseUrl = withDatabaseName(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, `bench_pipeline_${randomBytes(4).toString('hex')}`);
  readonly namespace = `bench:pipeline:${randomBytes(4).toString('hex')}:`;
  private readonly running: RunningService[] = [];

  constructor(private readonly extraEnv: Partial<Record<PipelineService, Record<string, string>>>) {}

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, DATABASE_URL: this.databaseUrl, REDIS_URL: this.redisUrl, REDIS_NAMESPACE: this.namespace, LOG_LEVEL: 'warn', NODE_ENV: 'production' };
  }

  async start(): Promise<void> {
    await ensureDatabaseExists(this.databaseUrl);
    for (const service of SERVICES) {
      const migrate = path.join(this.root, `dist/apps/${service}/src/migrate.js`);
      if (!existsSync(migrate)) throw new Error(`${migrate} missing: build first (node scripts/build.js)`);
      const result = await runToEnd(migrate, ['up'], this.env());
      if (result.code !== 0) throw new Error(`${service} migrations failed (exit ${result.code}): ${result.stderr.slice(-2000)}`);
    }
    await Promise.all(SERVICES.map((service) => this.startService(service)));
  }

  private async startService(name: PipelineService): Promise<void> {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(this.root, `dist/apps/${name}/src/main.js`)], {
      env: { ...this.env(), ...this.extraEnv[name], PORT: String(port), INSTANCE_ID: `bench-${name}` },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const service: RunningService = { name, child, exited: new Promise((resolve) => child.once('exit', () => resolve())), stderr: [], stderrLines: 0 };
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        service.stderrLines++;
        service.stderr.push(line.slice(0, 500));
        if (service.stderr.length > STDERR_LINES_KEPT) service.stderr.shift();
      }
    });
    this.running.push(service);
    try {
      await waitReady(`http://127.0.0.1:${port}/health/ready`, child);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}\n${service.stderr.join('\n')}`);
    }
  }

  /** Fails when a service died during the run: its numbers would be meaningless. */
  assertAlive(): void {
    for (const s of this.running) {
      if (s.child.exitCode !== null || s.child.signalCode !== null) throw new Error(`${s.name} exited (${s.child.exitCode ?? s.child.signalCode}):\n${s.stderr.join('\n')}`);
    }
  }

  /** What the services wrote to stderr (LOG_LEVEL warn): line counts and the last lines. */
  stderrReport(): { name: PipelineService; lines: number; last: string[] }[] {
    return this.running.map((s) => ({ name: s.name, lines: s.stderrLines, last: s.stderr.slice(-3) }));
  }

  async stop(): Promise<void> {
    for (const s of this.running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
    await Promise.all(
      this.running.map((s) =>
        Promise.race([s.exited, sleep(15_000).then(() => s.child.kill('SIGKILL'))]),
      ),
    );
    await deleteRedisNamespace(this.redisUrl, this.namespace);
    await dropDatabase(this.databaseUrl);
  }
}

function runToEnd(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

