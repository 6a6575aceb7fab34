import { InvalidTokenError } from '../core/cobee-auth.errors';

/**
 * Maps an error of jsonwebtoken 9 (which passport-jwt calls) to the library's error. The
 * inspector catches most problems first, so in practice this sees signature failures.
 * Returns undefined for anything that is not a jsonwebtoken error.
 */
export function mapJsonWebTokenError(error: unknown): InvalidTokenError | undefined {
  if (!(error instanceof Error)) {
    return undefined;
  }
  switch (error.name) {
    case 'TokenExpiredError':
      return new InvalidTokenError('ERR_JWT_EXPIRED', 'jsonwebtoken: token expired');
    case 'NotBeforeError':
      return new InvalidTokenError('ERR_JWT_NOT_YET_VALID', 'jsonwebtoken: token not active yet');
    case 'JsonWebTokenError':
      return mapJsonWebTokenMessage(error.message);
    default:
      return undefined;
  }
}

function mapJsonWebTokenMessage(message: string): InvalidTokenError {
  if (message === 'invalid signature') {
    return new InvalidTokenError('ERR_JWS_SIGNATURE_INVALID', 'jsonwebtoken: invalid signature');
  }
  if (message.startsWith('jwt audience invalid')) {
    return new InvalidTokenError('ERR_JWT_CLAIM_INVALID', 'jsonwebtoken: audience invalid', 'aud');
  }
  if (message.startsWith('jwt issuer invalid')) {
    return new InvalidTokenError('ERR_JWT_CLAIM_INVALID', 'jsonwebtoken: issuer invalid', 'iss');
  }
  if (message === 'invalid algorithm' || message.includes('algorithm')) {
    return new InvalidTokenError('ERR_JOSE_ALG_NOT_ALLOWED', `jsonwebtoken: ${message}`);
  }
  return new InvalidTokenError('ERR_JWT_MALFORMED', `jsonwebtoken: ${message}`);
}
