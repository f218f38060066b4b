import type { ServiceDatabase } from '@trading/database';
import type { RedisStreamsServerOptions } from '@trading/streams';
import type { BaseServiceEnv } from './config/base-service.env';

export const SERVICE_OPTIONS = Symbol('SERVICE_OPTIONS');
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

export interface ServiceOptions {
  /** Service name: logs, consumer group, connection names. */
  readonly service: string;
  readonly config: BaseServiceEnv;
  /** The schema(s) the service owns; omitted for services without a database (the gateway). */
  readonly database?: ServiceDatabase;
  /**
   * Publish/consume Redis Streams (StreamsModule: publisher, metrics). The consumer group is the
   * service name, the consumer the instance name. Omit for services that use no streams.
   */
  /** Write logs to stderr (one-shot tasks whose stdout is their result). */
  readonly logToStderr?: boolean;
  readonly streams?: Omit<RedisStreamsServerOptions, 'redisUrl' | 'service' | 'namespace' | 'consumer'> | true;
}
