import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG } from '@trading/service-runtime';
import { MarketDataEnv } from '../config/market-data.env';
import { OhlcvPartitionMaintenance } from './ohlcv-partition-maintenance';

/** Runs the OHLCV partition job at start and then every PARTITION_CHECK_INTERVAL_MS (daily by default). */
@Injectable()
export class PartitionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PartitionScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly maintenance: OhlcvPartitionMaintenance,
    @Inject(SERVICE_CONFIG) private readonly config: MarketDataEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.config.PARTITION_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async runOnce(): Promise<void> {
    try {
      await this.maintenance.run();
    } catch (error) {
      // Candles still land in the default partition: nothing is lost, the next run retries.
      this.logger.error({ msg: 'partition maintenance failed', error: String(error) });
    }
  }
}
