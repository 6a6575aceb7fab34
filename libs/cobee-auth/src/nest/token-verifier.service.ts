import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AccessTokenVerifier } from '../core/access-token.verifier';
import { CobeePrincipal } from '../core/cobee-principal';
import { JwksKeyStore } from '../keys/jwks-key.store';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { COBEE_AUTH_CONFIG } from './cobee-auth.tokens';

/**
 * The module's token verifier: the framework-free `AccessTokenVerifier` with the module's
 * configuration and key store, plus the key-set warm-up at start-up and clean-up at shutdown.
 */
@Injectable()
export class TokenVerifier implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TokenVerifier.name);
  private readonly verifier: AccessTokenVerifier;

  constructor(
    @Inject(COBEE_AUTH_CONFIG) private readonly config: CobeeAuthConfig,
    private readonly keys: JwksKeyStore,
  ) {
    this.verifier = new AccessTokenVerifier(config, keys);
  }

  /** Number of tokens in the verified-token cache. */
  get cachedTokenCount(): number {
    return this.verifier.cachedTokenCount;
  }

  /**
   * Verifies a token and returns its principal.
   *
   * @throws InvalidTokenError for a token that cannot be trusted
   * @throws KeySetUnavailableError when no key can be had to check it
   */
  verify(token: string): Promise<CobeePrincipal> {
    return this.verifier.verify(token);
  }

  onApplicationBootstrap(): void {
    this.logger.log(
      `Validating tokens from issuer ${this.config.issuer} for audience ${[...this.config.audiences].join(', ')}; keys from ${this.config.jwksUri}`,
    );
    this.keys.refresh().then(
      () => {
        const count = this.keys.state().keyCount;
        this.logger.log(`Key set loaded: ${count} ${count === 1 ? 'key' : 'keys'}`);
      },
      (error: Error) =>
        this.logger.warn(`Key set not loaded at start-up (${error.message}); requests will retry the fetch`),
    );
  }

  onModuleDestroy(): void {
    this.keys.close();
    this.verifier.clear();
  }
}
