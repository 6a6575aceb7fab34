import { InvalidRequestError, MissingTokenError } from './cobee-auth.errors';

/** The parts of an HTTP request that can carry an access token. */
export interface BearerRequestParts {
  /** Node's raw header list: name, value, name, value, and so on, with repeated headers kept. */
  readonly rawHeaders: readonly string[];
  /** The parsed query string, if the framework parsed one. */
  readonly query: unknown;
  /** The parsed body, if the framework parsed one. */
  readonly body: unknown;
}

/** RFC 6750 section 2.2 and 2.3 name this field for tokens in a form body or the query string. */
const TOKEN_FIELD = 'access_token';

const AUTH_SCHEME = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?: +(.*))?$/;

/** The `b64token` syntax of RFC 6750 section 2.1. */
const B64_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Extracts the bearer token from the Authorization header (RFC 6750 section 2.1). The scheme
 * name is case-insensitive.
 *
 * @throws MissingTokenError when no Authorization header is present, or it uses another scheme
 * @throws InvalidRequestError when the header repeats, is malformed, or a token also appears
 *   in the query string or the body, where this library never accepts one
 */
export function extractBearerToken(request: BearerRequestParts): string {
  if (hasOwnField(request.query, TOKEN_FIELD) || hasOwnField(request.body, TOKEN_FIELD)) {
    throw new InvalidRequestError(
      'ERR_TOKEN_IN_QUERY_OR_BODY',
      'The request carries an access_token in the query string or the body',
      'Send the access token in the Authorization header only',
    );
  }

  const values = readAuthorizationHeaders(request.rawHeaders);
  if (values.length > 1) {
    throw new InvalidRequestError(
      'ERR_AUTHORIZATION_HEADER_REPEATED',
      `The request has ${values.length} Authorization headers`,
      'Send exactly one Authorization header',
    );
  }
  if (values.length === 0 || values[0].trim() === '') {
    throw new MissingTokenError();
  }

  const match = AUTH_SCHEME.exec(values[0].trim());
  if (match === null) {
    throw malformedHeader();
  }
  if (match[1].toLowerCase() !== 'bearer') {
    throw new MissingTokenError();
  }
  const token = match[2];
  if (token === undefined || !B64_TOKEN.test(token)) {
    throw malformedHeader();
  }
  return token;
}

function readAuthorizationHeaders(rawHeaders: readonly string[]): string[] {
  const values: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index];
    if (name.length === 13 && name.toLowerCase() === 'authorization') {
      values.push(rawHeaders[index + 1]);
    }
  }
  return values;
}

function hasOwnField(container: unknown, field: string): boolean {
  return typeof container === 'object' && container !== null && Object.hasOwn(container, field);
}

function malformedHeader(): InvalidRequestError {
  return new InvalidRequestError(
    'ERR_AUTHORIZATION_HEADER_INVALID',
    'The Authorization header is not "Bearer" followed by one token',
    'The Authorization header must be "Bearer" followed by one token',
  );
}
