/**
 * Health checks for applications that use `@nestjs/terminus`. This entry is separate from
 * `@cobee/auth` so that the main entry does not require `@nestjs/terminus`.
 */
export { CobeeAuthHealthModule } from './cobee-auth-health.module';
export { KeySetHealthIndicator } from './key-set.health-indicator';
export type { KeySetHealthDetails } from './key-set.health-indicator';
