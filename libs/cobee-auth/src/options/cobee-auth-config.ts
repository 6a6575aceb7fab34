import { ClaimsPolicy } from '../core/token-claims.validator';
import { CobeeAuthAlgorithm, RouteAuditMode } from './cobee-auth-options.interface';

/** Default value of `claimNamespace`. */
export const DEFAULT_CLAIM_NAMESPACE = 'https://auth.cobee.io/metadata';

/** The module options after validation, with every default applied and durations in milliseconds. */
export interface CobeeAuthConfig extends ClaimsPolicy {
  readonly jwksUri: string;
  readonly algorithms: ReadonlySet<CobeeAuthAlgorithm>;
  readonly maxTokenBytes: number;
  readonly realm: string;
  readonly jwksCacheMaxAgeMs: number;
  readonly jwksCooldownMs: number;
  readonly jwksRetryAfterFailureMs: number;
  readonly jwksStaleGraceMs: number;
  readonly jwksRequestTimeoutMs: number;
  readonly jwksMaxResponseBytes: number;
  readonly jwksMaxKeys: number;
  readonly verifiedTokenCacheSize: number;
  readonly companyDirectoryCacheTtlMs: number;
  readonly companyDirectoryCacheSize: number;
  readonly companyDeniedStatus: 403 | 404;
  readonly routeAudit: RouteAuditMode;
  /** Lower case, as Node stores header names. */
  readonly companyIdHeader: string;
  readonly companyIdField: string;
  readonly clock: () => number;
}
