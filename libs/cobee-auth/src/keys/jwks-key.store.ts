import { createPublicKey } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import { InvalidTokenError, KeySetUnavailableError } from '../core/cobee-auth.errors';
import { fetchJwks } from './jwks.fetcher';
import { KeyStoreLogger, VerificationKey } from './verification-key';

/** Settings of the key store, in milliseconds where they are durations. */
export interface KeyStoreSettings {
  readonly jwksUri: string;
  readonly cacheMaxAgeMs: number;
  readonly cooldownMs: number;
  readonly retryAfterFailureMs: number;
  readonly staleGraceMs: number;
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxKeys: number;
  readonly clock: () => number;
}

/** Health of the key set, for readiness checks and metrics. */
export interface KeySetState {
  /** `ready`: fresh keys; `stale`: past the maximum age but inside the grace period; `unavailable`: no usable keys. */
  readonly status: 'ready' | 'stale' | 'unavailable';
  readonly keyCount: number;
  /** When the current keys were fetched, in milliseconds since the Unix epoch. */
  readonly fetchedAt: number | undefined;
  /** Message of the last failed fetch, if the last fetch failed. */
  readonly lastError: string | undefined;
  /** Fetch attempts so far, successful or not. */
  readonly fetchCount: number;
  readonly failedFetchCount: number;
  /** How many times a stale key was used because the key server could not be reached. */
  readonly staleFallbackCount: number;
  /** True while a key-set request is in flight. */
  readonly fetchInFlight: boolean;
}

interface KeySet {
  readonly byKid: ReadonlyMap<string, VerificationKey>;
  readonly all: readonly VerificationKey[];
  readonly fetchedAt: number;
}

/** Smallest RSA modulus accepted, in bits (RFC 7518 section 3.3). */
const MIN_RSA_MODULUS_BITS = 2048;

/**
 * Holds the issuer's public keys, parsed once into `KeyObject`s, and decides when to fetch
 * the key set again. jwks-rsa fetches the set (through a size- and time-limited fetcher) and
 * converts each JWK; this class adds what jwks-rsa's per-`kid` cache cannot do:
 *
 * - one fetch in flight at a time, shared by every caller, whatever `kid` they want;
 * - a cooldown between fetches caused by unknown `kid`s, so random `kid`s cannot flood the key server;
 * - a retry delay after a failed fetch, and a bounded grace period in which stale keys keep working;
 * - an injectable clock and a state report for readiness checks.
 *
 * jwks-rsa 4.1.0 has its own cache with a stale fallback (`cache: true` with
 * `cacheMaxAgeFallback`), and it is turned off here on purpose. Its lru-memoizer is keyed by
 * `kid`, so concurrent misses for different `kid`s each start their own fetch. Its stale
 * store only contains keys that were requested before the outage. It reads `Date.now()`, so
 * the maximum age and the grace period cannot follow the module's `clock` option.
 */
export class JwksKeyStore {
  private readonly client: JwksClient;
  private keySet: KeySet | undefined;
  private inflight: Promise<Error | undefined> | undefined;
  private abortController = new AbortController();
  private lastAttemptAt: number | undefined;
  private lastFailureAt: number | undefined;
  private lastError: string | undefined;
  private fetchCount = 0;
  private failedFetchCount = 0;
  private staleFallbackCount = 0;

  constructor(
    private readonly settings: KeyStoreSettings,
    private readonly logger: KeyStoreLogger,
  ) {
    this.client = new JwksClient({
      jwksUri: settings.jwksUri,
      cache: false,
      rateLimit: false,
      fetcher: (uri) =>
        fetchJwks(
          uri,
          {
            timeoutMs: settings.requestTimeoutMs,
            maxResponseBytes: settings.maxResponseBytes,
            maxKeys: settings.maxKeys,
          },
          this.abortController.signal,
        ),
    });
  }

  /**
   * Returns the key for a token's `kid`, fetching the key set when it is missing, older than
   * the maximum age, or lacks the `kid` and the cooldown has passed.
   *
   * Once a fetch has failed, a key from a set past its maximum age but inside the grace
   * period is returned at once, and the next fetch runs in the background after the retry
   * delay. So requests do not queue behind a key server that is down or hangs until the timeout.
   *
   * @throws InvalidTokenError `ERR_JWKS_NO_MATCHING_KEY` when the key set has no such key
   * @throws KeySetUnavailableError when no usable key set can be had
   */
  async getKey(kid: string | undefined): Promise<VerificationKey> {
    const now = this.settings.clock();
    const current = this.keySet;

    if (current !== undefined && now - current.fetchedAt < this.settings.cacheMaxAgeMs) {
      const key = findKey(current, kid);
      if (key !== undefined) {
        return key;
      }
      return this.getUnknownKey(kid, now);
    }

    if (this.lastFailureAt !== undefined && this.findStaleKey(kid, now) !== undefined) {
      this.startBackgroundRetry(now);
      return this.useStaleKey(kid, now);
    }
    if (this.inflight === undefined && !this.mayRetryAfterFailure(now)) {
      return this.useStaleKey(kid, now);
    }
    const error = await this.refreshShared();
    if (error !== undefined) {
      return this.useStaleKey(kid, this.settings.clock());
    }
    return this.requireKey(kid);
  }

