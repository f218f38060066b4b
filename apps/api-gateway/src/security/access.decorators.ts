import { createParamDecorator, ExecutionContext, SetMetadata, UnauthorizedException } from '@nestjs/common';
import type { RequestOrigin, UserRole } from '@trading/contracts';
import type { GatewayCaller, RequestWithCaller } from './gateway-caller';

export const PUBLIC_ROUTE = 'gateway:public';
export const ROLES = 'gateway:roles';
export const SENSITIVE_AUTH_ROUTE = 'gateway:sensitive-auth';

/** No access token needed (register, login, refresh, password reset). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Only these roles; others get 403 (ownership of single resources is the owning service's: 404). */
export const Roles = (...roles: UserRole[]) => SetMetadata(ROLES, roles);

/** Login, register, password reset: the stricter per-IP and per-account rate limits apply. */
export const SensitiveAuthRoute = () => SetMetadata(SENSITIVE_AUTH_ROUTE, true);

/** The authenticated caller (set by JwtAuthGuard). */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): GatewayCaller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().caller;
  if (!caller) throw new UnauthorizedException('Missing or invalid access token');
  return caller;
});

/** Client IP and user agent, for sessions and audit records. */
export const Origin = createParamDecorator((_: unknown, context: ExecutionContext): RequestOrigin => {
  const request = context.switchToHttp().getRequest<RequestWithCaller>();
  const agent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null };
});
