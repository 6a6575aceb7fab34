/**
 * Wire format of the token endpoint.
 *
 * - `oauth2`: an Auth0-compatible endpoint (RFC 6749 section 4.4). The client sends a form body
 *   with `grant_type=client_credentials` and reads `{ access_token, token_type, expires_in }`.
 * - `cobee`: the Cobee partner API's own `POST /oauth/token`. The client sends the JSON body
 *   `{ clientId, clientSecret }` and reads `{ accessToken, tokenType, expiresIn }`.
 */
export type TokenEndpointStyle = 'oauth2' | 'cobee';

/** Client authentication method of an `oauth2` request (RFC 6749 section 2.3.1). */
export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic';

/** The subset of a logger the token client writes to. Nest's `Logger`, pino and `console` all fit. */
export interface TokenClientLogger {
  debug?(message: string): void;
  warn(message: string): void;
  error?(message: string): void;
}

/** Options of `CobeeTokenClient`. */
export interface CobeeTokenClientOptions {
  /**
   * URL of the token endpoint, for example `https://your-tenant.eu.auth0.com/oauth/token`. It
   * must use `https:`, except for loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`). Required.
   */
  readonly tokenEndpoint: string;

  /** The machine-to-machine client id. Required. */
  readonly clientId: string;

  /** The client secret. It is sent only to `tokenEndpoint` and never logged. Required. */
  readonly clientSecret: string;

  /** The API identifier the token is for. Required for the `oauth2` style; not sent with the `cobee` style. */
  readonly audience?: string;

  /** Space-separated scopes to request (`oauth2` style only). Default: none, so the issuer grants the client's scopes. */
  readonly scope?: string;

  /** Wire format of the endpoint. Default: `oauth2`. */
  readonly endpointStyle?: TokenEndpointStyle;

  /** Client authentication method of an `oauth2` request. Default: `client_secret_post` (credentials in the form body). */
  readonly authMethod?: ClientAuthMethod;

  /**
   * How long before `expires_in` runs out a cached token is renewed, in seconds. A token is
   * never kept for less than half its lifetime, so a short-lived token is not renewed on every
   * call. Default: 60.
   */
  readonly refreshMarginSeconds?: number;

  /** Time limit of one token request, response body included, in milliseconds. Default: 10000. */
  readonly requestTimeoutMs?: number;

  /** Retries after a network error, a timeout, a 429 or a 5xx response. 0 turns retries off. Default: 3. */
  readonly maxRetries?: number;

  /** Delay before the first retry, in milliseconds; it doubles with each retry, with jitter. Default: 250. */
  readonly retryBaseDelayMs?: number;

  /**
   * Maximum wait before one retry, in milliseconds. It caps the exponential backoff. When a
   * `Retry-After` header requests a longer wait, the client stops retrying and throws
   * `TokenEndpointUnavailableError` with `retryAfterMs` set. Default: 10000.
   */
  readonly maxRetryDelayMs?: number;

  /** Largest accepted response body, in bytes. Default: 65536. */
  readonly maxResponseBytes?: number;

  /** Receives retries (warn), rejected requests (warn) and issued tokens (debug). Default: no logging. */
  readonly logger?: TokenClientLogger;

  /** Current time in milliseconds since the Unix epoch. Default: `Date.now`. */
  readonly clock?: () => number;

  /** The `fetch` implementation. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;

  /** Waits between retries. Default: a `setTimeout` promise. */
  readonly sleep?: (milliseconds: number) => Promise<void>;

  /** Source of the retry jitter, returning a number in [0, 1). Default: `Math.random`. */
  readonly random?: () => number;
}

/** Options after validation, with every default applied. */
export interface TokenClientConfig {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly audience: string | undefined;
  readonly scope: string | undefined;
  readonly endpointStyle: TokenEndpointStyle;
  readonly authMethod: ClientAuthMethod;
  readonly refreshMarginMs: number;
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly maxResponseBytes: number;
  readonly logger: TokenClientLogger;
  readonly clock: () => number;
  readonly fetch: typeof fetch;
  readonly sleep: (milliseconds: number) => Promise<void>;
  readonly random: () => number;
}
