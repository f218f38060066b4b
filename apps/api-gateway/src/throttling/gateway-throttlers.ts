import { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { ApiGatewayEnv, parseRate } from '../config/api-gateway.env';
import { SENSITIVE_AUTH_ROUTE } from '../security/access.decorators';
import type { RequestWithCaller } from '../security/gateway-caller';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const isSensitive = (context: ExecutionContext): boolean =>
  Reflect.getMetadata(SENSITIVE_AUTH_ROUTE, context.getHandler()) === true || Reflect.getMetadata(SENSITIVE_AUTH_ROUTE, context.getClass()) === true;

const accountOf = (request: { body?: unknown }): string | null => {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.length > 0 && email.length <= 255 ? email.trim().toLowerCase() : null;
};

// One bucket per throttler and tracker (not per route): "300 requests a minute" means all routes.
const keyOf = (_: ExecutionContext, tracker: string) => createHash('sha256').update(tracker).digest('base64url');

/**
 * - `default`: every route, per user (per IP when anonymous).
 * - `auth-ip`: login, register, password reset, per client IP.
 * - `auth-account`: the same routes, per email in the body, so one account cannot be hammered from many IPs.
 */
export function gatewayThrottlers(config: ApiGatewayEnv, redis: Redis): ThrottlerModuleOptions {
  const perUser = parseRate(config.RATE_LIMIT_DEFAULT);
  const perIp = parseRate(config.RATE_LIMIT_AUTH_IP);
  const perAccount = parseRate(config.RATE_LIMIT_AUTH_ACCOUNT);
  return {
    storage: new RedisThrottlerStorage(redis, config.REDIS_NAMESPACE),
    errorMessage: 'Too many requests; retry after the number of seconds in Retry-After',
    generateKey: keyOf,
    throttlers: [
      {
        name: 'default',
        limit: perUser.limit,
        ttl: perUser.ttlMs,
        getTracker: (req) => {
          const request = req as RequestWithCaller;
          return request.caller ? `user:${request.caller.userId}` : `ip:${request.ip ?? 'unknown'}`;
        },
      },
      {
        name: 'auth-ip',
        limit: perIp.limit,
        ttl: perIp.ttlMs,
        skipIf: (context) => !isSensitive(context),
        getTracker: (req) => `ip:${(req as RequestWithCaller).ip ?? 'unknown'}`,
      },
      {
        name: 'auth-account',
        limit: perAccount.limit,
        ttl: perAccount.ttlMs,
        skipIf: (context) => !isSensitive(context) || accountOf(context.switchToHttp().getRequest()) === null,
        getTracker: (req) => `account:${accountOf(req) ?? ''}`,
      },
    ],
  };
}
