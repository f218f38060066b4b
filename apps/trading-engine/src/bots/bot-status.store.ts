import type Redis from 'ioredis';

/** Bot statuses from BotStatusChanged, shared by every engine instance (one Redis hash). */
export class BotStatusStore {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  private get key(): string {
    return `${this.namespace}trading-engine:bot-status`;
  }

  async set(botId: string, status: string): Promise<void> {
    await this.redis.hset(this.key, botId, status);
  }

  async get(botId: string): Promise<string | null> {
    return this.redis.hget(this.key, botId);
  }
}
