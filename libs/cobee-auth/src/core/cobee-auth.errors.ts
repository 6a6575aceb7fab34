/**
 * Stable error codes of the library. Clients never see them directly: the Nest layer
 * maps each error class to an HTTP status and an RFC 6750 error code, and logs the code.
 */
export type CobeeAuthErrorCode =
  | 'ERR_TOKEN_MISSING'
  | 'ERR_AUTHORIZATION_HEADER_INVALID'
  | 'ERR_AUTHORIZATION_HEADER_REPEATED'
  | 'ERR_TOKEN_IN_QUERY_OR_BODY'
  | 'ERR_JWT_MALFORMED'
  | 'ERR_JWT_TOO_LARGE'
  | 'ERR_JWE_NOT_SUPPORTED'
  | 'ERR_JOSE_ALG_NOT_ALLOWED'
  | 'ERR_JOSE_HEADER_INVALID'
  | 'ERR_JWT_CLAIM_INVALID'
  | 'ERR_JWT_EXPIRED'
  | 'ERR_JWT_NOT_YET_VALID'
  | 'ERR_JWT_TOO_OLD'
  | 'ERR_JWKS_NO_MATCHING_KEY'
  | 'ERR_JWS_SIGNATURE_INVALID'
  | 'ERR_JWKS_UNAVAILABLE'
  | 'ERR_SCOPE_MISSING'
  | 'ERR_COMPANY_ID_INVALID'
  | 'ERR_COMPANY_REFERENCE_CONFLICT'
  | 'ERR_COMPANY_OUT_OF_SCOPE'
  | 'ERR_COMPANY_SCOPE_UNRESOLVED'
  | 'ERR_CONTEXT_NOT_SUPPORTED';

/** Base class of every error the library raises for a request it rejects. */
export abstract class CobeeAuthError extends Error {
  abstract readonly code: CobeeAuthErrorCode;

  /** Short text that is safe to send to the client: it never contains request data. */
  abstract readonly description: string;

  /** The client id from the token's claims, when they could be read, for the server log. */
  clientId: string | undefined;

  /** True when `clientId` comes from a token whose signature was verified. */
  clientIdVerified: boolean;

  /**
   * Records no stack trace: these errors describe rejected requests, not bugs, and capturing
   * a trace would make rejecting junk tokens cost more than the checks themselves.
   */
  constructor(message: string) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = new.target.name;
    this.clientIdVerified = false;
  }
}

/** The request carries no bearer token (RFC 6750 section 3.1: no error code is sent). */
export class MissingTokenError extends CobeeAuthError {
  readonly code = 'ERR_TOKEN_MISSING' as const;
  readonly description = 'An access token is required';

  constructor() {
    super('The request has no bearer token');
  }
}

/** The request is malformed at the HTTP level (RFC 6750 `invalid_request`, status 400). */
export class InvalidRequestError extends CobeeAuthError {
  constructor(
    readonly code: Extract<
      CobeeAuthErrorCode,
      'ERR_AUTHORIZATION_HEADER_INVALID' | 'ERR_AUTHORIZATION_HEADER_REPEATED' | 'ERR_TOKEN_IN_QUERY_OR_BODY'
    >,
    message: string,
    readonly description: string,
  ) {
    super(message);
  }
}

const INVALID_TOKEN_DESCRIPTIONS = {
  ERR_JWT_MALFORMED: 'The access token is malformed',
  ERR_JWT_TOO_LARGE: 'The access token is too large',
  ERR_JWE_NOT_SUPPORTED: 'Encrypted access tokens are not accepted',
  ERR_JOSE_ALG_NOT_ALLOWED: 'The access token algorithm is not allowed',
  ERR_JOSE_HEADER_INVALID: 'The access token header is invalid',
  ERR_JWT_CLAIM_INVALID: 'The access token has an invalid claim',
  ERR_JWT_EXPIRED: 'The access token expired',
  ERR_JWT_NOT_YET_VALID: 'The access token is not valid yet',
  ERR_JWT_TOO_OLD: 'The access token is too old',
  ERR_JWKS_NO_MATCHING_KEY: 'The access token was signed with an unknown key',
  ERR_JWS_SIGNATURE_INVALID: 'The access token signature is invalid',
} as const;

