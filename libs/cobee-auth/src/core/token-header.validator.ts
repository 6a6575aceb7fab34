import { InvalidTokenError } from './cobee-auth.errors';

/** Header parameters that would let a token choose its own verification key (RFC 8725 section 3.10). */
const KEY_SELECTION_PARAMETERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;

/** Header parameters of JWE or of the unencoded-payload option, which this library never processes. */
const UNSUPPORTED_PARAMETERS = ['enc', 'zip', 'b64', 'crit'] as const;

/** Accepted `typ` values, compared case-insensitively (RFC 7515 section 4.1.9, RFC 9068 section 2.1). */
const ACCEPTED_TYPES = new Set(['jwt', 'at+jwt', 'application/jwt', 'application/at+jwt']);

/** The longest accepted `kid`, in characters. */
export const MAX_KID_LENGTH = 128;

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** The header fields the verifier relies on once the header passed validation. */
export interface ValidatedHeader {
  readonly alg: string;
  readonly kid: string | undefined;
}

/**
 * Validates a decoded JOSE header before any key is looked up: the algorithm must be in the
 * allow-list, the type must be absent or a JWT access-token type, and the header must not
 * carry key-selection, critical or JWE parameters. A `kid`, when present, must be a short
 * printable string.
 *
 * @throws InvalidTokenError `ERR_JOSE_ALG_NOT_ALLOWED` or `ERR_JOSE_HEADER_INVALID`
 */
export function validateTokenHeader(
  header: Readonly<Record<string, unknown>>,
  allowedAlgorithms: ReadonlySet<string>,
): ValidatedHeader {
  // Own members only, so nothing inherited from Object.prototype can stand in for "alg".
  const alg = Object.hasOwn(header, 'alg') ? header.alg : undefined;
  if (typeof alg !== 'string' || !allowedAlgorithms.has(alg)) {
    throw new InvalidTokenError('ERR_JOSE_ALG_NOT_ALLOWED', 'Header "alg" is missing or not in the allow-list');
  }

  for (const name of KEY_SELECTION_PARAMETERS) {
    if (Object.hasOwn(header, name)) {
      throw new InvalidTokenError('ERR_JOSE_HEADER_INVALID', `Header has the key-selection parameter "${name}"`);
    }
  }
  for (const name of UNSUPPORTED_PARAMETERS) {
    if (Object.hasOwn(header, name)) {
      throw new InvalidTokenError('ERR_JOSE_HEADER_INVALID', `Header has the unsupported parameter "${name}"`);
    }
  }

  if (Object.hasOwn(header, 'typ')) {
    const typ = header.typ;
    if (typeof typ !== 'string' || !ACCEPTED_TYPES.has(typ.toLowerCase())) {
      throw new InvalidTokenError('ERR_JOSE_HEADER_INVALID', 'Header "typ" is not a JWT access-token type');
    }
  }

  let kid: string | undefined;
  if (Object.hasOwn(header, 'kid')) {
    const value = header.kid;
    if (typeof value !== 'string' || value.length > MAX_KID_LENGTH || !PRINTABLE_ASCII.test(value)) {
      throw new InvalidTokenError(
        'ERR_JOSE_HEADER_INVALID',
        `Header "kid" must be a printable string of 1 to ${MAX_KID_LENGTH} characters`,
      );
    }
    kid = value;
  }

  return { alg, kid };
}
