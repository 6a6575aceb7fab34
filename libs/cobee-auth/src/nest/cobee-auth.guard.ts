import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { extractBearerToken } from '../core/bearer-token.extractor';
import { InsufficientScopeError } from '../core/cobee-auth.errors';
import { CobeePrincipal } from '../core/cobee-principal';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { COBEE_AUTH_CONFIG, REQUIRED_SCOPES_METADATA } from './cobee-auth.tokens';
import { classifyContext, toRejection } from './guarded-request';
import { authStateOf, HttpRequestLike, rawHeadersOf } from './request-auth-state';
import { TokenVerifier } from './token-verifier.service';

/**
 * Authenticates the request: reads the bearer token from the Authorization header, verifies
 * it (see `TokenVerifier`), records the principal on the request and checks the scopes that
 * `@RequiredScopes()` asks for. Every failure is mapped to an RFC 6750 response.
 *
 * Each step is a protected method, so a subclass can change one without copying the rest.
 */
@Injectable()
export class CobeeAuthGuard implements CanActivate {
  protected readonly logger = new Logger(CobeeAuthGuard.name);

  constructor(
    protected readonly reflector: Reflector,
    protected readonly verifier: TokenVerifier,
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

  /** Extracts and verifies the bearer token. */
  protected authenticate(request: HttpRequestLike): Promise<CobeePrincipal> {
    const token = extractBearerToken({ rawHeaders: rawHeadersOf(request), query: request.query, body: request.body });
    return this.verifier.verify(token);
  }

  /** Checks that the token carries every scope listed by `@RequiredScopes()` on the handler or its class. */
  protected checkRequiredScopes(context: ExecutionContext, principal: CobeePrincipal): void {
    const required = this.reflector.getAllAndOverride<readonly string[] | undefined>(REQUIRED_SCOPES_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (required !== undefined && !required.every((scope) => principal.scopes.includes(scope))) {
      const error = new InsufficientScopeError(required);
      error.clientId = principal.clientId;
      error.clientIdVerified = true;
      throw error;
    }
  }
}
