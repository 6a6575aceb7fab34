import { isLoopbackHost } from '@cobee/auth/client';

/** Optional settings of the demo's `POST /oauth/token`. */
export interface TokenEndpointSettings {
  /** Token endpoint of the issuer. Default: `<issuerUrl>oauth/token`, where Auth0 serves it. */
  readonly issuerTokenUrl?: string;
  /** Failed attempts allowed per client id and source address within the window; the next attempt from that address gets 429. Default: 5. */
  readonly maxFailedAttempts?: number;
  /** Failed attempts allowed per client id from all source addresses within the window; the next attempt from any address gets 429. Default: 50. */
  readonly maxFailedAttemptsPerClient?: number;
  /** Length of the sliding window that failed attempts are counted in, in milliseconds. Default: 60000. */
  readonly failedAttemptWindowMs?: number;
  /** How long a client id stays blocked once the limit is reached, in milliseconds. Default: the window length. */
  readonly blockDurationMs?: number;
  /** Time limit of the request to the issuer, in milliseconds. Default: 10000. */
  readonly issuerTimeoutMs?: number;
  /** Current time in milliseconds since the Unix epoch, for the failed-attempt window. Default: `Date.now`. */
  readonly clock?: () => number;
}

/** Settings of the token endpoint with every default applied. */
export interface TokenEndpointConfig {
  readonly issuerTokenUrl: string;
  readonly audience: string;
  readonly maxFailedAttempts: number;
  readonly maxFailedAttemptsPerClient: number;
  readonly failedAttemptWindowMs: number;
  readonly blockDurationMs: number;
  readonly issuerTimeoutMs: number;
  readonly clock: () => number;
}

/** Injection token of the {@link TokenEndpointConfig}. */
export const TOKEN_ENDPOINT_CONFIG = Symbol('TOKEN_ENDPOINT_CONFIG');

/**
 * Applies the defaults and checks the settings, so that a misconfigured demo stops at start-up.
 *
 * @param issuerUrl the issuer URL of `CobeeAuthModule`, for example `https://tenant.eu.auth0.com/`
 * @param audience the API identifier tokens are requested for
 * @throws Error naming the invalid setting
 */
export function resolveTokenEndpointConfig(issuerUrl: string, audience: string, settings: TokenEndpointSettings = {}): TokenEndpointConfig {
  const issuerTokenUrl = settings.issuerTokenUrl ?? `${issuerUrl.endsWith('/') ? issuerUrl : `${issuerUrl}/`}oauth/token`;
  const url = new URL(issuerTokenUrl);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new Error(`Token endpoint setting "issuerTokenUrl" must be an https URL, or http on a loopback host (got "${issuerTokenUrl}").`);
  }

  const config: TokenEndpointConfig = {
    issuerTokenUrl,
    audience,
    maxFailedAttempts: settings.maxFailedAttempts ?? 5,
    maxFailedAttemptsPerClient: settings.maxFailedAttemptsPerClient ?? Math.max(50, (settings.maxFailedAttempts ?? 5) * 10),
    failedAttemptWindowMs: settings.failedAttemptWindowMs ?? 60_000,
    blockDurationMs: settings.blockDurationMs ?? settings.failedAttemptWindowMs ?? 60_000,
    issuerTimeoutMs: settings.issuerTimeoutMs ?? 10_000,
    clock: settings.clock ?? Date.now,
  };
  for (const name of ['maxFailedAttempts', 'maxFailedAttemptsPerClient', 'failedAttemptWindowMs', 'blockDurationMs', 'issuerTimeoutMs'] as const) {
    if (!Number.isInteger(config[name]) || config[name] < 1) {
      throw new Error(`Token endpoint setting "${name}" must be a positive integer (got ${String(config[name])}).`);
    }
  }
  return config;
}
