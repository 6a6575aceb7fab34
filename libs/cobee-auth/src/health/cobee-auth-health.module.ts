import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KeySetHealthIndicator } from './key-set.health-indicator';

/**
 * Provides {@link KeySetHealthIndicator}. Import it next to `CobeeAuthModule`, which must be
 * registered in the same application because the indicator reads its key store.
 */
@Module({
  imports: [TerminusModule],
  providers: [KeySetHealthIndicator],
  exports: [KeySetHealthIndicator],
})
export class CobeeAuthHealthModule {}
