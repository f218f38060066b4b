import { applyDecorators } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { StreamEventMap, StreamName } from '@trading/contracts';
import { toStreamHandlerException } from './handler-failure';
import type { RedisStreamsContext } from './redis-streams.context';

export interface OnStreamOptions<S extends StreamName> {
  /**
   * Events with the same key (e.g. the bot id) are never handled concurrently by this consumer,
   * and are handled in the order they were read. Other keys proceed in parallel.
   */
  partitionKey?: (event: StreamEventMap[S]) => string | null | undefined;
}

export const PARTITION_KEY_EXTRA = 'streamsPartitionKey';

/**
 * Default transport id of RedisStreamsServer: in a service hosting both transports, RPC handlers
 * (`Transport.REDIS`) never bind to it, while `@OnStream` / `@EventPattern` handlers (no
 * transport) bind to every server, which is why RpcRedisServer ignores them.
 */
export const REDIS_STREAMS_TRANSPORT = Symbol.for('trading.redis-streams');

type StreamHandler<S extends StreamName> = (event: StreamEventMap[S], context: RedisStreamsContext) => unknown;

/**
 * `@EventPattern(stream)` with types: the method must accept every event the stream carries
 * (`StreamEventMap[stream]`), already validated. Acked once the returned promise resolves.
 */
export function OnStream<S extends StreamName>(stream: S, options: OnStreamOptions<S> = {}) {
  return <T extends StreamHandler<S>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>): void => {
    const original = descriptor.value as unknown as (...args: unknown[]) => unknown;
    const wrapped = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
      try {
        return await original.apply(this, args);
      } catch (error) {
        throw toStreamHandlerException(error);
      }
    };
    Object.defineProperty(wrapped, 'name', { value: original.name });
    // Nest reads parameter decorators and metadata from the method: keep them on the wrapper.
    for (const metadataKey of Reflect.getMetadataKeys(original)) {
      Reflect.defineMetadata(metadataKey, Reflect.getMetadata(metadataKey, original), wrapped);
    }
    descriptor.value = wrapped as unknown as T;
    applyDecorators(EventPattern(stream, { [PARTITION_KEY_EXTRA]: options.partitionKey }))(target, key, descriptor);
  };
}
