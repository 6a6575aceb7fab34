import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CobeeAuthHealthModule } from '@cobee/auth/health';
import { DatabaseHealthIndicator } from './database.health-indicator';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), CobeeAuthHealthModule],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator],
})
export class HealthModule {}