  /**
   * Returns the key for `kid` only if the key set is within its maximum age, without any
   * fetch. The verified-token cache uses it to check that a cached token's key is still
   * published.
   */
  currentKey(kid: string | undefined): VerificationKey | undefined {
    const current = this.keySet;
    if (current === undefined || this.settings.clock() - current.fetchedAt >= this.settings.cacheMaxAgeMs) {
      return undefined;
    }
    return findKey(current, kid);
  }

  /**
   * Fetches the key set now, or joins the fetch in flight.
   *
   * @throws KeySetUnavailableError when the fetch fails
   */
  async refresh(): Promise<void> {
    const error = await this.refreshShared();
    if (error !== undefined) {
      throw new KeySetUnavailableError(`Key set fetch failed: ${error.message}`, this.retryAfterSeconds());
    }
  }

  /**
   * Fetches the key set when it is missing or past its maximum age, unless a fetch failed
   * less than the retry delay ago, and joins a fetch in flight. Readiness checks call it, so
   * an instance that receives no traffic because it is not ready still retries the fetch.
   * Never rejects.
   */
  async refreshIfDue(): Promise<KeySetState> {
    const now = this.settings.clock();
    const current = this.keySet;
    const due = current === undefined || now - current.fetchedAt >= this.settings.cacheMaxAgeMs;
    if (this.inflight !== undefined || (due && this.mayRetryAfterFailure(now))) {
      await this.refreshShared();
    }
    return this.state();
  }

  state(): KeySetState {
    const now = this.settings.clock();
    const current = this.keySet;
    let status: KeySetState['status'] = 'unavailable';
    if (current !== undefined) {
      const age = now - current.fetchedAt;
      if (age < this.settings.cacheMaxAgeMs) {
        status = 'ready';
      } else if (age < this.settings.cacheMaxAgeMs + this.settings.staleGraceMs) {
        status = 'stale';
      }
    }
    return {
      status,
      keyCount: current?.all.length ?? 0,
      fetchedAt: current?.fetchedAt,
      lastError: this.lastError,
      fetchCount: this.fetchCount,
      failedFetchCount: this.failedFetchCount,
      staleFallbackCount: this.staleFallbackCount,
      fetchInFlight: this.inflight !== undefined,
    };
  }

  /** Aborts the fetch in flight, if any. Later calls may start new fetches. */
  close(): void {
    this.abortController.abort();
    this.abortController = new AbortController();
  }

  private async getUnknownKey(kid: string | undefined, now: number): Promise<VerificationKey> {
    if (kid === undefined) {
      throw new InvalidTokenError(
        'ERR_JWKS_NO_MATCHING_KEY',
        'Token has no "kid" and the key set does not have exactly one key',
      );
    }
    const cooledDown = this.lastAttemptAt === undefined || now - this.lastAttemptAt >= this.settings.cooldownMs;
    if (this.inflight === undefined && !cooledDown) {
      throw new InvalidTokenError('ERR_JWKS_NO_MATCHING_KEY', 'No key matches the token "kid"; refetch is in cooldown');
    }
    const error = await this.refreshShared();
    if (error !== undefined) {
      throw new KeySetUnavailableError(
        `Key set fetch for an unknown "kid" failed: ${error.message}`,
        this.retryAfterSeconds(),
      );
    }
    return this.requireKey(kid);
  }

  private requireKey(kid: string | undefined): VerificationKey {
    const key = this.keySet === undefined ? undefined : findKey(this.keySet, kid);
    if (key === undefined) {
      throw new InvalidTokenError('ERR_JWKS_NO_MATCHING_KEY', 'No key in the key set matches the token "kid"');
    }
    return key;
  }

  private findStaleKey(kid: string | undefined, now: number): VerificationKey | undefined {
    const current = this.keySet;
    if (current === undefined || now - current.fetchedAt >= this.settings.cacheMaxAgeMs + this.settings.staleGraceMs) {
      return undefined;
    }
    return findKey(current, kid);
  }

