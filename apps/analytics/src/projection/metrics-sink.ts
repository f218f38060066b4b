import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InfluxMetricsWriter } from '@trading/observability';
import type { StreamsMetrics } from '@trading/streams';

export interface BotPortfolioPoint {
  readonly botId: string;
  readonly equity: number;
  readonly pnl: number;
  readonly drawdown: number;
  readonly positionsCount: number;
  readonly winRate: number | null;
  readonly tradeCount: number;
  readonly at: Date;
}

/**
 * InfluxDB points of analytics: portfolio_metrics and trading_performance per bot after each change, and
 * system_metrics (events/s, lag, handler p99) from the streams consumer every interval. Without INFLUX_URL it
 * does nothing; the writer never blocks or throws, so a metrics outage never touches event processing.
 */
export class MetricsSink implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsSink.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly writer: InfluxMetricsWriter | null,
    private readonly streams: StreamsMetrics,
    private readonly service: string,
    private readonly intervalMs: number,
    /** Tags system_metrics: each replica's events/s and p99 are its own series (summed / maxed in Grafana). */
    private readonly instance: string,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.writer) {
      this.logger.log('INFLUX_URL not set: no InfluxDB metrics are written');
      return;
    }
    this.timer = setInterval(() => void this.writeSystemMetrics(), this.intervalMs);
    this.timer.unref();
  }

  bot(point: BotPortfolioPoint): void {
    if (!this.writer) return;
    this.writer.write('portfolio_metrics', { bot_id: point.botId }, { equity: point.equity, pnl: point.pnl, drawdown: point.drawdown, positions_count: point.positionsCount }, point.at);
    this.writer.write(
      'trading_performance',
      { bot_id: point.botId },
      { pnl: point.pnl, trade_count: point.tradeCount, ...(point.winRate === null ? {} : { win_rate: point.winRate }) },
      point.at,
    );
  }

  async writeSystemMetrics(): Promise<void> {
    if (!this.writer) return;
    try {
      const s = await this.streams.snapshot();
      const lag = s.groups.reduce((sum, g) => sum + (g.lag ?? 0), 0);
      this.writer.write('system_metrics', { service: this.service, instance: this.instance }, { events_per_second: s.processedPerSecond, lag, ...(s.handlerLatencyMs.p99 === null ? {} : { handler_p99_ms: s.handlerLatencyMs.p99 }) });
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'system metrics snapshot failed');
    }
  }

  stats(): object {
    return this.writer ? this.writer.stats() : { disabled: true };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.writer?.close();
  }
}
