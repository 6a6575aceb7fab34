import { SetMetadata } from '@nestjs/common';
import { COMPANY_SCOPED_METADATA } from '../cobee-auth.tokens';

/** Where a scoped route reads the company it serves. */
export interface CompanyScopedOptions {
  /** Route parameter that holds the company id. Default: `companyId`. */
  param?: string;
}

/** The scope metadata a route carries; `@Unscoped()` and `@CompanyScoped()` share one key so the nearest wins. */
export type CompanyScopeMetadata =
  | { readonly mode: 'scoped'; readonly param: string }
  | { readonly mode: 'unscoped' };

/** Route parameter the scope guard reads when a route names none. */
export const DEFAULT_COMPANY_PARAM = 'companyId';

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Scopes a route or controller to one company, read from a route parameter (`companyId`
 * unless `param` names another). `CompanyScopeGuard` allows the request only when that
 * company is in the token's scope. A route with a `:companyId` parameter is scoped even
 * without this decorator.
 *
 * @throws TypeError at class definition time for an unknown option or an invalid parameter name
 */
export function CompanyScoped(options: CompanyScopedOptions = {}): MethodDecorator & ClassDecorator {
  for (const key of Object.keys(options)) {
    if (key !== 'param') {
      throw new TypeError(`@CompanyScoped() has no option "${key}"; the only option is "param".`);
    }
  }
  const param = options.param ?? DEFAULT_COMPANY_PARAM;
  if (!PARAM_NAME.test(param)) {
    throw new TypeError(`@CompanyScoped({ param: ${JSON.stringify(param)} }) must name a route parameter, such as "companyId".`);
  }
  return SetMetadata<string, CompanyScopeMetadata>(COMPANY_SCOPED_METADATA, { mode: 'scoped', param });
}

/**
 * Marks an authenticated route that serves no single company, such as a list of the
 * companies the token may reach. Any company the request names in the query string, the body
 * or the company header must still be in the token's scope.
 */
export const Unscoped = (): MethodDecorator & ClassDecorator =>
  SetMetadata<string, CompanyScopeMetadata>(COMPANY_SCOPED_METADATA, { mode: 'unscoped' });
