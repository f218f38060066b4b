import { InfluxMetricsWriter } from '@trading/observability';
import type { StreamsMetrics } from '@trading/streams';
import { freePort } from '@trading/testing';
import { MetricsSink } from './metrics-sink';

const streams = {
  snapshot: () => Promise.resolve({ processedPerSecond: 12.5, handlerLatencyMs: { p50: 1, p99: 4, samples: 10 }, totals: { processed: 1, failed: 0, deadLettered: 0 }, byStream: {}, groups: [{ lag: 3 }, { lag: null }], deadLetterStreamLength: 0 }),
} as unknown as StreamsMetrics;

describe('MetricsSink', () => {
  it('does nothing without a writer (no INFLUX_URL)', async () => {
    const sink = new MetricsSink(null, streams, 'analytics', 1000, 'analytics-0');
    sink.onApplicationBootstrap();
    sink.bot({ botId: 'b', equity: 1, pnl: 0, drawdown: 0, positionsCount: 0, winRate: null, tradeCount: 0, at: new Date() });
    await sink.writeSystemMetrics();
    expect(sink.stats()).toEqual({ disabled: true });
    await sink.onApplicationShutdown();
  });

  it('never throws while InfluxDB is unreachable: points are buffered and the failure only counted', async () => {
    const errors: string[] = [];
    const writer = new InfluxMetricsWriter({ url: `http://127.0.0.1:${await freePort()}`, token: 't', org: 'o', bucket: 'b', service: 'analytics', flushIntervalMs: 60_000, timeoutMs: 500, onError: (m) => errors.push(m) });
    const sink = new MetricsSink(writer, streams, 'analytics', 60_000, 'analytics-0');
    for (let i = 0; i < 1000; i++) sink.bot({ botId: 'b', equity: 1000 + i, pnl: i, drawdown: 0, positionsCount: 1, winRate: 50, tradeCount: i, at: new Date() });
    await sink.writeSystemMetrics();
    await writer.flush();
    expect(writer.stats().written).toBe(0);
    expect(errors.length).toBeGreaterThan(0);
    await sink.onApplicationShutdown();
  });
});
