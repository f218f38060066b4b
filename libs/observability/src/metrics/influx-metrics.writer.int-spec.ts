import { startVictoriaMetrics, VictoriaMetricsServer, waitFor } from '@trading/testing';
import { InfluxMetricsWriter } from './influx-metrics.writer';

describe('InfluxMetricsWriter against a real InfluxDB v2 write endpoint (VictoriaMetrics)', () => {
  let server: VictoriaMetricsServer;

  beforeAll(async () => {
    server = await startVictoriaMetrics();
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('writes points with tags and fields that can be read back', async () => {
    const errors: string[] = [];
    const writer = new InfluxMetricsWriter({ url: server.url, token: 'test-token', org: 'trading', bucket: 'trading', service: 'analytics', onError: (m) => errors.push(m) });
    const t = Date.now() - 60_000;
    writer.write('portfolio_metrics', { bot_id: 'bot-1' }, { equity: 10_250.5, drawdown: -1.25, positions_count: 1 }, t);
    writer.write('portfolio_metrics', { bot_id: 'bot-1' }, { equity: 10_300 }, t + 1000);
    await writer.flush();
    const series = await waitFor(async () => {
      const found = await server.exportSeries('portfolio_metrics_equity');
      return found.length && found[0].values.length === 2 ? found : undefined;
    }, { what: 'the equity series', timeoutMs: 30_000, intervalMs: 250 });
    expect(series[0].metric).toMatchObject({ __name__: 'portfolio_metrics_equity', bot_id: 'bot-1', service: 'analytics' });
    expect(series[0].values).toEqual([10_250.5, 10_300]);
    expect(series[0].timestamps).toEqual([t, t + 1000]);
    expect((await server.exportSeries('portfolio_metrics_drawdown'))[0].values).toEqual([-1.25]);
    expect(errors).toEqual([]);
    await writer.close();
  });

  it('never throws or blocks when the server is unreachable, and reports the failure', async () => {
    const errors: string[] = [];
    const writer = new InfluxMetricsWriter({ url: 'http://127.0.0.1:1', token: 't', org: 'o', bucket: 'b', service: 'risk', timeoutMs: 500, onError: (m) => errors.push(m) });
    expect(() => writer.write('system_metrics', { metric_name: 'lag' }, { value: 3 })).not.toThrow();
    await writer.flush();
    expect(errors.join('\n')).toMatch(/influx (write|flush) failed/);
    await writer.close();
  });
});
