import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { UserRole } from '@trading/contracts';
import { ROLES } from './access.decorators';
import type { RequestWithCaller } from './gateway-caller';

/** `@Roles('admin')`: a caller without one of the roles gets 403. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (!roles?.length) return true;
    const caller = context.switchToHttp().getRequest<RequestWithCaller>().caller;
    if (!caller || !roles.includes(caller.role)) throw new ForbiddenException(`Requires role ${roles.join(' or ')}`);
    return true;
  }
}
