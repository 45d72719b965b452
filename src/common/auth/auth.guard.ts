import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AppError } from '../errors';
import { AuthService } from './auth.service';
import { PUBLIC_KEY, ROLE_KEY } from './decorators';
import { Role, roleAtLeast } from './roles';

/**
 * The one guard for REST and GraphQL. Fails closed: a route that declares neither a role nor
 * @Public is refused, so a forgotten declaration can never open a route.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const need = this.reflector.getAllAndOverride<Role>(ROLE_KEY, targets);
    if (!need) throw new AppError('FORBIDDEN', 'this operation declares no required role');

    let holder: any;
    if (ctx.getType<string>() === 'graphql') {
      const gql = GqlExecutionContext.create(ctx).getContext();
      // Subscriptions authenticate once at connection_init and carry the caller in the context.
      if (gql.caller) holder = gql;
      else holder = gql.req;
    } else {
      holder = ctx.switchToHttp().getRequest();
    }
    if (!holder.caller) holder.caller = this.auth.authenticate(holder.headers?.authorization);
    if (!roleAtLeast(holder.caller.role, need)) {
      throw new AppError('FORBIDDEN', `this operation needs the ${need} role; token "${holder.caller.name}" has ${holder.caller.role}`);
    }
    return true;
  }
}
