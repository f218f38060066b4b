import { MessageHandler, ServerRedis } from '@nestjs/microservices';
import type Redis from 'ioredis';
import { RpcConnectionOptions, redisOptionsFromUrl } from './rpc-connection';

/**
 * Nest's Redis transport (request/response over pub/sub) with a channel namespace. Subscribes only
 * to request handlers (`@MessagePattern`/`@RpcHandler`), never to `@EventPattern`s, which belong to
 * the Redis Streams transport.
 */
export class RpcRedisServer extends ServerRedis {
  private readonly namespace: string;

  constructor(options: RpcConnectionOptions) {
    super({ ...redisOptionsFromUrl(options.redisUrl), retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: 1000 });
    this.namespace = options.namespace ?? '';
  }

  override getRequestPattern(pattern: string): string {
    return `${this.namespace}${pattern}`;
  }

  override getHandlerByPattern(channel: string): MessageHandler | null {
    if (!channel.startsWith(this.namespace)) return null;
    return super.getHandlerByPattern(channel.slice(this.namespace.length));
  }

  override bindEvents(subClient: Redis, pubClient: Redis): void {
    subClient.on('message', this.getMessageHandler(pubClient).bind(this));
    const channels = [...this.messageHandlers.entries()]
      .filter(([, handler]) => !handler.isEventHandler)
      .map(([pattern]) => this.getRequestPattern(pattern));
    if (channels.length > 0) {
      subClient.subscribe(...channels).catch((err: Error) => this.logger.error(`subscribe failed: ${err.message}`));
    }
  }
}
