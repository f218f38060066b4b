import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DashboardViewsRepository } from '../read-model/dashboard-views.repository';

/**
 * Refreshes the dashboard materialized views a while after changes, never more than one refresh at a time
 * (CONCURRENTLY: readers are not blocked); a burst of events costs one refresh.
 */
@Injectable()
export class ViewRefresher implements OnApplicationShutdown {
  private readonly logger = new Logger(ViewRefresher.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  refreshes = 0;

  constructor(
    private readonly views: DashboardViewsRepository,
    private readonly debounceMs: number,
  ) {}

  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.refresh().finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      });
    }, this.debounceMs);
  }

  private async refresh(): Promise<void> {
    try {
      await this.views.refreshMaterializedViews();
      this.refreshes++;
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'materialized view refresh failed');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
