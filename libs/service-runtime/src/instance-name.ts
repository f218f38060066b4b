import { hostname } from 'node:os';
import type { BaseServiceEnv } from './config/base-service.env';

/** This instance's name: its consumer name in stream groups and its label in logs. */
export function instanceName(config: BaseServiceEnv): string {
  return config.INSTANCE_ID ?? `${hostname()}-${process.pid}`;
}