export type InvalidTokenErrorCode = keyof typeof INVALID_TOKEN_DESCRIPTIONS;

/** The token cannot be trusted (RFC 6750 `invalid_token`, status 401). */
export class InvalidTokenError extends CobeeAuthError {
  readonly description: string;

  /**
   * @param code stable reason code
   * @param message detail for the server log; it must not contain token text
   * @param claim name of the offending claim, for `ERR_JWT_CLAIM_INVALID`
   */
  constructor(
    readonly code: InvalidTokenErrorCode,
    message: string,
    readonly claim?: string,
  ) {
    super(message);
    this.description =
      claim === undefined ? INVALID_TOKEN_DESCRIPTIONS[code] : `The access token claim '${claim}' is invalid`;
  }
}

/** The key set is unreachable and no usable key is cached (status 503 with `Retry-After`). */
export class KeySetUnavailableError extends CobeeAuthError {
  readonly code = 'ERR_JWKS_UNAVAILABLE' as const;
  readonly description = 'The token signing keys are temporarily unavailable';

  /**
   * @param message detail for the server log
   * @param retryAfterSeconds seconds after which a retry may succeed
   */
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The token lacks a scope or permission the route requires (RFC 6750 `insufficient_scope`, status 403). */
export class InsufficientScopeError extends CobeeAuthError {
  readonly code = 'ERR_SCOPE_MISSING' as const;
  readonly description = 'The access token lacks a required scope';

  constructor(readonly requiredScopes: readonly string[]) {
    super(`The token lacks one of the required scopes: ${requiredScopes.join(' ')}`);
  }
}

/** A company id in the request is not a canonical UUID (status 400). */
export class InvalidCompanyIdError extends CobeeAuthError {
  readonly code = 'ERR_COMPANY_ID_INVALID' as const;

  constructor(readonly source: string) {
    super(`The company id in ${source} is not a UUID`);
  }

  get description(): string {
    return `The company id in ${this.source} must be a UUID`;
  }
}

/** The request names more than one company, or names one company twice in one place (status 400). */
export class CompanyReferenceConflictError extends CobeeAuthError {
  readonly code = 'ERR_COMPANY_REFERENCE_CONFLICT' as const;
  readonly description = 'The request names more than one company or repeats a company parameter';

  constructor(message: string) {
    super(message);
  }
}

/**
 * The requested company is outside the token's scope or does not exist. Both cases share
 * this error so that a client cannot learn which company ids exist.
 */
export class CompanyAccessDeniedError extends CobeeAuthError {
  readonly code = 'ERR_COMPANY_OUT_OF_SCOPE' as const;
  readonly description = "The requested company is not in the token's scope";

  constructor(
    message: string,
    readonly requestedCompanyId: string,
  ) {
    super(message);
  }
}

/**
 * The guard could not work out which company a route is scoped to, for example because the
 * configured route parameter does not exist. The request is denied.
 */
export class CompanyScopeUnresolvedError extends CobeeAuthError {
  readonly code = 'ERR_COMPANY_SCOPE_UNRESOLVED' as const;
  readonly description = "The requested company is not in the token's scope";

  constructor(message: string) {
    super(message);
  }
}

/** The execution context (RPC, WebSocket or an unknown one) is not allowed on this route. */
export class ContextNotSupportedError extends CobeeAuthError {
  readonly code = 'ERR_CONTEXT_NOT_SUPPORTED' as const;
  readonly description = 'This transport is not allowed for this handler';

  constructor(readonly contextType: string) {
    super(`Requests in the "${contextType}" context are denied`);
  }
}
