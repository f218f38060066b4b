import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min, MinLength, registerDecorator, ValidationArguments } from 'class-validator';
import { BaseServiceEnv } from '@trading/service-runtime';

/** Same public development default as the auth service's (refused in production there and here). */
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789abcdef';

const RATE = /^\d{1,7}\/\d{1,6}$/;
const RATE_MESSAGE = 'must read <limit>/<seconds>, e.g. 300/60';

function NotDevSecretInProduction() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'notDevSecretInProduction',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be set in production (the development default is public)` },
      validator: { validate: (value: unknown, args: ValidationArguments) => (args.object as ApiGatewayEnv).NODE_ENV !== 'production' || value !== DEV_JWT_SECRET },
    });
}

/** Environment of the api-gateway service (see README.md, Configuration). */
export class ApiGatewayEnv extends BaseServiceEnv {
  /** Verifies access tokens: the auth service's JWT_SECRET. */
  @IsString() @MinLength(32) @NotDevSecretInProduction()
  JWT_SECRET = DEV_JWT_SECRET;

  /** Origins allowed by CORS, comma-separated (`*` for any); empty: no cross-origin access. */
  @IsString() @Matches(/^[^\s]*$/, { message: 'is a comma-separated list without spaces' })
  CORS_ORIGINS = '';

  @Type(() => Number) @IsInt() @Min(1024) @Max(10_485_760)
  BODY_LIMIT_BYTES = 102_400;

  /**
   * Proxies in front of the gateway whose X-Forwarded-For gives the client IP (per-IP rate limits, audit):
   * `false` (default: the connecting address; a client cannot pick its IP), a hop count, or comma-separated
   * addresses/CIDRs of the load balancer or ingress (e.g. `10.0.0.0/8`). `true` believes any sender.
   */
  @Matches(/^(true|false|\d{1,2}|[0-9a-fA-F.:/,]+)$/, { message: 'must be true, false, a hop count, or comma-separated addresses/CIDRs' })
  TRUST_PROXY = 'false';

  /** Longest wait for a service's answer before a 504. */
  @Type(() => Number) @IsInt() @Min(50) @Max(120_000)
  RPC_TIMEOUT_MS = 5000;

  /** Requests per user (per IP when anonymous) per window, across every gateway instance. */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_DEFAULT = '300/60';

  /** Login, register and password reset: requests per client IP per window. */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_AUTH_IP = '20/60';

  /** Login and password reset: requests per account (email) per window. */
  @Matches(RATE, { message: RATE_MESSAGE })
  RATE_LIMIT_AUTH_ACCOUNT = '10/300';
}

export function parseRate(value: string): { limit: number; ttlMs: number } {
  const [limit, seconds] = value.split('/').map(Number);
  return { limit, ttlMs: seconds * 1000 };
}
