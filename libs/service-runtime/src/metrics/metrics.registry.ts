import { Injectable } from '@nestjs/common';

export type MetricsSource = () => Promise<object> | object;

/** Parts of a service register what they measure; GET /metrics answers all of it as JSON. */
@Injectable()
export class MetricsRegistry {
  private readonly sources = new Map<string, MetricsSource>();

  register(name: string, source: MetricsSource): void {
    this.sources.set(name, source);
  }

  async collect(): Promise<Record<string, unknown>> {
    const memory = process.memoryUsage();
    const out: Record<string, unknown> = {
      process: { uptimeSeconds: Math.round(process.uptime()), rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
    };
    for (const [name, source] of this.sources) {
      try {
        out[name] = await source();
      } catch (error) {
        out[name] = { error: error instanceof Error ? error.message : String(error) };
      }
    }
    return out;
  }
}
