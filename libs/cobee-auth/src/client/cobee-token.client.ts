import { retryDelay } from './retry.policy';
import { TokenEndpointUnavailableError, TokenRequestRejectedError } from './token-client.errors';
import { resolveTokenClientOptions } from './token-client-options.validator';
import { CobeeTokenClientOptions, TokenClientConfig } from './token-client.options';
import { requestClientCredentialsToken } from './token-endpoint.request';

/** A cached access token. */
export interface AccessToken {
  /** The token itself, to send as `Authorization: Bearer <value>`. */
  readonly value: string;
  readonly tokenType: 'Bearer';
  /** When the token expires, in milliseconds since the Unix epoch, counted from the moment the request was sent. */
  readonly expiresAt: number;
  /** When the client starts renewing it, in milliseconds since the Unix epoch. */
  readonly refreshAt: number;
  /** Granted scopes, when the endpoint listed them. */
  readonly scope: string | undefined;
}

/** Token source interface that `createBearerFetch()` depends on. */
export interface AccessTokenSource {
  getAccessToken(): Promise<string>;
  invalidate(token: string): void;
}

/**
 * Gets machine-to-machine access tokens with the client-credentials grant and reuses them.
 *
 * - A token is cached until `refreshMarginSeconds` before it expires (never for less than
 *   half its lifetime); calls in between return it without a request.
 * - Concurrent callers share one in-flight request.
 * - Network errors, timeouts, 429 and 5xx are retried with capped exponential backoff, and
 *   `Retry-After` is honoured. A 4xx response (wrong secret, revoked client, wrong audience) is
 *   never retried: it throws `TokenRequestRejectedError` and drops the cached token.
 * - When a renewal fails for a transient reason while the cached token has not expired yet,
 *   the cached token is returned and a warning is logged.
 *
 * Neither the client secret nor a token is ever logged. The class has no dependency on Nest;
 * `CobeeTokenClientModule` provides it as an injectable.
 */
export class CobeeTokenClient implements AccessTokenSource {
  private readonly config: TokenClientConfig;
  private cached: AccessToken | undefined;
  private inFlight: Promise<AccessToken> | undefined;

  /** @throws TokenClientOptionsError naming every invalid option */
  constructor(options: CobeeTokenClientOptions) {
    this.config = resolveTokenClientOptions(options);
  }

  /** The client id, for logs and error messages. */
  get clientId(): string {
    return this.config.clientId;
  }

  /**
   * Returns a valid access token, from the cache when it is not due for renewal.
   *
   * @throws TokenRequestRejectedError when the endpoint rejects the credentials
   * @throws TokenEndpointUnavailableError when every attempt failed and no unexpired token is cached
   * @throws InvalidTokenResponseError when the endpoint's response is not a bearer token
   */
  async getAccessToken(): Promise<string> {
    return (await this.getToken()).value;
  }

  /**
   * Returns a valid access token with its expiry.
   *
   * @param options.forceRefresh request a new token even when the cached one is still fresh
   */
  async getToken(options: { forceRefresh?: boolean } = {}): Promise<AccessToken> {
    const cached = this.cached;
    if (options.forceRefresh !== true && cached !== undefined && this.config.clock() < cached.refreshAt) {
      return cached;
    }
    try {
      return await this.renewShared();
    } catch (error) {
      if (
        error instanceof TokenEndpointUnavailableError &&
        options.forceRefresh !== true &&
        cached !== undefined &&
        this.cached === cached &&
        this.config.clock() < cached.expiresAt
      ) {
        this.config.logger.warn(
          `Renewing the access token for client ${this.config.clientId} failed (${error.detail}); ` +
            `using the cached token, which expires in ${Math.ceil((cached.expiresAt - this.config.clock()) / 1000)} s.`,
        );
        return cached;
      }
      throw error;
    }
  }

  /**
   * Drops the cached token when it is `token`, so the next call requests a new one. Call it
   * when an API rejects the token (401 with `error="invalid_token"`). A token that was
   * already replaced is left alone, so many callers that saw the same rejection cause one
   * renewal.
   */
  invalidate(token: string): void {
    if (this.cached?.value === token) {
      this.cached = undefined;
    }
  }

  /** Drops the cached token unconditionally. */
  clear(): void {
    this.cached = undefined;
  }

  private renewShared(): Promise<AccessToken> {
    if (this.inFlight === undefined) {
      this.inFlight = this.requestWithRetries().finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  private async requestWithRetries(): Promise<AccessToken> {
    const { clock, logger, clientId, maxRetries } = this.config;
    for (let attempt = 1; ; attempt++) {
      const sentAt = clock();
      try {
        const grant = await requestClientCredentialsToken(this.config);
        const lifetimeMs = grant.expiresInSeconds * 1000;
        const token: AccessToken = {
          value: grant.accessToken,
          tokenType: grant.tokenType,
          expiresAt: sentAt + lifetimeMs,
          refreshAt: sentAt + lifetimeMs - Math.min(this.config.refreshMarginMs, lifetimeMs / 2),
          scope: grant.scope,
        };
        this.cached = token;
        logger.debug?.(`Obtained an access token for client ${clientId}, valid for ${grant.expiresInSeconds} s (attempt ${attempt}).`);
        return token;
      } catch (error) {
        if (error instanceof TokenRequestRejectedError) {
          this.cached = undefined;
          logger.warn(error.message);
          throw error;
        }
        if (!(error instanceof TokenEndpointUnavailableError)) {
          throw error;
        }
        const delay =
          attempt > maxRetries
            ? undefined
            : retryDelay(attempt, error.retryAfterMs, {
                baseDelayMs: this.config.retryBaseDelayMs,
                maxDelayMs: this.config.maxRetryDelayMs,
                random: this.config.random,
              });
        if (delay === undefined) {
          const final = error.withAttempts(attempt);
          logger.warn(final.message);
          throw final;
        }
        logger.warn(
          `Token request for client ${clientId} failed: ${error.detail} Retry ${attempt} of ${maxRetries} in ${delay} ms.`,
        );
        await this.config.sleep(delay);
      }
    }
  }
}
