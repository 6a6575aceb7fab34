import { InvalidTokenResponseError } from './token-client.errors';
import { parseTokenErrorBody, parseTokenResponse } from './token-response.parser';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

describe('parseTokenResponse', () => {
  it('reads an OAuth 2.0 response', () => {
    const body = JSON.stringify({ access_token: JWT, token_type: 'Bearer', expires_in: 86400, scope: 'read:employees' });

    expect(parseTokenResponse(200, body, 'oauth2')).toEqual({
      accessToken: JWT,
      tokenType: 'Bearer',
      expiresInSeconds: 86400,
      scope: 'read:employees',
    });
  });

  it('reads a Cobee-style response', () => {
    const body = JSON.stringify({ accessToken: JWT, tokenType: 'Bearer', expiresIn: 3600 });

    expect(parseTokenResponse(200, body, 'cobee')).toEqual({ accessToken: JWT, tokenType: 'Bearer', expiresInSeconds: 3600, scope: undefined });
  });

  it('accepts token_type in any case', () => {
    const body = JSON.stringify({ access_token: JWT, token_type: 'bearer', expires_in: 60 });

    expect(parseTokenResponse(200, body, 'oauth2').tokenType).toBe('Bearer');
  });

  it.each([
    ['non-JSON body', '<html>', 'the body is not JSON'],
    ['array body', '[]', 'the body is not a JSON object'],
    ['missing token', JSON.stringify({ token_type: 'Bearer', expires_in: 60 }), '"access_token" is missing'],
    ['token with spaces', JSON.stringify({ access_token: 'a b', token_type: 'Bearer', expires_in: 60 }), '"access_token" is missing'],
    ['MAC token type', JSON.stringify({ access_token: JWT, token_type: 'mac', expires_in: 60 }), '"token_type" must be "Bearer" (got "mac")'],
    ['missing expires_in', JSON.stringify({ access_token: JWT, token_type: 'Bearer' }), '"expires_in" must be a number of seconds'],
    ['string expires_in', JSON.stringify({ access_token: JWT, token_type: 'Bearer', expires_in: '60' }), '(got "60")'],
    ['zero expires_in', JSON.stringify({ access_token: JWT, token_type: 'Bearer', expires_in: 0 }), '(got 0)'],
    ['huge expires_in', JSON.stringify({ access_token: JWT, token_type: 'Bearer', expires_in: 1e12 }), '(got 1000000000000)'],
  ])('rejects %s', (_name, body, reason) => {
    let thrown: unknown;
    try {
      parseTokenResponse(200, body, 'oauth2');
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(InvalidTokenResponseError);
    expect((thrown as InvalidTokenResponseError).code).toBe('ERR_TOKEN_RESPONSE_INVALID');
    expect((thrown as Error).message).toContain(reason);
  });

  it('reads Cobee-style field names only in Cobee style', () => {
    const body = JSON.stringify({ accessToken: JWT, tokenType: 'Bearer', expiresIn: 3600 });

    expect(() => parseTokenResponse(200, body, 'oauth2')).toThrow(InvalidTokenResponseError);
  });
});

describe('parseTokenErrorBody', () => {
  it('reads an OAuth 2.0 error', () => {
    expect(parseTokenErrorBody(JSON.stringify({ error: 'invalid_client', error_description: 'Client authentication failed' }))).toEqual({
      oauthError: 'invalid_client',
      description: 'Client authentication failed',
    });
  });

  it('reads a Nest message', () => {
    expect(parseTokenErrorBody(JSON.stringify({ message: 'Invalid credentials' }))).toEqual({
      oauthError: undefined,
      description: 'Invalid credentials',
    });
  });

  it('joins a list of messages', () => {
    expect(parseTokenErrorBody(JSON.stringify({ message: ['a is missing', 'b is missing'] })).description).toBe('a is missing; b is missing');
  });

  it('makes descriptions printable and short', () => {
    const parsed = parseTokenErrorBody(JSON.stringify({ error: 'x', error_description: `line\nbreak${'z'.repeat(300)}` }));

    expect(parsed.description).toMatch(/^line\?break/);
    expect(parsed.description?.length).toBe(203);
  });

  it('ignores an error code with quotes', () => {
    expect(parseTokenErrorBody(JSON.stringify({ error: 'a"b' })).oauthError).toBeUndefined();
  });

  it('returns nothing for a non-JSON body', () => {
    expect(parseTokenErrorBody('Bad Gateway')).toEqual({ oauthError: undefined, description: undefined });
  });
});
