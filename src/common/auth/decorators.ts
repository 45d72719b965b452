import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ApiExtension } from '@nestjs/swagger';
import { Caller, Role } from './roles';

export const ROLE_KEY = 'requiredRole';
export const PUBLIC_KEY = 'publicRoute';
/** The same declaration in the OpenAPI document: security and the 401/403 answers follow from it. */
export const REQUIRED_ROLE_EXTENSION = 'x-required-role';

/** The least role a route or GraphQL operation needs. Every route declares one (or @Public). */
export const RequireRole = (role: Role) => applyDecorators(SetMetadata(ROLE_KEY, role), ApiExtension(REQUIRED_ROLE_EXTENSION, role));

/** No token needed: health, metrics, and routes that carry their own check (signed chat posts). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension(REQUIRED_ROLE_EXTENSION, 'none'));

export function requestOf(ctx: ExecutionContext): any {
  if (ctx.getType<string>() === 'graphql') return GqlExecutionContext.create(ctx).getContext().req;
  return ctx.switchToHttp().getRequest();
}

export function callerOf(ctx: ExecutionContext): Caller {
  if (ctx.getType<string>() === 'graphql') {
    const gql = GqlExecutionContext.create(ctx).getContext();
    return gql.caller ?? gql.req?.caller;
  }
  return ctx.switchToHttp().getRequest().caller;
}

/** The authenticated caller of this REST request or GraphQL operation. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => callerOf(ctx));
