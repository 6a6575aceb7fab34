import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '@cobee/auth';
import { KeySetHealthIndicator } from '@cobee/auth/health';
import { DatabaseHealthIndicator } from './database.health-indicator';

/** Liveness and readiness probes. Both are public, so a probe needs no token. */
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly keySet: KeySetHealthIndicator,
    private readonly database: DatabaseHealthIndicator,
  ) {}

  /** Liveness: the process serves HTTP. It checks no dependency, so a key-server or database outage does not restart the process. */
  @Get()
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Readiness: 200 when the token signing keys and the database are usable, 503 otherwise. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.keySet.isHealthy('keySet'), () => this.database.isHealthy('database')]);
  }
}
