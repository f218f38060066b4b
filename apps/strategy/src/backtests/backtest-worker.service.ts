import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { runBacktest } from '@trading/backtest';
import { SERVICE_CONFIG } from '@trading/service-runtime';
import { createStrategy } from '@trading/strategies';
import { RpcClient } from '@trading/streams';
import { StrategyEnv } from '../config/strategy.env';
import { StrategyRepository } from '../strategies/strategy.repository';
import { datasetCandles, marketCandles } from './backtest-candles';
import { backtestConfig, BacktestSettings, toBacktestResults } from './backtest-results';
import { BacktestEntity } from './backtest.entity';
import { BacktestRepository } from './backtest.repository';

/**
 * Runs queued backtests, one at a time per instance (claimNext: SKIP LOCKED, so instances share the
 * queue). Progress: 10 % claimed, up to 50 % while candles load, 60 % running, 100 % stored.
 */
@Injectable()
export class BacktestWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BacktestWorker.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private rpc?: RpcClient;

  constructor(
    private readonly backtests: BacktestRepository,
    private readonly strategies: StrategyRepository,
    @Inject(SERVICE_CONFIG) private readonly config: StrategyEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.work();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.rpc?.close();
  }

  private async work(): Promise<void> {
    while (this.running) {
      let job: BacktestEntity | null = null;
      try {
        job = await this.backtests.claimNext(new Date());
        if (!job) {
          const requeued = await this.backtests.requeueStale(new Date(Date.now() - this.config.BACKTEST_STALE_AFTER_MS));
          if (requeued) this.logger.warn({ msg: 'stale backtests queued again', count: requeued });
        }
        if (job) await this.execute(job);
      } catch (error) {
        this.logger.error({ msg: 'backtest worker error', backtestId: job?.id, error: (error as Error).message });
      }
      if (!job && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.config.BACKTEST_POLL_INTERVAL_MS);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  async execute(job: BacktestEntity): Promise<void> {
    try {
      await this.backtests.updateProgress(job.id, '10');
      const settings = job.settings as BacktestSettings;
      const candles = settings.dataset
        ? datasetCandles(settings.dataset).candles.filter((c) => c.time >= job.startTime.getTime() && c.time < job.endTime.getTime())
        : await marketCandles(
            this.marketData(),
            { exchange: job.exchange, symbol: job.symbol, timeframe: job.timeframe, from: job.startTime, to: job.endTime },
            this.config.MARKET_DATA_RPC_TIMEOUT_MS,
            (fraction) => this.backtests.updateProgress(job.id, (10 + 40 * fraction).toFixed(2)),
          );
      if (candles.length === 0) throw new Error(`no candles for ${job.exchange} ${job.symbol} ${job.timeframe} between ${job.startTime.toISOString()} and ${job.endTime.toISOString()}`);
      await this.backtests.updateProgress(job.id, '60');
      const run = runBacktest(candles, createStrategy(job.strategy, job.params), backtestConfig(job.initialCapital, settings));
      const { results, summary } = toBacktestResults(run);
      await this.backtests.complete(job.id, results, new Date());
      if (job.strategyId) await this.strategies.update(job.strategyId, { isBacktested: true, backtestResults: { backtestId: job.id, ...summary } });
      this.logger.log({ msg: 'backtest completed', backtestId: job.id, candles: candles.length, trades: results.totalTrades });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ msg: 'backtest failed', backtestId: job.id, error: message });
      await this.backtests.fail(job.id, message.slice(0, 2000), new Date());
    }
  }

  private marketData(): RpcClient {
    this.rpc ??= new RpcClient({ redisUrl: this.config.REDIS_URL, namespace: this.config.REDIS_NAMESPACE });
    return this.rpc;
  }
}
