import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InsufficientScopeError } from '../core/cobee-auth.errors';
import { CobeePrincipal } from '../core/cobee-principal';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { COBEE_AUTH_CONFIG } from './cobee-auth.tokens';
import { CobeeJwtStrategy } from './cobee-jwt.strategy';
import { classifyContext, toRejection } from './guarded-request';
import { runPassportStrategy } from './passport-strategy.runner';
import { authStateOf, HttpRequestLike } from './request-auth-state';
import { routeMetadataOf } from './route-metadata';

/**
 * Authenticates the request with `CobeeJwtStrategy` (bearer token from the Authorization
 * header, verified by `TokenVerifier`), records the principal on the request and checks the
 * scopes that `@RequiredScopes()` requires. Every failure is mapped to an RFC 6750 response.
 *
 * Each step is a protected method, so a subclass can change one without copying the rest.
 */
@Injectable()
export class CobeeAuthGuard implements CanActivate {
  protected readonly logger = new Logger(CobeeAuthGuard.name);

  constructor(
    protected readonly reflector: Reflector,
    protected readonly strategy: CobeeJwtStrategy,
    @Inject(COBEE_AUTH_CONFIG) protected readonly config: CobeeAuthConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      const target = classifyContext(context, this.reflector);
      if (target.kind !== 'request') {
        return true;
      }
      const state = authStateOf(target.request);
      if (state.principal === undefined) {
        state.principal = await this.authenticate(target.request);
        (target.request as { user?: unknown }).user = state.principal;
      }
      this.checkRequiredScopes(context, state.principal);
      return true;
    } catch (error) {
      throw toRejection(context, error, this.config, this.logger);
    }
  }

  /** Runs the Passport strategy on the request and returns the principal, or throws why it failed. */
  protected async authenticate(request: HttpRequestLike): Promise<CobeePrincipal> {
    const outcome = await runPassportStrategy(this.strategy, request);
    if (outcome.kind === 'success') {
      return outcome.user as CobeePrincipal;
    }
    throw outcome.kind === 'fail' ? outcome.challenge : outcome.error;
  }

  /** Checks that the token carries every scope listed by `@RequiredScopes()` on the handler or its class. */
  protected checkRequiredScopes(context: ExecutionContext, principal: CobeePrincipal): void {
    const required = routeMetadataOf(context, this.reflector).requiredScopes;
    if (required !== undefined && !required.every((scope) => principal.scopes.includes(scope))) {
      const error = new InsufficientScopeError(required);
      error.clientId = principal.clientId;
      error.clientIdVerified = true;
      throw error;
    }
  }
}
