/** Stable codes of the token client's errors. */
export type TokenClientErrorCode =
  | 'ERR_TOKEN_CLIENT_OPTIONS_INVALID'
  | 'ERR_TOKEN_REQUEST_REJECTED'
  | 'ERR_TOKEN_ENDPOINT_UNAVAILABLE'
  | 'ERR_TOKEN_RESPONSE_INVALID';

/** Base class of every error the token client throws. */
export abstract class TokenClientError extends Error {
  abstract readonly code: TokenClientErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Invalid options, thrown by the constructor. The message names every invalid option; it never contains the secret. */
export class TokenClientOptionsError extends TokenClientError {
  readonly code = 'ERR_TOKEN_CLIENT_OPTIONS_INVALID' as const;

  constructor(readonly problems: readonly string[]) {
    super(`Invalid CobeeTokenClient options:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/**
 * The token endpoint rejected the request with a status that retrying cannot fix: 400, 401,
 * 403 or another 4xx except 429, or a redirect. Wrong credentials and a revoked or deleted
 * client end here. The client never retries it.
 */
export class TokenRequestRejectedError extends TokenClientError {
  readonly code = 'ERR_TOKEN_REQUEST_REJECTED' as const;

  /**
   * @param status HTTP status of the response
   * @param oauthError the OAuth error code (`error`), for example `invalid_client`, when the body has one
   * @param description the endpoint's explanation (`error_description` or `message`), shortened and made printable
   */
  constructor(
    readonly clientId: string,
    readonly status: number,
    readonly oauthError: string | undefined,
    readonly description: string | undefined,
  ) {
    super(
      `The token endpoint rejected client "${clientId}" with HTTP ${status}` +
        `${oauthError === undefined ? '' : ` ${oauthError}`}${description === undefined ? '' : `: ${description}`}. ` +
        rejectionAdvice(status),
    );
  }
}

/** Cause of a failed token request. */
export type UnavailableReason = 'network_error' | 'timeout' | 'rate_limited' | 'server_error';

/**
 * The token endpoint could not be reached, timed out, or responded 429 or 5xx, on every
 * attempt. When the last response had a `Retry-After` header, `retryAfterMs` is the wait it requested.
 */
export class TokenEndpointUnavailableError extends TokenClientError {
  readonly code = 'ERR_TOKEN_ENDPOINT_UNAVAILABLE' as const;

  /**
   * @param reason what made the last attempt fail
   * @param status HTTP status of the last response, when there was one
   * @param attempts how many requests were sent
   * @param retryAfterMs the wait from the last `Retry-After` header, in milliseconds
   * @param detail one sentence about the last failure, without credentials
   */
  constructor(
    readonly clientId: string,
    readonly reason: UnavailableReason,
    readonly status: number | undefined,
    readonly attempts: number,
    readonly retryAfterMs: number | undefined,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Could not get an access token for client "${clientId}" after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${detail}` +
        (retryAfterMs === undefined ? '' : ` The endpoint asked to retry after ${Math.ceil(retryAfterMs / 1000)} s.`),
      options,
    );
  }

  /** Copies the failure with the final attempt count, for the error thrown when the retries are used up. */
  withAttempts(attempts: number): TokenEndpointUnavailableError {
    return new TokenEndpointUnavailableError(this.clientId, this.reason, this.status, attempts, this.retryAfterMs, this.detail, {
      cause: this.cause,
    });
  }
}

/** The endpoint responded with a success status, but the body is not a usable bearer token response. Not retried. */
export class InvalidTokenResponseError extends TokenClientError {
  readonly code = 'ERR_TOKEN_RESPONSE_INVALID' as const;

  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`The token endpoint returned an invalid response (HTTP ${status}): ${reason}.`);
  }
}

function rejectionAdvice(status: number): string {
  if (status >= 300 && status < 400) {
    return 'Credentials are never sent across redirects: set tokenEndpoint to the final URL.';
  }
  if (status === 404 || status === 405) {
    return 'Check tokenEndpoint: it must be the URL of the token endpoint itself, for example https://your-tenant.eu.auth0.com/oauth/token.';
  }
  return 'Check the client id, the client secret and the audience; a revoked or deleted client gets this error too. The request was not retried.';
}
