import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '@cobee/auth';

@Controller('health')
@Public()
export class HealthController {
  constructor(private readonly health: HealthCheckService) {}

  /** Liveness: the process serves HTTP. */
  @Get()
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }
}
