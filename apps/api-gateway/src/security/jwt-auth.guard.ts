import { CanActivate, ExecutionContext, Inject, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenClaims, revokedSessionKey, USER_ROLES } from '@trading/contracts';
import { REDIS_CLIENT } from '@trading/service-runtime';
import type Redis from 'ioredis';
import { isOpsRoute } from '../http/ops-routes';
import { PUBLIC_ROUTE } from './access.decorators';
import type { RequestWithCaller } from './gateway-caller';

export const GATEWAY_NAMESPACE = Symbol('GATEWAY_NAMESPACE');

/**
 * Every route needs a valid access token (HS256, claims sub/role/sid) unless marked @Public();
 * health and metrics are outside /api/v1 and open. A token of a logged-out login, or issued before
 * the user's password or role changed, is refused (auth publishes those revocations in Redis).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(GATEWAY_NAMESPACE) private readonly namespace: string,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithCaller & { routeOptions?: { url?: string } }>();
    if (isOpsRoute(request)) return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const claims = this.verify(request.headers.authorization);
    let revoked: number;
    try {
      revoked = await this.redis.exists(revokedSessionKey(this.namespace, claims.sid));
    } catch {
      throw new ServiceUnavailableException('Cannot check the session right now');
    }
    if (revoked) throw new UnauthorizedException('Session ended; log in again');
    request.caller = { userId: claims.sub, role: claims.role, sid: claims.sid };
    return true;
  }

  private verify(header: string | string[] | undefined): AccessTokenClaims {
    const match = typeof header === 'string' ? /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header) : null;
    if (!match) throw new UnauthorizedException('Missing or invalid access token');
    let claims: AccessTokenClaims;
    try {
      claims = this.jwt.verify<AccessTokenClaims>(match[1], { algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException('Missing or invalid access token');
    }
    const valid = typeof claims.sub === 'string' && typeof claims.sid === 'string' && (USER_ROLES as readonly string[]).includes(claims.role);
    if (!valid) throw new UnauthorizedException('Missing or invalid access token');
    return claims;
  }
}
