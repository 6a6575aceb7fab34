import { CobeePrincipal } from './cobee-principal';

/** A company as the application's directory records it: its id and the corporation it belongs to, if any. */
export interface CompanyRecord {
  /** The company id, as a lower-case UUID. */
  readonly id: string;
  /** The corporation id, as a lower-case UUID, or null for a company in no corporation. */
  readonly corporationId: string | null;
}

/** The outcome of the scope rule for one requested company. */
export type CompanyAccessDecision =
  | { readonly allowed: true; readonly via: 'company' | 'corporation' }
  | { readonly allowed: false; readonly reason: 'unknown_company' | 'outside_scope' };

/**
 * The company-scope rule. A principal may reach a company when the company is its own, or
 * when the principal has a corporation and the company belongs to that corporation.
 *
 * @param principal the verified client
 * @param requestedCompanyId the canonical id of the company the request names
 * @param company the directory's record of that company: undefined when the company does
 *   not exist, or `'no-directory'` when no directory record is needed or available, in which
 *   case only the principal's own company is reachable
 */
export function decideCompanyAccess(
  principal: Pick<CobeePrincipal, 'companyId' | 'corporationId'>,
  requestedCompanyId: string,
  company: CompanyRecord | undefined | 'no-directory',
): CompanyAccessDecision {
  if (company === 'no-directory') {
    return requestedCompanyId === principal.companyId
      ? { allowed: true, via: 'company' }
      : { allowed: false, reason: 'outside_scope' };
  }
  if (company === undefined || company.id !== requestedCompanyId) {
    return { allowed: false, reason: 'unknown_company' };
  }
  if (company.id === principal.companyId) {
    return { allowed: true, via: 'company' };
  }
  if (principal.corporationId !== undefined && company.corporationId === principal.corporationId) {
    return { allowed: true, via: 'corporation' };
  }
  return { allowed: false, reason: 'outside_scope' };
}
