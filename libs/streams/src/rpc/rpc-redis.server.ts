import { MessageHandler, RedisContext, ServerRedis } from '@nestjs/microservices';
import type Redis from 'ioredis';
import { replyChannelOfRequest, RpcConnectionOptions, redisOptionsFromUrl } from './rpc-connection';

/**
 * Nest's Redis transport (request/response over pub/sub) with a channel namespace. Subscribes only
 * to request handlers (`@MessagePattern`/`@RpcHandler`), never to `@EventPattern`s, which belong to
 * the Redis Streams transport.
 */
/** Long enough for every instance to have seen the request; short enough to leave nothing behind. */
const CLAIM_TTL_MS = 60_000;

function requestIdOf(buffer: string): string | undefined {
  try {
    const parsed = JSON.parse(buffer) as { id?: unknown };
    return typeof parsed.id === 'string' ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}

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

  /**
   * Redis pub/sub delivers a request to every instance of the service; only one may handle it (a
   * command such as "create bot" must run once). The first instance to claim the request id
   * (SET NX with a short expiry) answers; the others drop it.
   */
  override async handleMessage(channel: string, buffer: string, pub: Redis, pattern: string): Promise<void> {
    const id = requestIdOf(buffer);
    if (id !== undefined) {
      const claimed = await pub.set(`${this.namespace}rpc:claim:${id}`, '1', 'PX', CLAIM_TTL_MS, 'NX').catch(() => 'OK');
      if (claimed !== 'OK') return;
    }
    return super.handleMessage(channel, buffer, pub, pattern);
  }

  /** The answer goes to the asking client's own channel (named in the request id). */
  override getPublisher(pub: Redis, pattern: string, id: string, ctx: RedisContext): (response: object) => Promise<number> {
    const channel = replyChannelOfRequest(this.namespace, id);
    if (!channel) return super.getPublisher(pub, pattern, id, ctx) as (response: object) => Promise<number>;
    return (response: object) => {
      const outgoing: unknown = this.serializer.serialize(Object.assign(response, { id }));
      this.onProcessingEndHook?.(this.transportId as symbol, ctx);
      return pub.publish(channel, JSON.stringify(outgoing));
    };
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
