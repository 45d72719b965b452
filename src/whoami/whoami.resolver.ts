import { Query, Resolver } from '@nestjs/graphql';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { whoami, WhoamiView } from './whoami.types';

@Resolver(() => WhoamiView)
export class WhoamiResolver {
  @Query(() => WhoamiView, { description: "the token's identity: name, role and scope" })
  @RequireRole('viewer')
  whoami(@CurrentCaller() caller: Caller): WhoamiView {
    return whoami(caller);
  }
}
