/**
 * The authenticated machine client behind a request, built from a verified access token.
 * Instances are frozen because the verified-token cache shares them between requests.
 */
export interface CobeePrincipal {
  /** The OAuth client id, from the `azp` claim. */
  readonly clientId: string;
  /** The token subject, from `sub` (Auth0 sends `<client id>@clients`). */
  readonly subject: string;
  /** The company the client belongs to, as a lower-case UUID. */
  readonly companyId: string;
  /** The corporation whose companies the client may also reach, as a lower-case UUID, when the token has one. */
  readonly corporationId: string | undefined;
  /** The grant type the token was issued for, from `gty`. */
  readonly grantType: string;
  /** Scopes from the space-separated `scope` claim and Auth0's `permissions` claim, without duplicates. */
  readonly scopes: readonly string[];
  /** Token expiry, in seconds since the Unix epoch, from `exp`. */
  readonly expiresAt: number;
  /** Every claim of the verified token. */
  readonly claims: Readonly<Record<string, unknown>>;
}
