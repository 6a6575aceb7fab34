/** Signature algorithms that can be enabled. `none` and every HMAC algorithm (HS*) are never accepted. */
export type CobeeAuthAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512';

/** The module's reaction when the start-up route audit finds a route that is not protected as it should be. */
export type RouteAuditMode = 'error' | 'warn';

/** Options of `CobeeAuthModule.forRoot()` and of the factory of `forRootAsync()`. */
export interface CobeeAuthModuleOptions {
  /**
   * The token issuer, compared exactly with the `iss` claim (never by prefix). Auth0 issuers
   * end with a slash, for example `https://tenant.eu.auth0.com/`. It must use `https:`, except
   * for `localhost`, `127.0.0.1` and `[::1]`. Required.
   */
  issuerUrl: string;

  /** The API identifier or identifiers a token's `aud` must contain at least one of. Required. */
  audience: string | string[];

  /** URL of the issuer's JSON Web Key Set. Default: `<issuerUrl>.well-known/jwks.json`, Auth0's location. */
  jwksUri?: string;

  /** Accepted signature algorithms. Default: `['RS256']`. */
  algorithms?: CobeeAuthAlgorithm[];

  /** Allowed clock skew, in seconds, applied to `exp`, `nbf` and `iat` alike. Default: 5; at most 300. */
  clockToleranceSeconds?: number;

  /** Maximum token age, in seconds since `iat`. Default: no limit beyond `exp`. */
  maxTokenAgeSeconds?: number;

  /** Largest accepted token, in bytes, checked before any decoding. Default: 8192. */
  maxTokenBytes?: number;

  /** Name of the custom claim that carries `companyId` and `corporationId`. Default: `https://auth.cobee.io/metadata`. */
  claimNamespace?: string;

  /** Accepted values of the `gty` claim. Default: `['client-credentials']`, Auth0's machine-to-machine grant. */
  allowedGrantTypes?: string[];

  /** Realm sent in `WWW-Authenticate` challenges. Default: `api`. */
  realm?: string;

  /** Lifetime of a fetched key set, in seconds; after it, the next request fetches the set again. Default: 600. */
  jwksCacheMaxAgeSeconds?: number;

  /**
   * Minimum time, in seconds, between two key-set fetches caused by tokens with an unknown
   * `kid`. Tokens with an unknown `kid` inside this window are rejected without a fetch. Default: 30.
   */
  jwksCooldownSeconds?: number;

  /** Minimum time, in seconds, between a failed key-set fetch and the next attempt. Default: 1. */
  jwksRetryAfterFailureSeconds?: number;

  /**
   * Grace period, in seconds past `jwksCacheMaxAgeSeconds`, in which cached keys keep validating
   * while the key server cannot be reached. Each use logs a warning. 0 turns the fallback off. Default: 300.
   */
  jwksStaleGraceSeconds?: number;

  /** Timeout of one key-set request, in milliseconds. Default: 5000. */
  jwksRequestTimeoutMs?: number;

  /** Largest accepted key-set response, in bytes. Default: 65536. */
  jwksMaxResponseBytes?: number;

  /** Most keys accepted in one key set; a larger set is treated as a failed fetch. Default: 32. */
  jwksMaxKeys?: number;

  /** Maximum number of verified tokens kept in memory so a reused token skips signature verification. 0 turns the cache off. Default: 10000. */
  verifiedTokenCacheSize?: number;

  /** Lifetime, in seconds, of cached `CompanyDirectory` results. 0 turns the cache off. Default: 60. */
  companyDirectoryCacheTtlSeconds?: number;

  /** Most company-directory results kept in the cache. Default: 10000. */
  companyDirectoryCacheSize?: number;

  /**
   * Status for a company outside the token's scope and for a company that does not exist
   * (the two always get the same response). Default: 403.
   */
  companyDeniedStatus?: 403 | 404;

  /** Reaction of the start-up route audit to unprotected or misconfigured routes. Default: `'error'`, which stops the application. */
  routeAudit?: RouteAuditMode;

  /** Request header that may name a company; the guard checks it on every scoped route. Default: `x-company-id`. */
  companyIdHeader?: string;

  /** Query-string and body field that may name a company; the guard checks it on every scoped route. Default: `companyId`. */
  companyIdField?: string;

  /** Clock used for every time check, in milliseconds since the Unix epoch. Default: `Date.now`. Meant for tests. */
  clock?: () => number;
}

/** Options that shape the module itself rather than the token checks. */
export interface CobeeAuthModuleExtras {
  /**
   * Registers `CobeeAuthGuard` and `CompanyScopeGuard` as application guards, so every route
   * needs a token and a company scope unless it is marked `@Public()` or `@Unscoped()`. Default: false.
   */
  globalGuards?: boolean;
}
