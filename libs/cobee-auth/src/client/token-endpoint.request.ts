import { parseRetryAfter } from './retry.policy';
import { InvalidTokenResponseError, TokenEndpointUnavailableError, TokenRequestRejectedError } from './token-client.errors';
import { TokenClientConfig } from './token-client.options';
import { parseTokenErrorBody, parseTokenResponse, TokenGrant } from './token-response.parser';

/** Settings of one token request: the client's resolved options without the retry and cache settings. */
export type TokenRequestSettings = Pick<
  TokenClientConfig,
  | 'tokenEndpoint'
  | 'clientId'
  | 'clientSecret'
  | 'audience'
  | 'scope'
  | 'endpointStyle'
  | 'authMethod'
  | 'requestTimeoutMs'
  | 'maxResponseBytes'
  | 'fetch'
  | 'clock'
>;

/**
 * Sends one client-credentials token request, without retries and without caching.
 * Redirects are not followed, so the credentials reach `tokenEndpoint` only. The settings are
 * used as given: build them with `resolveTokenClientOptions()` to have them validated.
 *
 * @throws TokenRequestRejectedError for a 4xx response other than 429, or a redirect
 * @throws TokenEndpointUnavailableError (with `attempts` 1) for a network error, a timeout, a 429 or a 5xx
 * @throws InvalidTokenResponseError for a 2xx response that is not a usable bearer token
 */
export async function requestClientCredentialsToken(settings: TokenRequestSettings): Promise<TokenGrant> {
  const signal = AbortSignal.timeout(settings.requestTimeoutMs);
  let response: Response;
  try {
    response = await settings.fetch(settings.tokenEndpoint, { ...buildRequest(settings), redirect: 'manual', signal });
  } catch (error) {
    throw transportFailure(settings, error);
  }

  const status = response.status;
  if (status >= 200 && status < 300) {
    const body = await readBody(response, settings, true);
    return parseTokenResponse(status, body as string, settings.endpointStyle);
  }

  const body = await readBody(response, settings, false);
  const { oauthError, description } = body === undefined ? { oauthError: undefined, description: undefined } : parseTokenErrorBody(body);
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), settings.clock());
    const reason = status === 429 ? 'rate_limited' : 'server_error';
    const errorCode = oauthError === undefined ? '' : ` ${oauthError}`;
    const explanation = description === undefined ? '' : ` (${description})`;
    const detail = `the endpoint responded with HTTP ${status}${errorCode}${explanation}.`;
    throw new TokenEndpointUnavailableError(settings.clientId, reason, status, 1, retryAfterMs, detail);
  }
  // Statuses 1xx and 3xx land here too: with redirect "manual", fetch returns the redirect
  // itself (status 0 in browsers, the 3xx status in Node), and it is not followed.
  throw new TokenRequestRejectedError(settings.clientId, status, oauthError, description);
}

function buildRequest(settings: TokenRequestSettings): { method: 'POST'; headers: Record<string, string>; body: string } {
  if (settings.endpointStyle === 'cobee') {
    return {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ clientId: settings.clientId, clientSecret: settings.clientSecret }),
    };
  }

  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (settings.authMethod === 'client_secret_basic') {
    // RFC 6749 section 2.3.1: each part is form-encoded before the Base64 encoding.
    const pair = `${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  } else {
    form.set('client_id', settings.clientId);
    form.set('client_secret', settings.clientSecret);
  }
  if (settings.audience !== undefined) {
    form.set('audience', settings.audience);
  }
  if (settings.scope !== undefined) {
    form.set('scope', settings.scope);
  }
  return { method: 'POST', headers, body: form.toString() };
}

/**
 * Reads a response body up to `maxResponseBytes`. A larger success body is an invalid
 * response; a larger error body is dropped, because only its error code would be used.
 */
async function readBody(response: Response, settings: TokenRequestSettings, success: boolean): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (reader === undefined) {
    return '';
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      size += value.byteLength;
      if (size > settings.maxResponseBytes) {
        await reader.cancel();
        if (success) {
          throw new InvalidTokenResponseError(response.status, `the body exceeds ${settings.maxResponseBytes} bytes`);
        }
        return undefined;
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof InvalidTokenResponseError) {
      throw error;
    }
    throw transportFailure(settings, error);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function transportFailure(settings: TokenRequestSettings, error: unknown): TokenEndpointUnavailableError {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new TokenEndpointUnavailableError(
      settings.clientId,
      'timeout',
      undefined,
      1,
      undefined,
      `the request timed out after ${settings.requestTimeoutMs} ms.`,
      { cause: error },
    );
  }
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  let code = error instanceof Error ? error.message : String(error);
  if (typeof cause?.code === 'string') {
    code = cause.code;
  }
  return new TokenEndpointUnavailableError(
    settings.clientId,
    'network_error',
    undefined,
    1,
    undefined,
    `the request failed with a network error (${code}).`,
    { cause: error },
  );
}
