import {
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
} from './cobee-auth.errors';

describe('library errors', () => {
  it('MissingTokenError has a fixed code and description', () => {
    const error = new MissingTokenError();

    expect(error.code).toBe('ERR_TOKEN_MISSING');
    expect(error.description).toBe('An access token is required');
    expect(error.message).toBe('The request has no bearer token');
    expect(error.name).toBe('MissingTokenError');
  });

  it('InvalidRequestError keeps code, message and description', () => {
    const error = new InvalidRequestError('ERR_AUTHORIZATION_HEADER_REPEATED', 'log text', 'client text');

    expect(error.code).toBe('ERR_AUTHORIZATION_HEADER_REPEATED');
    expect(error.message).toBe('log text');
    expect(error.description).toBe('client text');
    expect(error.name).toBe('InvalidRequestError');
  });

  it.each([
    ['ERR_JWT_MALFORMED', 'The access token is malformed'],
    ['ERR_JWT_TOO_LARGE', 'The access token is too large'],
    ['ERR_JWE_NOT_SUPPORTED', 'Encrypted access tokens are not accepted'],
    ['ERR_JOSE_ALG_NOT_ALLOWED', 'The access token algorithm is not allowed'],
    ['ERR_JOSE_HEADER_INVALID', 'The access token header is invalid'],
    ['ERR_JWT_CLAIM_INVALID', 'The access token has an invalid claim'],
    ['ERR_JWT_EXPIRED', 'The access token expired'],
    ['ERR_JWT_NOT_YET_VALID', 'The access token is not valid yet'],
    ['ERR_JWT_TOO_OLD', 'The access token is too old'],
    ['ERR_JWKS_NO_MATCHING_KEY', 'The access token was signed with an unknown key'],
    ['ERR_JWS_SIGNATURE_INVALID', 'The access token signature is invalid'],
  ] as const)('InvalidTokenError %s has a generic description', (code, description) => {
    const error = new InvalidTokenError(code, 'detail');

    expect(error.code).toBe(code);
    expect(error.description).toBe(description);
    expect(error.claim).toBeUndefined();
    expect(error.message).toBe('detail');
  });

  it('InvalidTokenError names the claim in its description', () => {
    const error = new InvalidTokenError('ERR_JWT_CLAIM_INVALID', 'detail', 'aud');

    expect(error.claim).toBe('aud');
    expect(error.description).toBe("The access token claim 'aud' is invalid");
  });

  it('errors start without a client id', () => {
    const error = new InvalidTokenError('ERR_JWT_MALFORMED', 'detail');

    expect(error.clientId).toBeUndefined();
    expect(error.clientIdVerified).toBe(false);
  });

  it('KeySetUnavailableError carries the retry delay', () => {
    const error = new KeySetUnavailableError('fetch failed', 7);

    expect(error.code).toBe('ERR_JWKS_UNAVAILABLE');
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.description).toBe('The token signing keys are temporarily unavailable');
  });

  it('InsufficientScopeError lists the required scopes in its message only', () => {
    const error = new InsufficientScopeError(['read:a', 'write:b']);

    expect(error.code).toBe('ERR_SCOPE_MISSING');
    expect(error.message).toBe('The token lacks one of the required scopes: read:a write:b');
    expect(error.description).toBe('The access token lacks a required scope');
    expect(error.requiredScopes).toEqual(['read:a', 'write:b']);
  });

  it('InvalidCompanyIdError names the source', () => {
    const error = new InvalidCompanyIdError('path parameter "companyId"');

    expect(error.code).toBe('ERR_COMPANY_ID_INVALID');
    expect(error.message).toBe('The company id in path parameter "companyId" is not a UUID');
    expect(error.description).toBe('The company id in path parameter "companyId" must be a UUID');
  });

  it('company scope errors share a description that hides existence', () => {
    const denied = new CompanyAccessDeniedError('detail', 'id');
    const unresolved = new CompanyScopeUnresolvedError('detail');

    expect(denied.code).toBe('ERR_COMPANY_OUT_OF_SCOPE');
    expect(unresolved.code).toBe('ERR_COMPANY_SCOPE_UNRESOLVED');
    expect(denied.description).toBe("The requested company is not in the token's scope");
    expect(unresolved.description).toBe(denied.description);
    expect(denied.requestedCompanyId).toBe('id');
  });

  it('CompanyReferenceConflictError has a fixed description', () => {
    const error = new CompanyReferenceConflictError('detail');

    expect(error.code).toBe('ERR_COMPANY_REFERENCE_CONFLICT');
    expect(error.description).toBe('The request names more than one company or repeats a company parameter');
  });

  it('ContextNotSupportedError names the context in its message', () => {
    const error = new ContextNotSupportedError('rpc');

    expect(error.code).toBe('ERR_CONTEXT_NOT_SUPPORTED');
    expect(error.message).toBe('Requests in the "rpc" context are denied');
    expect(error.description).toBe('This transport is not allowed for this handler');
  });
});
