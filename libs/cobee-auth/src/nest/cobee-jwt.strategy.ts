import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Passport } from 'passport';
import { Strategy, VerifiedCallback } from 'passport-jwt';
import { InvalidTokenError } from '../core/cobee-auth.errors';
import { CobeePrincipal } from '../core/cobee-principal';
import { InspectedToken, inspectToken } from '../core/token.inspector';
import { JwksKeyStore } from '../keys/jwks-key.store';
import { VerificationKey } from '../keys/verification-key';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { COBEE_AUTH_CONFIG } from './cobee-auth.tokens';

/** Name of the strategy, for logs and for Passport's own bookkeeping. */
export const COBEE_JWT_STRATEGY = 'cobee-jwt';

/**
 * One verification attempt. The strategy receives it in place of the HTTP request, so the
 * token never has to be written onto the request object.
 */
export interface TokenAttempt {
  readonly token: string;
  /** Set by the key provider once every key-free check passed. */
  inspected?: InspectedToken;
  /** Set by the key provider: the key the signature is checked with. */
  key?: VerificationKey;
}

/**
 * The Passport strategy: passport-jwt with keys from the issuer's JWKS (through jwks-rsa).
 *
 * Before any key lookup, the key provider runs every check that needs no key (size,
 * structure, algorithm allow-list, header parameters, issuer, audience, time claims, grant
 * type and the company claim), so junk and foreign tokens cause no key-set fetch. Then
 * jsonwebtoken verifies the signature with the cached `KeyObject` and checks the algorithm,
 * issuer and audience a second time. Time claims are checked once, by the inspector, because
 * only it uses the configured clock.
 */
@Injectable()
export class CobeeJwtStrategy extends PassportStrategy(Strategy, COBEE_JWT_STRATEGY) {
  constructor(@Inject(COBEE_AUTH_CONFIG) config: CobeeAuthConfig, keys: JwksKeyStore) {
    super({
      jwtFromRequest: (attempt: TokenAttempt) => attempt.token,
      secretOrKeyProvider: (attempt: TokenAttempt, _token: string, done: (error: unknown, key?: string | Buffer) => void) => {
        provideKey(attempt, config, keys).then(
          // jsonwebtoken 9 accepts a KeyObject, which spares it from parsing a PEM string on every request.
          (key) => done(null, key.keyObject as unknown as Buffer),
          (error: unknown) => done(error),
        );
      },
      algorithms: [...config.algorithms],
      issuer: config.issuer,
      audience: [...config.audiences],
      ignoreExpiration: true,
      jsonWebTokenOptions: { ignoreNotBefore: true },
      passReqToCallback: true,
    });
  }

  /** Keeps the strategy out of Passport's process-wide registry; the guard calls it directly. */
  getPassportInstance(): InstanceType<typeof Passport> {
    return new Passport();
  }

  /** Returns the principal built during inspection; jsonwebtoken has verified the same token. */
  validate(attempt: TokenAttempt, _payload: unknown, _done?: VerifiedCallback): CobeePrincipal {
    if (attempt.inspected === undefined) {
      throw new Error('CobeeJwtStrategy.validate() ran before the token was inspected');
    }
    return attempt.inspected.principal;
  }
}

async function provideKey(attempt: TokenAttempt, config: CobeeAuthConfig, keys: JwksKeyStore): Promise<VerificationKey> {
  const inspected = inspectToken(attempt.token, config, config.clock() / 1000);
  attempt.inspected = inspected;

  const key = await keys.getKey(inspected.header.kid);
  if (key.alg !== undefined && key.alg !== inspected.header.alg) {
    throw new InvalidTokenError('ERR_JWKS_NO_MATCHING_KEY', `The key for this "kid" is bound to ${key.alg}, not to the token "alg"`);
  }
  attempt.key = key;
  return key;
}
