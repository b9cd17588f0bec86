import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '../common/auth-decorators';
import { JobQueueService } from '../jobs/job-queue.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly jobs: JobQueueService,
  ) {}

  @ApiOperation({ summary: 'Health of the service and its database and Redis' })
  @Public()
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1500 }),
      async () => {
        const redis = this.indicators.check('redis');
        try {
          await this.jobs.ping();
          return redis.up();
        } catch (err) {
          return redis.down({ message: (err as Error).message });
        }
      },
    ]);
  }
}
