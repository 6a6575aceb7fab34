import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-strategy';
import { extractBearerToken } from '../core/bearer-token.extractor';
import { CobeePrincipal } from '../core/cobee-principal';
import { HttpRequestLike, rawHeadersOf } from './request-auth-state';
import { TokenVerifier } from './token-verifier.service';

/** Name under which the strategy is registered with Passport. */
export const COBEE_JWT_STRATEGY = 'cobee-jwt';

/**
 * The Passport strategy: reads the bearer token from the Authorization header and verifies
 * it with `TokenVerifier` (keys from the issuer's JWKS through jwks-rsa). On success Passport
 * receives the `CobeePrincipal`. On failure it receives the library error with the reason,
 * which `CobeeAuthGuard` maps to an RFC 6750 response.
 *
 * It replaces passport-jwt: its verifier, jsonwebtoken, adds about 40 % to the RSA check of
 * every new token, and the library's own stricter checks would come on top of that, which
 * would leave the verification path well below 0.7 of a bare `crypto.verify`.
 * docs/benchmarks.md has the figures.
 *
 * `CobeeAuthGuard` runs this strategy directly. It is also registered with Passport's
 * process-wide registry as `cobee-jwt` for code that uses `AuthGuard('cobee-jwt')`; with two
 * module configurations in one process, that registry holds the last one.
 */
@Injectable()
export class CobeeJwtStrategy extends PassportStrategy(Strategy, COBEE_JWT_STRATEGY) {
  constructor(private readonly verifier: TokenVerifier) {
    super();
  }

  override authenticate(request: HttpRequestLike): void {
    let token: string;
    try {
      token = extractBearerToken({ rawHeaders: rawHeadersOf(request), query: request.query, body: request.body });
    } catch (error) {
      this.fail(error, 401);
      return;
    }
    this.verifier.verify(token).then(
      (principal) => this.success(this.validate(principal)),
      (error: unknown) => this.fail(error, 401),
    );
  }

  /** Returns the user Passport stores for a verified principal; override it to add checks of your own (throwing rejects). */
  validate(principal: CobeePrincipal): CobeePrincipal {
    return principal;
  }
}
