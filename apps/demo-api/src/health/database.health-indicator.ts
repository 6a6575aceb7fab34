import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import Database from 'better-sqlite3';
import { DATABASE } from '../database/database.module';

/** Readiness of the demo's SQLite database: `up` when a trivial query runs. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @Inject(DATABASE) private readonly database: Database.Database,
    private readonly healthIndicators: HealthIndicatorService,
  ) {}

  isHealthy(key = 'database'): HealthIndicatorResult {
    const indicator = this.healthIndicators.check(key);
    try {
      this.database.prepare('SELECT 1').get();
      return indicator.up();
    } catch {
      // The error text can name the database file, and this route is public.
      return indicator.down({ message: 'The database query failed' });
    }
  }
}
