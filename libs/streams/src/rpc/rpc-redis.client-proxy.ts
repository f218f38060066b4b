import { ClientRedis, PacketId, ReadPacket, WritePacket } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { replyChannel, RpcConnectionOptions, redisOptionsFromUrl } from './rpc-connection';
import { RpcUnavailableError } from './errors/rpc-unavailable.error';

/**
 * Nest's Redis ClientProxy with a channel namespace, and fast failure instead of a hang:
 * PUBLISH reports how many subscribers got the request, so "no instance of the service is
 * listening" becomes an RpcUnavailableError at once, as does a Redis that is down (no offline
 * queue). (On a Redis Cluster PUBLISH counts only one node's subscribers; we run a single Redis.)
 * Replies come on this client's own channel (see replyChannelOfRequest), subscribed once.
 */
export class RpcRedisClientProxy extends ClientRedis {
  private readonly namespace: string;
  private readonly clientId = randomUUID().replace(/-/g, '');
  private replySubscription: Promise<void> | null = null;

  constructor(options: RpcConnectionOptions) {
    super({
      ...redisOptionsFromUrl(options.redisUrl),
      enableOfflineQueue: false,
      // ioredis keeps a never-opened socket's destroy timer (2 s by default) alive after disconnect().
      disconnectTimeout: 100,
      retryAttempts: Number.MAX_SAFE_INTEGER,
      retryDelay: 1000,
    });
    this.namespace = options.namespace ?? '';
  }

  override getRequestPattern(pattern: string): string {
    return `${this.namespace}${pattern}`;
  }

  override getReplyPattern(pattern: string): string {
    return `${this.namespace}${pattern}.reply`;
  }

  override assignPacketId(packet: ReadPacket): ReadPacket & PacketId {
    return Object.assign(packet, { id: `${this.clientId}.${randomUUID()}` });
  }

  /** Subscribed once per connection; ioredis subscribes again by itself after a reconnect. */
  private subscribeReplies(): Promise<void> {
    if (this.replySubscription) return this.replySubscription;
    const subscription = this.subClient.subscribe(replyChannel(this.namespace, this.clientId)).then(() => undefined);
    subscription.catch(() => {
      if (this.replySubscription === subscription) this.replySubscription = null;
    });
    this.replySubscription = subscription;
    return subscription;
  }

  /** Like ClientRedis.close, but also while Redis is unreachable (QUIT cannot be sent then). */
  override async close(): Promise<void> {
    this.isManuallyClosed = true;
    this.replySubscription = null;
    this.handleClose();
    const clients = [this.pubClient, this.subClient].filter(Boolean) as Array<{ status: string; quit(): Promise<unknown>; disconnect(): void }>;
    await Promise.all(
      clients.map((client) => (client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : client.disconnect())),
    );
    (this as unknown as { pubClient: null; subClient: null }).pubClient = null;
    (this as unknown as { pubClient: null; subClient: null }).subClient = null;
    this.pendingEventListeners = [];
  }

  protected override publish(partialPacket: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const pattern = this.normalizePattern(partialPacket.pattern);
    let settled = false;
    const packet = this.assignPacketId(partialPacket);
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      this.routingMap.delete(packet.id);
      callback({ err: new RpcUnavailableError(pattern, reason) });
    };
    try {
      const serialized = JSON.stringify(this.serializer.serialize(packet));
      this.subscribeReplies().then(
        () => {
          if (settled) return;
          this.routingMap.set(packet.id, callback);
          this.pubClient
            .publish(this.getRequestPattern(pattern), serialized)
            .then((receivers: number) => receivers === 0 && fail('no instance of the service is listening'))
            .catch((err: Error) => fail(err.message));
        },
        (err: Error) => fail(err.message),
      );
    } catch (err) {
      fail((err as Error).message);
    }
    return () => {
      settled = true;
      this.routingMap.delete(packet.id);
    };
  }
}
