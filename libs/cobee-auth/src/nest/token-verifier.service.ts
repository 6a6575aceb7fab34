import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CobeeAuthError } from '../core/cobee-auth.errors';
import { CobeePrincipal } from '../core/cobee-principal';
import { checkTimeClaims } from '../core/token-claims.validator';
import { VerifiedToken, VerifiedTokenCache } from '../core/verified-token.cache';
import { JwksKeyStore } from '../keys/jwks-key.store';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { COBEE_AUTH_CONFIG } from './cobee-auth.tokens';
import { CobeeJwtStrategy, TokenAttempt } from './cobee-jwt.strategy';
import { mapJsonWebTokenError } from './jsonwebtoken-error.mapper';
import { runPassportStrategy } from './passport-strategy.runner';

/**
 * Turns a bearer token into a principal: from the verified-token cache when the token was
 * verified before, otherwise through the Passport strategy.
 *
 * A cache hit still checks `exp`, `nbf` and `iat` against the clock, and checks that the key
 * which verified the token is still in a key set within its maximum age; when either check
 * fails the entry is dropped.
 */
@Injectable()
export class TokenVerifier implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TokenVerifier.name);
  private readonly cache: VerifiedTokenCache;

  constructor(
    @Inject(COBEE_AUTH_CONFIG) private readonly config: CobeeAuthConfig,
    private readonly keys: JwksKeyStore,
    private readonly strategy: CobeeJwtStrategy,
  ) {
    this.cache = new VerifiedTokenCache(config.verifiedTokenCacheSize);
  }

  /** Number of tokens in the verified-token cache. */
  get cachedTokenCount(): number {
    return this.cache.size;
  }

  /**
   * Verifies a token and returns its principal.
   *
   * @throws CobeeAuthError for every rejected token and for an unavailable key set
   */
  async verify(token: string): Promise<CobeePrincipal> {
    const cached = this.cache.get(token);
    if (cached !== undefined && this.isStillValid(token, cached)) {
      return cached.principal;
    }

    const attempt: TokenAttempt = { token };
    const outcome = await runPassportStrategy(this.strategy, attempt);
    if (outcome.kind === 'success' && attempt.key !== undefined && attempt.inspected !== undefined) {
      const principal = outcome.user as CobeePrincipal;
      // The token's own kid, not the key's: a hit must find the key the same way a fresh
      // verification would, so a token without kid stops matching once the set has two keys.
      this.cache.set(token, { principal, kid: attempt.inspected.header.kid, keyObject: attempt.key.keyObject });
      return principal;
    }

    const reason = outcome.kind === 'fail' ? outcome.challenge : outcome.kind === 'error' ? outcome.error : undefined;
    const rejection = reason instanceof CobeeAuthError ? reason : mapJsonWebTokenError(reason);
    if (rejection === undefined) {
      throw reason instanceof Error ? reason : new Error('The JWT strategy ended without a result');
    }
    rejection.clientId ??= attempt.inspected?.principal.clientId;
    throw rejection;
  }

  onApplicationBootstrap(): void {
    this.logger.log(
      `Validating tokens from issuer ${this.config.issuer} for audience ${[...this.config.audiences].join(', ')}; keys from ${this.config.jwksUri}`,
    );
    this.keys.refresh().then(
      () => this.logger.log(`Key set loaded: ${this.keys.state().keyCount} keys`),
      (error: Error) =>
        this.logger.warn(`Key set not loaded at start-up (${error.message}); requests will retry the fetch`),
    );
  }

  onModuleDestroy(): void {
    this.keys.close();
    this.cache.clear();
  }

  private isStillValid(token: string, cached: VerifiedToken): boolean {
    try {
      checkTimeClaims(cached.principal.claims, this.config, this.config.clock() / 1000);
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
