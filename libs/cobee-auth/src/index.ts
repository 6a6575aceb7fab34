export { CobeeAuthModule } from './nest/cobee-auth.module';
export type { CobeeAuthModuleExtras, CobeeAuthModuleOptions, CobeeAuthAlgorithm, RouteAuditMode } from './options/cobee-auth-options.interface';
export { DEFAULT_CLAIM_NAMESPACE } from './options/cobee-auth-config';
export { CobeeAuthConfigurationError, resolveCobeeAuthConfig } from './options/cobee-auth-options.validator';

export { CobeeAuthGuard } from './nest/cobee-auth.guard';
export { CompanyScopeGuard } from './nest/company-scope.guard';
export { CobeeJwtStrategy, COBEE_JWT_STRATEGY } from './nest/cobee-jwt.strategy';
export { TokenVerifier } from './nest/token-verifier.service';
export { CompanyAccessService } from './nest/company-access.service';
export { CompanyDirectory } from './nest/company-directory';
export { CompanyContext, CompanyContextMissingError } from './nest/company-context.service';

export { Public } from './nest/decorators/public.decorator';
export { CompanyScoped, Unscoped } from './nest/decorators/company-scoped.decorator';
export type { CompanyScopedOptions } from './nest/decorators/company-scoped.decorator';
export { RequiredScopes } from './nest/decorators/required-scopes.decorator';
export { AllowContexts } from './nest/decorators/allow-contexts.decorator';
export type { OptInContextType } from './nest/decorators/allow-contexts.decorator';
export {
  CurrentCompany,
  CurrentCorporation,
  CurrentPrincipal,
  CobeeAuthUsageError,
} from './nest/decorators/current-auth.decorators';

export {
  CobeeBadRequestException,
  CobeeForbiddenException,
  CobeeNotFoundException,
  CobeeServiceUnavailableException,
  CobeeUnauthorizedException,
} from './nest/cobee-auth.exceptions';
export type { CobeeHttpException } from './nest/cobee-auth.exceptions';

export type { CobeePrincipal } from './core/cobee-principal';
export type { CompanyRecord, CompanyAccessDecision } from './core/company-scope.policy';
export { decideCompanyAccess } from './core/company-scope.policy';
export { normalizeCompanyId, isCompanyId } from './core/company-id';
export * from './core/cobee-auth.errors';
export { JwksKeyStore } from './keys/jwks-key.store';
export type { KeySetState } from './keys/jwks-key.store';
