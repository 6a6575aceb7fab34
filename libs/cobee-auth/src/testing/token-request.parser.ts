import { IncomingMessage } from 'node:http';
import { OAuthError } from './oauth.error';

/** The parameters of a token request, wherever the client put them. */
export interface TokenRequest {
  readonly grantType: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** True when the credentials came in an HTTP Basic header. */
  readonly usedBasicAuth: boolean;
  readonly audience: string | undefined;
  readonly scope: string | undefined;
}

/** Largest accepted token request body, in bytes. */
export const MAX_TOKEN_REQUEST_BYTES = 16 * 1024;

/**
 * Reads a token request (RFC 6749 section 4.4.2) from a JSON or form body, with client
 * credentials in the body or in an HTTP Basic header (RFC 6749 section 2.3.1), but not both.
 *
 * @throws OAuthError `invalid_request` for a malformed or ambiguous request, `invalid_client` for bad Basic credentials
 */
export async function readTokenRequest(request: IncomingMessage): Promise<TokenRequest> {
  const parameters = parseBody(request.headers['content-type'], await readBody(request));
  const basic = parseBasicCredentials(request.headers.authorization);

  const bodyClientId = parameters.get('client_id');
  const bodySecret = parameters.get('client_secret');
  if (basic !== undefined && bodySecret !== undefined) {
    throw new OAuthError(400, 'invalid_request', 'Send client credentials either in the Authorization header or in the body, not both');
  }
  if (basic !== undefined && bodyClientId !== undefined && bodyClientId !== basic.clientId) {
    throw new OAuthError(400, 'invalid_request', 'client_id in the body does not match the Authorization header');
  }

  const grantType = parameters.get('grant_type');
  if (grantType === undefined) {
    throw new OAuthError(400, 'invalid_request', 'Missing required parameter: grant_type');
  }
  const clientId = basic?.clientId ?? bodyClientId;
  if (clientId === undefined || clientId === '') {
    throw new OAuthError(400, 'invalid_request', 'Missing required parameter: client_id');
  }
  const clientSecret = basic?.clientSecret ?? bodySecret;
  if (clientSecret === undefined || clientSecret === '') {
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed: no client_secret');
  }

  return {
    grantType,
    clientId,
    clientSecret,
    usedBasicAuth: basic !== undefined,
    audience: parameters.get('audience'),
    scope: parameters.get('scope'),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_TOKEN_REQUEST_BYTES) {
        // Stop reading but keep the socket, so the 400 reaches the client; the response closes the connection.
        request.removeAllListeners('data');
        request.pause();
        reject(new OAuthError(400, 'invalid_request', `Request body exceeds ${MAX_TOKEN_REQUEST_BYTES} bytes`, true));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseBody(contentType: string | undefined, body: string): Map<string, string> {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') {
    return parseForm(body);
  }
  if (mediaType === 'application/json') {
    return parseJson(body);
  }
  throw new OAuthError(
    400,
    'invalid_request',
    'Content-Type must be application/x-www-form-urlencoded or application/json',
  );
}

function parseForm(body: string): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (parameters.has(name)) {
      throw new OAuthError(400, 'invalid_request', `Parameter ${name} is repeated`);
    }
    parameters.set(name, value);
  }
  return parameters;
}

function parseJson(body: string): Map<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new OAuthError(400, 'invalid_request', 'The request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OAuthError(400, 'invalid_request', 'The request body must be a JSON object');
  }
  const parameters = new Map<string, string>();
  for (const [name, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      throw new OAuthError(400, 'invalid_request', `Parameter ${name} must be a string`);
    }
    parameters.set(name, item);
  }
  return parameters;
}

function parseBasicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  if (header === undefined) {
    return undefined;
  }
  const match = /^basic +([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  if (match === null) {
    throw new OAuthError(401, 'invalid_client', 'The Authorization header must use the Basic scheme');
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) {
    throw new OAuthError(401, 'invalid_client', 'The Basic credentials have no ":" separator');
  }
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, separator).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(separator + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw new OAuthError(401, 'invalid_client', 'The Basic credentials are not correctly form-encoded');
  }
}
