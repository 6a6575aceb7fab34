export { ApiCobeeAuth, API_COBEE_AUTH_METADATA } from './cobee-auth-api.decorator';
export type { ApiCobeeAuthOptions } from './cobee-auth-api.decorator';
export { addCobeeAuthSecuritySchemes, COBEE_BEARER_SCHEME, COBEE_OAUTH2_SCHEME } from './cobee-auth-security-schemes';
export type { CobeeAuthSecuritySchemeOptions } from './cobee-auth-security-schemes';
export { documentCobeeAuthRoutes } from './cobee-auth-routes.documenter';
export type { DocumentedRoute } from './cobee-auth-routes.documenter';
