import { InvalidTokenResponseError } from './token-client.errors';
import { TokenEndpointStyle } from './token-client.options';

/** A bearer token as the endpoint returned it. */
export interface TokenGrant {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Lifetime from the moment of issue, in seconds. */
  readonly expiresInSeconds: number;
  /** Granted scopes, when the endpoint lists them. */
  readonly scope: string | undefined;
}

/** The error fields of a rejected request. */
export interface TokenErrorBody {
  readonly oauthError: string | undefined;
  readonly description: string | undefined;
}

/** Field names of each wire format. */
const FIELDS: Record<TokenEndpointStyle, { token: string; type: string; expiresIn: string }> = {
  oauth2: { token: 'access_token', type: 'token_type', expiresIn: 'expires_in' },
  cobee: { token: 'accessToken', type: 'tokenType', expiresIn: 'expiresIn' },
};

/** Characters of a JWS or other bearer token (RFC 6750 section 2.1, b64token). */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Maximum accepted lifetime, in seconds: one year. A larger value is more likely an error than a policy. */
const MAX_EXPIRES_IN_SECONDS = 31_536_000;

/**
 * Parses a successful token response body.
 *
 * @throws InvalidTokenResponseError when the body is not JSON, the token is missing or not a
 *   bearer token, or the lifetime is missing or not a positive number
 */
export function parseTokenResponse(status: number, body: string, style: TokenEndpointStyle): TokenGrant {
  const fields = FIELDS[style];
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidTokenResponseError(status, 'the body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidTokenResponseError(status, 'the body is not a JSON object');
  }
  const record = value as Record<string, unknown>;

  const accessToken = record[fields.token];
  if (typeof accessToken !== 'string' || !B64TOKEN.test(accessToken)) {
    throw new InvalidTokenResponseError(status, `"${fields.token}" is missing or not a bearer token`);
  }
  const tokenType = record[fields.type];
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw new InvalidTokenResponseError(status, `"${fields.type}" must be "Bearer" (got ${describe(tokenType)})`);
  }
  const expiresIn = record[fields.expiresIn];
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0 || expiresIn > MAX_EXPIRES_IN_SECONDS) {
    throw new InvalidTokenResponseError(
      status,
      `"${fields.expiresIn}" must be a number of seconds from 1 to ${MAX_EXPIRES_IN_SECONDS} (got ${describe(expiresIn)})`,
    );
  }
  const scope = record.scope;
  return {
    accessToken,
    tokenType: 'Bearer',
    expiresInSeconds: expiresIn,
    scope: typeof scope === 'string' ? scope : undefined,
  };
}

/**
 * Reads the error fields of a rejected request: `{ error, error_description }` (OAuth 2.0,
 * RFC 6749 section 5.2) or `{ message }` (Nest and the Cobee-style endpoint). The text is
 * shortened and made printable, because it ends up in error messages and logs.
 */
export function parseTokenErrorBody(body: string): TokenErrorBody {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { oauthError: undefined, description: undefined };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { oauthError: undefined, description: undefined };
  }
  const record = value as Record<string, unknown>;
  const oauthError = typeof record.error === 'string' && /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/.test(record.error) ? record.error : undefined;
  const message = Array.isArray(record.message) ? record.message.filter((item) => typeof item === 'string').join('; ') : record.message;
  const description = typeof record.error_description === 'string' ? record.error_description : message;
  return { oauthError, description: typeof description === 'string' && description !== '' ? printable(description) : undefined };
}

function printable(text: string): string {
  const cleaned = text.replace(/[^\x20-\x7e]/g, '?');
  return cleaned.length > 200 ? `${cleaned.slice(0, 200)}...` : cleaned;
}

function describe(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (typeof value === 'string') {
    return JSON.stringify(printable(value));
  }
  return typeof value === 'number' ? String(value) : typeof value;
}
