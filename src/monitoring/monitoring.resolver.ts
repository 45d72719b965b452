import { Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { ServiceDetail } from '../swarm/swarm.types';
import { ClusterOverviewService } from './cluster-overview.service';
import { ClusterOverview, ServiceStats } from './monitoring.types';
import { StatsService } from './stats.service';

type GqlContext = { req?: { caller: Caller }; caller?: Caller };

/** `service(name) { stats }`: asked of the nodes' engines only when the field is selected. */
@Resolver(() => ServiceDetail)
export class ServiceStatsResolver {
  constructor(private readonly statsService: StatsService) {}

  // Field resolvers are not guarded: the parent query was, and the caller travels in the context.
  @ResolveField(() => ServiceStats)
  stats(@Parent() s: ServiceDetail, @Context() ctx: GqlContext): Promise<ServiceStats> {
    return this.statsService.serviceStats(s.id, (ctx.caller ?? ctx.req?.caller)!);
  }
}

@Resolver(() => ClusterOverview)
export class ClusterResolver {
  constructor(private readonly overview: ClusterOverviewService) {}

  @Query(() => ClusterOverview)
  @RequireRole('viewer')
  cluster(@CurrentCaller() caller: Caller): Promise<ClusterOverview> {
    return this.overview.overview(caller);
  }
}
