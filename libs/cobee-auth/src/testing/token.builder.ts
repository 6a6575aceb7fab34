import { createHmac, KeyObject, randomUUID } from 'node:crypto';
import { DevIssuer } from './dev-issuer';
import { encodeJson, RingKey } from './signing-key.ring';

/** HMAC algorithms, for forging tokens that a correct verifier must reject. */
export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

/** Audience of `wrongAudience()`; the `.invalid` top-level domain (RFC 2606) names no real API. */
export const WRONG_AUDIENCE = 'https://wrong-audience.invalid';

const HMAC_HASHES: Record<HmacAlgorithm, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/**
 * Builds access tokens for tests: valid ones as the dev issuer would mint them, and every
 * kind of bad one. Start from a client's claims, override any claim or header member
 * (undefined removes it), then sign.
 *
 * @example
 * const expired = TokenBuilder.forClient(issuer, 'demo-acme-iberia').expired().build();
 * const foreign = TokenBuilder.forClient(issuer, 'demo-acme-iberia').forOtherCompany().build();
 */
export class TokenBuilder {
  private readonly claims: Record<string, unknown>;
  private readonly header: Record<string, unknown> = {};
  private key: RingKey | undefined;

  constructor(
    private readonly issuer: DevIssuer,
    claims: Record<string, unknown>,
  ) {
    this.claims = { ...claims };
  }

  /** Starts from the claims the token endpoint would issue to this client. */
  static forClient(issuer: DevIssuer, clientId: string, audience?: string): TokenBuilder {
    return new TokenBuilder(issuer, issuer.claimsFor(clientId, audience));
  }

  /** Sets claims; a claim set to undefined is removed. */
  withClaims(overrides: Record<string, unknown>): this {
    for (const [name, value] of Object.entries(overrides)) {
      if (value === undefined) {
        delete this.claims[name];
      } else {
        this.claims[name] = value;
      }
    }
    return this;
  }

  /** Sets header members; a member set to undefined is removed. */
  withHeader(overrides: Record<string, unknown>): this {
    Object.assign(this.header, overrides);
    return this;
  }

  /** Replaces the company claim's content. */
  withCompany(companyId: unknown, corporationId?: unknown): this {
    const metadata: Record<string, unknown> = { companyId };
    if (corporationId !== undefined) {
      metadata.corporationId = corporationId;
    }
    return this.withClaims({ [this.issuer.claimNamespace]: metadata });
  }

  /** Makes the token expired `secondsAgo` seconds ago, issued an hour before that. */
  expired(secondsAgo = 60): this {
    const expiresAt = this.nowSeconds() - secondsAgo;
    return this.withClaims({ exp: expiresAt, iat: expiresAt - 3600 });
  }

  /** Makes the token valid only from `secondsAhead` seconds from now. */
  notYetValid(secondsAhead = 300): this {
    return this.withClaims({ nbf: this.nowSeconds() + secondsAhead });
  }

  /** Sets another audience. */
  withAudience(audience: unknown): this {
    return this.withClaims({ aud: audience });
  }

  /**
   * Sets an audience the API does not accept, so the token gets 401 `invalid_token` with the
   * description "The access token claim 'aud' is invalid".
   */
  wrongAudience(audience = WRONG_AUDIENCE): this {
    return this.withAudience(audience);
  }

  /**
   * Ties the token to another company, without a corporation, so a request for the client's
   * own company gets 403 (or 404 with `companyDeniedStatus: 404`).
   *
   * @param companyId the other company; default: a random UUID that no directory knows
   */
  forOtherCompany(companyId: string = randomUUID()): this {
    return this.withCompany(companyId);
  }

  /** Replaces the `scope` claim; with no scopes the claim is removed. */
  withScopes(...scopes: string[]): this {
    return this.withClaims({ scope: scopes.length === 0 ? undefined : scopes.join(' ') });
  }

  /** Signs with this key instead of the issuer's active key (for example one that is not published). */
  signedWith(key: RingKey): this {
    this.key = key;
    return this;
  }

  /** The claims as they stand. */
  get payload(): Readonly<Record<string, unknown>> {
    return this.claims;
  }

  /** Signs with RS256 and the issuer's active key, or the key from `signedWith()`. */
  build(): string {
    return this.issuer.keys.sign(this.claims, this.header, this.key ?? this.issuer.keys.activeKey);
  }

  /** Builds an unsigned token: header `alg` (default `none`) and an empty or given signature. */
  buildUnsigned(alg: string = 'none', signature = ''): string {
    const header = { typ: 'JWT', ...this.header, alg };
    return `${encodeJson(header)}.${encodeJson(this.claims)}.${signature}`;
  }

  /** Signs with an HMAC algorithm and `secret`, the classic key-confusion forgery when `secret` is the public key. */
  buildHmac(alg: HmacAlgorithm, secret: string | Buffer | KeyObject): string {
    const header = { typ: 'JWT', kid: (this.key ?? this.issuer.keys.activeKey).kid, ...this.header, alg };
    const signingInput = `${encodeJson(header)}.${encodeJson(this.claims)}`;
    const signature = createHmac(HMAC_HASHES[alg], secret).update(signingInput).digest('base64url');
    return `${signingInput}.${signature}`;
  }

  private nowSeconds(): number {
    return Math.floor(Date.now() / 1000);
  }
}
