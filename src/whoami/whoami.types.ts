import { ObjectType } from '@nestjs/graphql';
import { Prop } from '../common/schema';
import { Caller, ROLES } from '../common/auth/roles';

@ObjectType('TokenScope')
export class TokenScopeView {
  @Prop('json', { description: 'label selector: the token sees and touches only services with all of these labels' })
  labels!: Record<string, string>;
}

@ObjectType('Whoami')
export class WhoamiView {
  @Prop('string', { description: "the token's name (the actor in audit entries)" }) name!: string;
  @Prop('string', { enum: ROLES, description: 'viewer < scaler < deployer < admin, each including the one before' })
  role!: string;
  @Prop(TokenScopeView, { optional: true, description: 'null: every service' }) scope!: TokenScopeView | null;
}

/** The caller as clients see it: what they may show. It grants nothing; every route still checks. */
export function whoami(caller: Caller): WhoamiView {
  return {
    name: caller.name,
    role: caller.role,
    scope: caller.scope ? { labels: { ...caller.scope.labels } } : null,
  };
}
