import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import {
  CobeeAuthError,
  CobeeAuthErrorCode,
  CompanyAccessDeniedError,
  CompanyReferenceConflictError,
  CompanyScopeUnresolvedError,
  ContextNotSupportedError,
  InsufficientScopeError,
  InvalidCompanyIdError,
  InvalidRequestError,
  InvalidTokenError,
  KeySetUnavailableError,
  MissingTokenError,
} from '../core/cobee-auth.errors';

/**
 * Exceptions the guards throw. Each extends the matching Nest exception, so existing
 * exception filters keep working, and carries the library's error code and the response
 * headers (`WWW-Authenticate`, `Retry-After`), which the guards also set on the response.
 */
export interface CobeeHttpException extends HttpException {
  readonly code: CobeeAuthErrorCode;
  readonly headers: Readonly<Record<string, string>>;
}

export class CobeeBadRequestException extends BadRequestException implements CobeeHttpException {
  constructor(
    readonly code: CobeeAuthErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super({ statusCode: 400, error: 'Bad Request', message });
  }
}

export class CobeeUnauthorizedException extends UnauthorizedException implements CobeeHttpException {
  constructor(
    readonly code: CobeeAuthErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>>,
  ) {
    super({ statusCode: 401, error: 'Unauthorized', message });
  }
}

export class CobeeForbiddenException extends ForbiddenException implements CobeeHttpException {
  constructor(
    readonly code: CobeeAuthErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super({ statusCode: 403, error: 'Forbidden', message });
  }
}

export class CobeeNotFoundException extends NotFoundException implements CobeeHttpException {
  readonly headers: Readonly<Record<string, string>> = {};

  constructor(
    readonly code: CobeeAuthErrorCode,
    message: string,
  ) {
    super({ statusCode: 404, error: 'Not Found', message });
  }
}

export class CobeeServiceUnavailableException extends ServiceUnavailableException implements CobeeHttpException {
  constructor(
    readonly code: CobeeAuthErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>>,
  ) {
    super({ statusCode: 503, error: 'Service Unavailable', message });
  }
}

/** Message of a company denial in 404 mode; the same for unknown companies and companies outside the scope. */
const COMPANY_NOT_FOUND_MESSAGE = 'The requested company was not found';

/**
 * Maps a library error to the HTTP exception a client receives (RFC 6750 section 3 for token
 * errors). The body carries the error's generic description, never request data.
 *
 * @param error the rejection reason
 * @param realm the realm of the `WWW-Authenticate` challenge
 * @param companyDeniedStatus the status for company denials, 403 or 404
 */
export function toHttpException(error: CobeeAuthError, realm: string, companyDeniedStatus: 403 | 404): CobeeHttpException {
  if (error instanceof MissingTokenError) {
    return new CobeeUnauthorizedException(error.code, error.description, { 'WWW-Authenticate': bearerChallenge(realm) });
  }
  if (error instanceof InvalidRequestError) {
    return new CobeeBadRequestException(error.code, error.description, {
      'WWW-Authenticate': bearerChallenge(realm, 'invalid_request', error.description),
    });
  }
  if (error instanceof InvalidTokenError) {
    return new CobeeUnauthorizedException(error.code, error.description, {
      'WWW-Authenticate': bearerChallenge(realm, 'invalid_token', error.description),
    });
  }
  if (error instanceof InsufficientScopeError) {
    return new CobeeForbiddenException(error.code, error.description, {
      'WWW-Authenticate': bearerChallenge(realm, 'insufficient_scope', error.description, error.requiredScopes.join(' ')),
    });
  }
  if (error instanceof KeySetUnavailableError) {
    return new CobeeServiceUnavailableException(error.code, error.description, {
      'Retry-After': String(error.retryAfterSeconds),
    });
  }
  if (error instanceof InvalidCompanyIdError || error instanceof CompanyReferenceConflictError) {
    return new CobeeBadRequestException(error.code, error.description);
  }
  if (error instanceof CompanyAccessDeniedError || error instanceof CompanyScopeUnresolvedError) {
    return companyDeniedStatus === 404
      ? new CobeeNotFoundException(error.code, COMPANY_NOT_FOUND_MESSAGE)
      : new CobeeForbiddenException(error.code, error.description);
  }
  if (error instanceof ContextNotSupportedError) {
    return new CobeeForbiddenException(error.code, error.description);
  }
  return new CobeeForbiddenException(error.code, 'Access denied');
}

/**
 * Builds an RFC 6750 `WWW-Authenticate` challenge. Every value is a quoted string limited to
 * the characters RFC 6750 section 3 allows in `error_description`: printable ASCII except `"`
 * and `\`. Other characters are dropped, so no value can end the header or add another.
 */
export function bearerChallenge(realm: string, error?: string, description?: string, scope?: string): string {
  const parts = [`realm="${quote(realm)}"`];
  if (error !== undefined) {
    parts.push(`error="${quote(error)}"`);
  }
  if (description !== undefined) {
    parts.push(`error_description="${quote(description)}"`);
  }
  if (scope !== undefined) {
    parts.push(`scope="${quote(scope)}"`);
  }
  return `Bearer ${parts.join(', ')}`;
}

function quote(value: string): string {
  return value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '');
}
