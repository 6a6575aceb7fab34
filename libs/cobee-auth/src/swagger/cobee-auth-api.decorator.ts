import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiParam, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { DEFAULT_COMPANY_PARAM } from '../nest/decorators/company-scoped.decorator';
import { COBEE_BEARER_SCHEME, COBEE_OAUTH2_SCHEME } from './cobee-auth-security-schemes';

/** Metadata key set by `@ApiCobeeAuth()`, so `documentCobeeAuthRoutes()` leaves the route as it is. */
export const API_COBEE_AUTH_METADATA = 'COBEE_AUTH:SWAGGER_DOCUMENTED';

/** Options of {@link ApiCobeeAuth}. */
export interface ApiCobeeAuthOptions {
  /** Scopes the route requires, listed in the OAuth 2.0 security requirement. Default: none. */
  scopes?: readonly string[];
  /** Route parameter with the company id, documented as a UUID, or null for a route that serves no single company. Default: `companyId`. */
  companyParam?: string | null;
  /** Status of a company outside the token's scope, as `companyDeniedStatus` sets it. Default: 403. */
  companyDeniedStatus?: 403 | 404;
}

const ERROR_BODY: SchemaObject = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
};

/**
 * Documents a route that `CobeeAuthGuard` and `CompanyScopeGuard` protect: the bearer and
 * OAuth 2.0 security requirements (either one), the company path parameter, and the error
 * responses the guards send (400, 401, 403 or 404, and 503). It changes the OpenAPI document
 * only; the guards and the route audit work as before.
 *
 * `documentCobeeAuthRoutes()` applies it to every protected route; use the decorator for
 * routes it cannot see or to set the options by hand.
 */
export function ApiCobeeAuth(options: ApiCobeeAuthOptions = {}): MethodDecorator & ClassDecorator {
  const scopes = [...(options.scopes ?? [])];
  const companyParam = options.companyParam === undefined ? DEFAULT_COMPANY_PARAM : options.companyParam;
  const deniedStatus = options.companyDeniedStatus ?? 403;
  const scopeText = scopes.length === 0 ? '' : ` Required scopes: ${scopes.join(', ')}.`;

  const decorators: Array<MethodDecorator & ClassDecorator> = [
    SetMetadata(API_COBEE_AUTH_METADATA, true),
    ApiSecurity(COBEE_BEARER_SCHEME),
    ApiSecurity(COBEE_OAUTH2_SCHEME, scopes),
    ApiResponse({
      status: 400,
      description:
        'The request is malformed: the access token was sent in the query string or the body, or a company id is not a UUID or names two companies.',
      schema: ERROR_BODY,
    }),
    ApiResponse({
      status: 401,
      description: 'The access token is missing, malformed, expired, or not issued for this API. See the WWW-Authenticate header.',
      headers: { 'WWW-Authenticate': { description: 'RFC 6750 Bearer challenge', schema: { type: 'string' } } },
      schema: ERROR_BODY,
    }),
    ApiResponse({
      status: 403,
      description:
        deniedStatus === 403
          ? `The token lacks a required scope, or the company is outside the token's scope.${scopeText}`
          : `The token lacks a required scope.${scopeText}`,
      schema: ERROR_BODY,
    }),
    ApiResponse({
      status: 503,
      description: "The issuer's signing keys cannot be fetched right now. Retry after the Retry-After delay.",
      headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } },
      schema: ERROR_BODY,
    }),
  ];
  if (deniedStatus === 404) {
    decorators.push(
      ApiResponse({ status: 404, description: "The company does not exist or is outside the token's scope.", schema: ERROR_BODY }),
    );
  }
  if (companyParam !== null) {
    decorators.push(
      ApiParam({ name: companyParam, required: true, description: 'Company id (UUID)', schema: { type: 'string', format: 'uuid' } }),
    );
  }
  return applyDecorators(...decorators);
}
