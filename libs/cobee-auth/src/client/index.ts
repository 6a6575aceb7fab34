export { CobeeTokenClient } from './cobee-token.client';
export type { AccessToken, AccessTokenSource } from './cobee-token.client';
export type { CobeeTokenClientOptions, ClientAuthMethod, TokenClientLogger, TokenEndpointStyle } from './token-client.options';
export {
  InvalidTokenResponseError,
  TokenClientError,
  TokenClientOptionsError,
  TokenEndpointUnavailableError,
  TokenRequestRejectedError,
} from './token-client.errors';
export type { TokenClientErrorCode, UnavailableReason } from './token-client.errors';
export { requestClientCredentialsToken } from './token-endpoint.request';
export type { TokenRequestSettings } from './token-endpoint.request';
export type { TokenGrant } from './token-response.parser';
export { isLoopbackHost, resolveTokenClientOptions } from './token-client-options.validator';
export { createBearerFetch } from './bearer-fetch';
export type { BearerFetch, BearerFetchOptions } from './bearer-fetch';
export { isInvalidTokenChallenge, parseWwwAuthenticate } from './www-authenticate.parser';
export type { AuthChallenge } from './www-authenticate.parser';
export { parseRetryAfter } from './retry.policy';
export { CobeeTokenClientModule } from './cobee-token-client.module';
export type { CobeeTokenClientModuleExtras } from './cobee-token-client.module-definition';
