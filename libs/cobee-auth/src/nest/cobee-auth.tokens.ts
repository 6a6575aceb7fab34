/** Injection token of the resolved configuration (`CobeeAuthConfig`). Internal. */
export const COBEE_AUTH_CONFIG = Symbol('COBEE_AUTH:CONFIG');

/** Metadata keys, namespaced so they cannot collide with other libraries' keys. Internal. */
export const PUBLIC_ROUTE_METADATA = 'COBEE_AUTH:PUBLIC';
export const COMPANY_SCOPED_METADATA = 'COBEE_AUTH:COMPANY_SCOPED';
export const UNSCOPED_METADATA = 'COBEE_AUTH:UNSCOPED';
export const REQUIRED_SCOPES_METADATA = 'COBEE_AUTH:REQUIRED_SCOPES';
export const ALLOWED_CONTEXTS_METADATA = 'COBEE_AUTH:ALLOWED_CONTEXTS';