  private useStaleKey(kid: string | undefined, now: number): VerificationKey {
    const current = this.keySet;
    const key = this.findStaleKey(kid, now);
    if (current !== undefined && key !== undefined) {
      this.staleFallbackCount++;
      this.logger.warn(
        `Key server unreachable (${this.lastError ?? 'unknown error'}); using a stale key fetched ` +
          `${Math.round((now - current.fetchedAt) / 1000)} s ago (stale fallback #${this.staleFallbackCount})`,
      );
      return key;
    }

    let reason = 'not loaded';
    if (current !== undefined) {
      const withinGrace = now - current.fetchedAt < this.settings.cacheMaxAgeMs + this.settings.staleGraceMs;
      reason = withinGrace ? 'without a key for the token "kid"' : 'past its grace period';
    }
    throw new KeySetUnavailableError(
      `No usable key: the key set is ${reason} and the last fetch failed (${this.lastError ?? 'unknown error'})`,
      this.retryAfterSeconds(),
    );
  }

  /** Starts a fetch without waiting for it, unless one is in flight or the retry delay has not passed. */
  private startBackgroundRetry(now: number): void {
    if (this.inflight === undefined && this.mayRetryAfterFailure(now)) {
      // refreshShared() never rejects: fetchKeySet() turns every failure into a resolved Error.
      void this.refreshShared();
    }
  }

  private mayRetryAfterFailure(now: number): boolean {
    return this.lastFailureAt === undefined || now - this.lastFailureAt >= this.settings.retryAfterFailureMs;
  }

  private retryAfterSeconds(): number {
    const now = this.settings.clock();
    const waitMs =
      this.lastFailureAt === undefined ? 0 : this.lastFailureAt + this.settings.retryAfterFailureMs - now;
    return Math.max(1, Math.ceil(waitMs / 1000));
  }

  /** Starts a fetch unless one is in flight; resolves to the fetch error, or undefined on success. */
  private refreshShared(): Promise<Error | undefined> {
    if (this.inflight === undefined) {
      this.inflight = this.fetchKeySet().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  private async fetchKeySet(): Promise<Error | undefined> {
    this.lastAttemptAt = this.settings.clock();
    this.fetchCount++;
    try {
      const signingKeys = await this.client.getSigningKeys();
      const keySet = this.buildKeySet(signingKeys);
      this.keySet = keySet;
      this.lastFailureAt = undefined;
      this.lastError = undefined;
      this.logger.debug(`Fetched the key set from ${this.settings.jwksUri}: ${keySet.all.length} usable keys`);
      return undefined;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.lastFailureAt = this.settings.clock();
      this.lastError = failure.message;
      this.failedFetchCount++;
      this.logger.warn(`Key set fetch from ${this.settings.jwksUri} failed: ${failure.message}`);
      return failure;
    }
  }

  private buildKeySet(signingKeys: Awaited<ReturnType<JwksClient['getSigningKeys']>>): KeySet {
    const byKid = new Map<string, VerificationKey>();
    const all: VerificationKey[] = [];

    for (const signingKey of signingKeys) {
      const keyObject = createPublicKey(signingKey.getPublicKey());
      const type = keyObject.asymmetricKeyType;
      const modulusBits = keyObject.asymmetricKeyDetails?.modulusLength ?? 0;
      if ((type !== 'rsa' && type !== 'rsa-pss') || modulusBits < MIN_RSA_MODULUS_BITS) {
        this.logger.warn(`Ignoring key "${signingKey.kid ?? '(no kid)'}": only RSA keys of at least ${MIN_RSA_MODULUS_BITS} bits are used`);
        continue;
      }
      const kid = typeof signingKey.kid === 'string' && signingKey.kid !== '' ? signingKey.kid : undefined;
      const key: VerificationKey = { kid, alg: (signingKey as { alg?: string }).alg, keyObject };
      if (kid !== undefined && byKid.has(kid)) {
        this.logger.warn(`Ignoring a second key with kid "${kid}"; the first one is used`);
        continue;
      }
      if (kid !== undefined) {
        byKid.set(kid, key);
      }
      all.push(key);
    }

    if (all.length === 0) {
      throw new Error('The key set has no usable RSA signing key');
    }
    return { byKid, all, fetchedAt: this.settings.clock() };
  }
}

function findKey(keySet: KeySet, kid: string | undefined): VerificationKey | undefined {
  if (kid === undefined) {
    return keySet.all.length === 1 ? keySet.all[0] : undefined;
  }
  return keySet.byKid.get(kid);
}
