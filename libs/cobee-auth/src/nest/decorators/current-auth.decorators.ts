import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { CobeePrincipal } from '../../core/cobee-principal';
import { peekAuthState, requestOf } from '../request-auth-state';

/** Raised when a parameter decorator is used on a route where the guards did not run. */
export class CobeeAuthUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CobeeAuthUsageError';
  }
}

function handlerName(context: ExecutionContext): string {
  return `${context.getClass().name}.${context.getHandler().name}`;
}

function missingGuard(decorator: string, guard: string, context: ExecutionContext): CobeeAuthUsageError {
  return new CobeeAuthUsageError(
    `${decorator} on ${handlerName(context)} found no value because ${guard} did not run on this route. ` +
      'Register the guards with CobeeAuthModule.forRoot({ globalGuards: true }) or add ' +
      '@UseGuards(CobeeAuthGuard, CompanyScopeGuard), and do not combine it with @Public().',
  );
}

/**
 * Injects the verified client (`CobeePrincipal`).
 *
 * @throws CobeeAuthUsageError when `CobeeAuthGuard` did not run on the route
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): CobeePrincipal => {
  const principal = peekAuthState(requestOf(context))?.principal;
  if (principal === undefined) {
    throw missingGuard('@CurrentPrincipal()', 'CobeeAuthGuard', context);
  }
  return principal;
});

/**
 * Injects the id of the company the request is scoped to, as a lower-case UUID.
 *
 * @throws CobeeAuthUsageError when `CompanyScopeGuard` did not scope the route (it is
 *   missing, or the route is `@Unscoped()`)
 */
export const CurrentCompany = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const companyId = peekAuthState(requestOf(context))?.companyId;
  if (companyId === undefined) {
    throw missingGuard('@CurrentCompany()', 'CompanyScopeGuard', context);
  }
  return companyId;
});

/**
 * Injects the token's corporation id as a lower-case UUID, or null when the client belongs to
 * no corporation.
 *
 * @throws CobeeAuthUsageError when `CobeeAuthGuard` did not run on the route
 */
export const CurrentCorporation = createParamDecorator((_data: unknown, context: ExecutionContext): string | null => {
  const principal = peekAuthState(requestOf(context))?.principal;
  if (principal === undefined) {
    throw missingGuard('@CurrentCorporation()', 'CobeeAuthGuard', context);
  }
  return principal.corporationId ?? null;
});
