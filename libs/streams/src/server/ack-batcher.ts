import type Redis from 'ioredis';

interface Batch {
  ids: string[];
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

/**
 * Acks gathered during one turn of the event loop go out as one `XACK key group id...` per
 * stream: one round trip for a whole read instead of one per message. Each caller's promise
 * settles when its own XACK has been answered.
 */
export class AckBatcher {
  private batches = new Map<string, Batch>();
  private scheduled = false;

  constructor(
    private readonly redis: Redis,
    private readonly group: string,
  ) {}

  ack(key: string, id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let batch = this.batches.get(key);
      if (!batch) this.batches.set(key, (batch = { ids: [], waiters: [] }));
      batch.ids.push(id);
      batch.waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  async flush(): Promise<void> {
    this.scheduled = false;
    const batches = this.batches;
    this.batches = new Map();
    await Promise.all(
      [...batches].map(async ([key, batch]) => {
        try {
          await this.redis.xack(key, this.group, ...batch.ids);
          batch.waiters.forEach((w) => w.resolve());
        } catch (error) {
          batch.waiters.forEach((w) => w.reject(error));
        }
      }),
    );
  }
}
