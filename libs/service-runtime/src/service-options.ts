import type { ServiceDatabase } from '@trading/database';
import type { BaseServiceEnv } from './config/base-service.env';

export const SERVICE_OPTIONS = Symbol('SERVICE_OPTIONS');
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

export interface ServiceOptions {
  /** Service name: logs, consumer group, connection names. */
  readonly service: string;
  readonly config: BaseServiceEnv;
  /** The schema(s) the service owns; omitted for services without a database (the gateway). */
  readonly database?: ServiceDatabase;
}
