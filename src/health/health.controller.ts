import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../common/auth/decorators';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RedisService } from '../redis/redis.service';
import { SwarmRepository } from '../swarm/swarm.repository';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { ApiErrors } from '../common/openapi/api-errors';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly swarm: SwarmRepository,
    private readonly redis: RedisService,
    private readonly state: ClusterStateService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async check(key: string, fn: () => Promise<unknown>, details: () => Record<string, unknown> = () => ({})) {
    const i = this.indicator.check(key);
    try {
      await fn();
      return i.up(details());
    } catch (e) {
      return i.down({ message: (e as Error).message, ...details() });
    }
  }

  /** Which manager endpoint calls go to, failovers so far, each endpoint's health; the read model's freshness. */
  private engineDetails(): Record<string, unknown> {
    const e = this.swarm.endpoints();
    const f = this.state.freshness();
    return {
      endpoint: e.current,
      failovers: e.failovers,
      endpoints: e.endpoints.map((x) => ({ url: x.url, healthy: x.healthy, current: x.current, ...(x.lastError ? { lastError: x.lastError } : {}) })),
      readModel: { stale: f.stale, ageSeconds: f.ageSeconds, engine: f.engine },
    };
  }

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @HealthCheck()
  live() {
    return this.health.check([async () => this.indicator.check('process').up({ authDisabled: this.config.authDisabled })]);
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: a manager endpoint of DOCKER_HOST and Redis answer (details: the endpoint in use, failovers, the read model)' })
  @ApiErrors('DOCKER_UNAVAILABLE', 'REDIS_UNAVAILABLE')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.check('docker', () => this.swarm.ping(), () => this.engineDetails()),
      () => this.check('redis', () => this.redis.ping()),
      async () => this.indicator.check('auth').up({ authDisabled: this.config.authDisabled }),
    ]);
  }
}
