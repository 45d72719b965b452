import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { AuthService } from './common/auth/auth.service';
import { AuthGuard } from './common/auth/auth.guard';
import { AppErrorFilter } from './common/error.filter';
import { graphqlOptions } from './common/graphql/graphql.config';
import { RedisModule } from './redis/redis.module';
import { SwarmRepository } from './swarm/swarm.repository';
import { ClusterModule } from './cluster/cluster.module';
import { StreamConnections } from './common/limits/stream-connections';
import { ServicesModule } from './services/services.module';
import { PlacementModule } from './placement/placement.module';
import { HealthModule } from './health/health.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { EventsModule } from './events/events.module';
import { GraphqlFanout } from './events/graphql-fanout';
import { AuditModule } from './audit/audit.module';
import { ChatopsModule } from './chatops/chatops.module';
import { MutationsModule } from './mutations/mutations.module';
import { QueueModule } from './queue/queue.module';
import { DeploymentsModule } from './deployments/deployments.module';
import { AutoscalingModule } from './autoscaling/autoscaling.module';
import { NodesAccessModule } from './nodes-access/nodes-access.module';
import { AlertingModule } from './alerting/alerting.module';
import { WhoamiModule } from './whoami/whoami.module';
import { UiModule } from './ui/ui.module';

/** Config, auth and the engine adapter: shared by every feature module. */
@Global()
@Module({})
class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, AuthService, SwarmRepository, StreamConnections],
      exports: [APP_CONFIG, AuthService, SwarmRepository, StreamConnections],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        RedisModule,
        ClusterModule,
        NodesAccessModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [APP_CONFIG, AuthService, GraphqlFanout],
          useFactory: graphqlOptions,
        }),
        HealthModule,
        AuditModule,
        // Idempotency-Key, the operation context and the audit entry of every mutation.
        MutationsModule,
        ServicesModule,
        ChatopsModule,
        PlacementModule,
        MonitoringModule,
        EventsModule,
        QueueModule,
        DeploymentsModule,
        AutoscalingModule,
        AlertingModule,
        WhoamiModule,
        UiModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AppErrorFilter },
      ],
    };
  }
}
