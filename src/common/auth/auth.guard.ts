import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AppError } from '../errors';
import { AuthService } from './auth.service';
import { PUBLIC_KEY, ROLE_KEY } from './decorators';
import { Caller, Role, roleAtLeast } from './roles';

/**
 * The one guard for REST and GraphQL. Fails closed: a route that declares neither a role nor
 * @Public is refused, so a forgotten declaration can never open a route.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly declarations = new WeakMap<Function, Map<Function, { open: boolean; need?: Role }>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    return this.admit([ctx.getHandler(), ctx.getClass()], () => {
      if (ctx.getType<string>() !== 'graphql') return ctx.switchToHttp().getRequest();
      const gql = GqlExecutionContext.create(ctx).getContext();
      // Subscriptions authenticate once at connection_init and carry the caller in the context.
      return gql.caller ? gql : gql.req;
    });
  }

  /**
   * The decision for a handler and its class (their @RequireRole / @Public), with the caller kept
   * on `holder()` (the request, or a subscription's context): authenticated once, there. Throws
   * the AppError the caller gets. Also used by routes answered before the framework's pipeline.
   */
  admit(targets: [Function, Function], holder: () => { caller?: Caller; headers?: Record<string, unknown> }): true {
    const { open, need } = this.declared(targets);
    if (open) return true;
    if (!need) throw new AppError('FORBIDDEN', 'this operation declares no required role');
    const h = holder();
    if (!h.caller) h.caller = this.auth.authenticate(h.headers?.authorization);
    if (!roleAtLeast(h.caller.role, need)) {
      throw new AppError('FORBIDDEN', `this operation needs the ${need} role; token "${h.caller.name}" has ${h.caller.role}`);
    }
    return true;
  }

  /** What a handler and its class declare (decorators are fixed once the application is built): read once per handler. */
  private declared(targets: [Function, Function]): { open: boolean; need?: Role } {
    const byClass = this.declarations.get(targets[0]);
    const kept = byClass?.get(targets[1]);
    if (kept) return kept;
    const d = { open: !!this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets), need: this.reflector.getAllAndOverride<Role>(ROLE_KEY, targets) };
    if (byClass) byClass.set(targets[1], d);
    else this.declarations.set(targets[0], new Map([[targets[1], d]]));
    return d;
  }
}
