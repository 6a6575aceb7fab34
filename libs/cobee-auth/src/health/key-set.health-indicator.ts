import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { JwksKeyStore, KeySetState } from '../keys/jwks-key.store';

/**
 * Details the key-set indicator adds to a health check result. They are limited to the
 * state, because readiness routes are often public and fetch counters or times would let
 * anyone watch the effect of their own unknown-`kid` tokens; `JwksKeyStore.state()` has the
 * counters for metrics.
 */
export interface KeySetHealthDetails extends Record<string, unknown> {
  /** `ready`, `stale` (past the maximum age, inside the grace period) or `unavailable`. */
  readonly keySet: KeySetState['status'];
  readonly keyCount: number;
}

/**
 * A `@nestjs/terminus` health indicator for the issuer's key set, meant for a readiness
 * probe. It is `up` while tokens can be verified: with fresh keys, and with stale keys during
 * the grace period, so that a key-server outage does not take every instance out of service
 * at once. It is `down` when no usable key is cached.
 *
 * When the key set is missing or past its maximum age, the check first tries a fetch
 * (shared with requests, and subject to the retry delay after a failure). An instance that
 * is not ready receives no traffic, so without this it would never retry the fetch.
 *
 * The details carry no error message, because a readiness route is usually public and the
 * message can name internal hosts. The key store logs each failure instead.
 */
@Injectable()
export class KeySetHealthIndicator {
  constructor(
    private readonly keys: JwksKeyStore,
    private readonly healthIndicators: HealthIndicatorService,
  ) {}

  /**
   * Checks the key set, fetching it first when it is due.
   *
   * @param key name of the indicator in the health check result
   */
  async isHealthy(key = 'keySet'): Promise<HealthIndicatorResult> {
    const indicator = this.healthIndicators.check(key);
    const state = await this.keys.refreshIfDue();
    const details: KeySetHealthDetails = {
      keySet: state.status,
      keyCount: state.keyCount,
    };
    return state.status === 'unavailable' ? indicator.down(details) : indicator.up(details);
  }
}
