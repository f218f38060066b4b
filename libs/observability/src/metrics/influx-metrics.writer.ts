import { InfluxDB, Point, setLogger, WriteApi } from '@influxdata/influxdb-client';

export interface InfluxWriterOptions {
  readonly url: string;
  readonly token: string;
  readonly org: string;
  readonly bucket: string;
  /** Tag added to every point. */
  readonly service: string;
  /** Points kept while InfluxDB is unreachable; the oldest are dropped past it. */
  readonly maxBufferLines?: number;
  readonly flushIntervalMs?: number;
  readonly batchSize?: number;
  readonly timeoutMs?: number;
  readonly onError?: (message: string) => void;
}

export type Tags = Record<string, string>;
export type Fields = Record<string, number | string | boolean>;

/** The client library logs to the console on its own; route it to our logger instead. */
let clientLoggerSet = false;

/**
 * Writes InfluxDB 2.x points (POST /api/v2/write, line protocol) in the background: `write()`
 * never waits and never throws, points are batched, buffered (bounded) while the server is down
 * and retried a few times; past the buffer the oldest are dropped and counted. A metrics outage
 * never slows or stops trading.
 */
export class InfluxMetricsWriter {
  private readonly api: WriteApi;
  private dropped = 0;
  private written = 0;
  private failures = 0;

  constructor(private readonly options: InfluxWriterOptions) {
    const onError = options.onError ?? (() => undefined);
    if (!clientLoggerSet) {
      setLogger({ error: (message) => onError(message), warn: (message) => onError(message) });
      clientLoggerSet = true;
    }
    this.api = new InfluxDB({ url: options.url, token: options.token, timeout: options.timeoutMs ?? 5000 }).getWriteApi(options.org, options.bucket, 'ms', {
      batchSize: options.batchSize ?? 500,
      flushInterval: options.flushIntervalMs ?? 5000,
      maxBufferLines: options.maxBufferLines ?? 50_000,
      maxRetries: 3,
      maxRetryDelay: 15_000,
      minRetryDelay: 1000,
      defaultTags: { service: options.service },
      writeFailed: (error: Error, lines: string[], attempt: number) => {
        this.failures++;
        if (attempt > 3) this.dropped += lines.length;
        onError(`influx write failed (attempt ${attempt}, ${lines.length} points): ${error.message}`);
      },
      writeSuccess: (lines: string[]) => {
        this.written += lines.length;
      },
    });
  }

  write(measurement: string, tags: Tags, fields: Fields, time: Date | number = Date.now()): void {
    const point = new Point(measurement).timestamp(time instanceof Date ? time : new Date(time));
    for (const [k, v] of Object.entries(tags)) point.tag(k, v);
    let hasField = false;
    for (const [k, v] of Object.entries(fields)) {
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) continue;
        point.floatField(k, v);
      } else if (typeof v === 'boolean') point.booleanField(k, v);
      else point.stringField(k, v);
      hasField = true;
    }
    if (hasField) this.api.writePoint(point);
  }

  /** Sends what is buffered now (tests, shutdown). Never throws. */
  async flush(): Promise<void> {
    await this.api.flush().catch((error: Error) => this.options.onError?.(`influx flush failed: ${error.message}`));
  }

  async close(): Promise<void> {
    await this.api.close().catch((error: Error) => this.options.onError?.(`influx close failed: ${error.message}`));
  }

  stats() {
    return { written: this.written, dropped: this.dropped, failures: this.failures };
  }
}
