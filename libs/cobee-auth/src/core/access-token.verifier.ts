import { KeyObject } from 'node:crypto';
import { CobeeAuthError, InvalidTokenError } from './cobee-auth.errors';
import { CobeePrincipal } from './cobee-principal';
import { verifyJwsSignature } from './jws-signature';
import { findStructureProblem } from './jwt.decoder';
import { checkTimeClaims } from './token-claims.validator';
import { InspectedToken, InspectionPolicy, inspectToken } from './token.inspector';
import { VerifiedToken, VerifiedTokenCache } from './verified-token.cache';

/** A public key the verifier may check a signature with. */
export interface ResolvedKey {
  readonly kid: string | undefined;
  /** The algorithm the key set binds the key to, if any. */
  readonly alg: string | undefined;
  readonly keyObject: KeyObject;
}

/** The source of verification keys; `JwksKeyStore` is the implementation. */
export interface KeyResolver {
  /**
   * Returns the key for a `kid`, fetching the key set when needed.
   *
   * @throws InvalidTokenError when no key matches, KeySetUnavailableError when keys cannot be had
   */
  getKey(kid: string | undefined): Promise<ResolvedKey>;
  /** Returns the key for a `kid` without any fetch, only while the key set is within its maximum age. */
  currentKey(kid: string | undefined): ResolvedKey | undefined;
}

/** Settings of the verifier: the key-free checks plus the clock and the cache size. */
export interface AccessTokenVerifierSettings extends InspectionPolicy {
  /** Current time, in milliseconds since the Unix epoch. */
  readonly clock: () => number;
  /** Most verified tokens kept; 0 turns the cache off. */
  readonly verifiedTokenCacheSize: number;
}

/**
 * Verifies access tokens: every key-free check first (see `inspectToken`), then the key
 * lookup, the algorithm binding and the signature with a parsed `KeyObject`.
 *
 * Verified tokens are kept in a bounded cache owned by this instance, so two verifiers with
 * different settings never share an entry. A hit is re-checked every time: `exp`, `nbf` and
 * `iat` against the clock, and the key that verified the token must still be in a key set
 * within its maximum age. Failures are never cached.
 */
export class AccessTokenVerifier {
  private readonly cache: VerifiedTokenCache;

  constructor(
    private readonly settings: AccessTokenVerifierSettings,
    private readonly keys: KeyResolver,
  ) {
    this.cache = new VerifiedTokenCache(settings.verifiedTokenCacheSize);
  }

  /** Number of tokens in the verified-token cache. */
  get cachedTokenCount(): number {
    return this.cache.size;
  }

  /**
   * Verifies a token and returns its principal.
   *
   * The work is synchronous unless the key set must be fetched, so the common cases (a cached
   * token, a known key, a rejection) settle without an async function's extra steps.
   *
   * @throws InvalidTokenError for a token that cannot be trusted
   * @throws KeySetUnavailableError when no key can be had to check it
   */
  verify(token: string): Promise<CobeePrincipal> {
    let inspected: InspectedToken;
    try {
      const cached = this.cache.get(token);
      if (cached !== undefined && this.isStillValid(token, cached)) {
        return Promise.resolve(cached.principal);
      }
      // Junk fails here without an exception being thrown, the cheapest way to reject it.
      const structureProblem = findStructureProblem(token, this.settings.maxTokenBytes);
      if (structureProblem !== undefined) {
        return Promise.reject(structureProblem);
      }
      inspected = inspectToken(token, this.settings, this.settings.clock() / 1000);
    } catch (error) {
      return Promise.reject(error);
    }

    try {
      const key = this.keys.currentKey(inspected.header.kid);
      if (key !== undefined) {
        return Promise.resolve(this.checkSignature(token, inspected, key));
      }
    } catch (error) {
      return Promise.reject(this.withClientId(error, inspected));
    }
    return this.keys
      .getKey(inspected.header.kid)
      .then((key) => this.checkSignature(token, inspected, key))
      .catch((error: unknown) => Promise.reject(this.withClientId(error, inspected)));
  }

  /** Checks the algorithm binding and the signature, caches the token and returns its principal. */
  private checkSignature(token: string, inspected: InspectedToken, key: ResolvedKey): CobeePrincipal {
    if (key.alg !== undefined && key.alg !== inspected.header.alg) {
      throw new InvalidTokenError('ERR_JWKS_NO_MATCHING_KEY', 'The key for this "kid" is bound to another algorithm');
    }
    if (!verifyJwsSignature(inspected.header.alg, inspected.signingInput, inspected.signature, key.keyObject)) {
      throw new InvalidTokenError('ERR_JWS_SIGNATURE_INVALID', 'The signature does not verify with the key');
    }
    // The token's own kid, not the key's: a hit must find its key the way a fresh verification
    // does, so a token without kid stops matching once the key set has more than one key.
    this.cache.set(token, { principal: inspected.principal, kid: inspected.header.kid, keyObject: key.keyObject });
    return inspected.principal;
  }

  /** Records the token's claimed client on a library error, for the log line of the rejection. */
  private withClientId(error: unknown, inspected: InspectedToken): unknown {
    if (error instanceof CobeeAuthError) {
      error.clientId ??= inspected.principal.clientId;
    }
    return error;
  }

  /** Empties the verified-token cache. */
  clear(): void {
    this.cache.clear();
  }

  private isStillValid(token: string, cached: VerifiedToken): boolean {
    try {
      checkTimeClaims(cached.principal.claims, this.settings, this.settings.clock() / 1000);
    } catch (error) {
      this.cache.delete(token);
      throw error;
    }

    const current = this.keys.currentKey(cached.kid);
    if (current === undefined || !(current.keyObject === cached.keyObject || current.keyObject.equals(cached.keyObject))) {
      this.cache.delete(token);
      return false;
    }
    return true;
  }
}
