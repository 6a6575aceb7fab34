import { ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';

/**
 * 401 `{ "message": "Invalid credentials" }`, the same for a wrong secret, an unknown client
 * and a revoked client, so the response does not tell which client ids exist. It is the only
 * outcome that counts as a failed attempt.
 */
export class InvalidCredentialsException extends UnauthorizedException {
  constructor() {
    super({ message: 'Invalid credentials' });
  }
}

/** 503: the issuer could not be reached, timed out, or responded 429 or 5xx. */
export class IssuerUnavailableException extends ServiceUnavailableException {
  /**
   * @param retryAfterSeconds the wait the issuer requested, sent on as `Retry-After`
   */
  constructor(readonly retryAfterSeconds: number | undefined) {
    super('The token issuer is unavailable; retry later');
  }
}
