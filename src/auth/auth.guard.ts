import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Forbidden, Unauthorised } from '../common/errors';
import { Role } from '../common/vocabulary';
import { hasRole } from '../common/auth-user';
import { AuthService } from './auth.service';
import { AuthedRequest, IS_PUBLIC, ROLES_KEY } from '../common/auth-decorators';

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(), and the token's
 * roles must include one named by @Roles() when present. Establishment scope is checked by the
 * services, which know which establishment a record belongs to.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const user = match ? await this.auth.verify(match[1]) : null;
    if (!user) throw new Unauthorised('A valid bearer token is required');
    req.user = user;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !hasRole(user, ...roles)) {
      throw new Forbidden(`This needs one of the roles ${roles.join(', ')}`);
    }
    return true;
  }
}
