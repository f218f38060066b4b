import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './process-helpers';

const BINARY = '/usr/bin/victoria-metrics';

export interface VictoriaMetricsServer {
  /** Base URL; InfluxDB v2 clients write to `${url}/api/v2/write`. */
  readonly url: string;
  /** Every sample of a series as exported by /api/v1/export (series names are `<measurement>_<field>`). */
  exportSeries(match: string): Promise<{ metric: Record<string, string>; values: number[]; timestamps: number[] }[]>;
  stop(): Promise<void>;
}

/**
 * A real server that accepts InfluxDB v2 line-protocol writes (Debian's victoria-metrics,
 * installed by scripts/ensure-tools.js), on a free port with a throw-away data folder.
 */
export async function startVictoriaMetrics(): Promise<VictoriaMetricsServer> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run "node scripts/ensure-tools.js" (npm test does) or "apt-get install -y victoria-metrics"`);
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vm-'));
  const child: ChildProcess = spawn(BINARY, [`-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${dataDir}`, '-search.latencyOffset=0s', '-retentionPeriod=100y', '-loggerLevel=ERROR'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/health`)).ok, { what: 'victoria-metrics to answer', timeoutMs: 15_000 });
  return {
    url,
    async exportSeries(match: string) {
      const res = await fetch(`${url}/api/v1/export?match[]=${encodeURIComponent(match)}`);
      const text = await res.text();
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { metric: Record<string, string>; values: number[]; timestamps: number[] });
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
