import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../common/auth/decorators';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RedisService } from '../redis/redis.service';
import { SwarmRepository } from '../swarm/swarm.repository';
import { ApiErrors } from '../common/openapi/api-errors';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly swarm: SwarmRepository,
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async check(key: string, fn: () => Promise<unknown>) {
    const i = this.indicator.check(key);
    try {
      await fn();
      return i.up();
    } catch (e) {
      return i.down({ message: (e as Error).message });
    }
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
  @ApiOperation({ summary: 'Readiness: the engine and Redis answer' })
  @ApiErrors('DOCKER_UNAVAILABLE', 'REDIS_UNAVAILABLE')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.check('docker', () => this.swarm.ping()),
      () => this.check('redis', () => this.redis.ping()),
      async () => this.indicator.check('auth').up({ authDisabled: this.config.authDisabled }),
    ]);
  }
}
