import { CobeeAuthError, InvalidRequestError, MissingTokenError } from './cobee-auth.errors';
import { BearerRequestParts, extractBearerToken } from './bearer-token.extractor';
import { captureError } from './core.fixtures';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

function withHeaders(...rawHeaders: string[]): BearerRequestParts {
  return { rawHeaders, query: {}, body: undefined };
}

function extractionError(request: BearerRequestParts): CobeeAuthError {
  return captureError(CobeeAuthError, () => extractBearerToken(request), 'extractBearerToken returned a token');
}

describe('extractBearerToken', () => {
  describe('accepted headers', () => {
    it.each([
      ['Bearer', `Bearer ${TOKEN}`],
      ['bearer', `bearer ${TOKEN}`],
      ['BEARER', `BEARER ${TOKEN}`],
      ['bEaReR', `bEaReR ${TOKEN}`],
      ['several spaces', `Bearer   ${TOKEN}`],
      ['surrounding whitespace', `  Bearer ${TOKEN}  `],
    ])('returns the token for %s', (_name, value) => {
      expect(extractBearerToken(withHeaders('Authorization', value))).toBe(TOKEN);
    });

    it.each(['authorization', 'AUTHORIZATION', 'AuThOrIzAtIoN'])('finds the header named %s', (name) => {
      expect(extractBearerToken(withHeaders('Host', 'api', name, `Bearer ${TOKEN}`))).toBe(TOKEN);
    });

    it('accepts every b64token character', () => {
      const token = 'AZaz09-._~+/==';

      expect(extractBearerToken(withHeaders('Authorization', `Bearer ${token}`))).toBe(token);
    });

    it('ignores other fields of query and body', () => {
      const request = { rawHeaders: ['Authorization', `Bearer ${TOKEN}`], query: { token: 'x' }, body: { accessToken: 'x' } };

      expect(extractBearerToken(request)).toBe(TOKEN);
    });

    it('ignores other headers with a 13-character name', () => {
      const request = withHeaders('X-Request-Ids', 'Bearer other', 'Authorization', `Bearer ${TOKEN}`, 'Authorizatio_', 'x');

      expect(extractBearerToken(request)).toBe(TOKEN);
    });

    it('ignores headers whose names only contain authorization', () => {
      const request = withHeaders('X-Authorization', 'Bearer other', 'Proxy-Authorization', 'Basic x', 'Authorization', `Bearer ${TOKEN}`);

      expect(extractBearerToken(request)).toBe(TOKEN);
    });
  });

  describe('missing token', () => {
    it.each([
      ['no headers', withHeaders()],
      ['no Authorization header', withHeaders('Host', 'api')],
      ['an empty header', withHeaders('Authorization', '')],
      ['a blank header', withHeaders('Authorization', '   ')],
      ['the Basic scheme', withHeaders('Authorization', 'Basic dXNlcjpwYXNz')],
      ['the DPoP scheme', withHeaders('Authorization', `DPoP ${TOKEN}`)],
      ['a look-alike scheme', withHeaders('Authorization', `Bearerx ${TOKEN}`)],
      ['a scheme alone', withHeaders('Authorization', 'Negotiate')],
      ['an odd header list', { rawHeaders: ['Authorization'], query: {}, body: undefined }],
    ])('rejects %s with MissingTokenError', (_name, request) => {
      const error = extractionError(request);

      expect(error).toBeInstanceOf(MissingTokenError);
      expect(error.code).toBe('ERR_TOKEN_MISSING');
    });
  });

  describe('malformed header', () => {
    it.each([
      ['Bearer without a token', 'Bearer'],
      ['Bearer with only spaces', 'Bearer    x'.replace('x', '')],
      ['two tokens', `Bearer ${TOKEN} ${TOKEN}`],
      ['comma-joined schemes', `Bearer ${TOKEN}, Bearer ${TOKEN}`],
      ['a comma after the scheme', `Bearer,${TOKEN}`],
      ['a tab separator', `Bearer\t${TOKEN}`],
      ['a quoted token', `Bearer "${TOKEN}"`],
      ['padding in the middle', 'Bearer abc=def'],
      ['a non-ASCII character', `Bearer ${TOKEN}é`],
      ['a Latin-1 byte as Node reads it', `Bearer ${TOKEN}\u00ff`],
      ['a NUL', `Bearer ${TOKEN}\u0000`],
      ['a CR LF inside', `Bearer ${TOKEN}\r\nX-Injected: 1`],
      ['a scheme with a leading digit', `1Bearer ${TOKEN}`],
      ['a parameter list', 'Bearer realm="x"'],
    ])('rejects %s with 400 invalid_request', (_name, value) => {
      const error = extractionError(withHeaders('Authorization', value));

      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.code).toBe('ERR_AUTHORIZATION_HEADER_INVALID');
      expect(error.description).toBe('The Authorization header must be "Bearer" followed by one token');
    });
  });

  describe('repeated header', () => {
    it.each([
      ['the same token twice', ['Authorization', `Bearer ${TOKEN}`, 'Authorization', `Bearer ${TOKEN}`]],
      ['two tokens', ['Authorization', `Bearer ${TOKEN}`, 'authorization', 'Bearer other']],
      ['an empty second header', ['Authorization', `Bearer ${TOKEN}`, 'Authorization', '']],
      ['an empty first header', ['Authorization', '', 'Authorization', `Bearer ${TOKEN}`]],
      ['Basic and Bearer', ['Authorization', 'Basic dXNlcjpwYXNz', 'Authorization', `Bearer ${TOKEN}`]],
      ['three headers', ['Authorization', 'a', 'Authorization', 'b', 'Authorization', 'c']],
    ])('rejects %s', (_name, rawHeaders) => {
      const error = extractionError(withHeaders(...rawHeaders));

      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.code).toBe('ERR_AUTHORIZATION_HEADER_REPEATED');
      expect(error.description).toBe('Send exactly one Authorization header');
    });

    it('counts the headers in the log message', () => {
      const error = extractionError(withHeaders('Authorization', 'a', 'Authorization', 'b', 'Authorization', 'c'));

      expect(error.message).toBe('The request has 3 Authorization headers');
    });
  });

  describe('token outside the header', () => {
    it.each([
      ['the query string', { access_token: TOKEN }, undefined],
      ['the body', {}, { access_token: TOKEN }],
      ['an empty query value', { access_token: '' }, undefined],
      ['a repeated query value', { access_token: [TOKEN, TOKEN] }, undefined],
      ['a nested query value', { access_token: { a: TOKEN } }, undefined],
      ['a null-prototype query', Object.assign(Object.create(null) as object, { access_token: TOKEN }), undefined],
    ])('rejects a token in %s without a header', (_name, query, body) => {
      const error = extractionError({ rawHeaders: [], query, body });

      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.code).toBe('ERR_TOKEN_IN_QUERY_OR_BODY');
      expect(error.description).toBe('Send the access token in the Authorization header only');
    });

    it.each([
      ['query', { access_token: TOKEN }, undefined],
      ['body', {}, { access_token: TOKEN }],
    ])('rejects a token in the %s next to a valid header', (_name, query, body) => {
      const error = extractionError({ rawHeaders: ['Authorization', `Bearer ${TOKEN}`], query, body });

      expect(error.code).toBe('ERR_TOKEN_IN_QUERY_OR_BODY');
    });

    it('reports a token outside the header before a repeated header', () => {
      const request = { rawHeaders: ['Authorization', 'a', 'Authorization', 'b'], query: { access_token: 'x' }, body: undefined };

      expect(extractionError(request).code).toBe('ERR_TOKEN_IN_QUERY_OR_BODY');
    });

    it.each([
      ['a string body', 'access_token=abc'],
      ['a number body', 1],
      ['a null body', null],
      ['an array body', ['access_token']],
    ])('ignores %s', (_name, body) => {
      const request = { rawHeaders: ['Authorization', `Bearer ${TOKEN}`], query: undefined, body };

      expect(extractBearerToken(request)).toBe(TOKEN);
    });

    it('ignores an access_token inherited from the prototype', () => {
      const query = Object.create({ access_token: TOKEN }) as object;

      expect(extractBearerToken({ rawHeaders: ['Authorization', `Bearer ${TOKEN}`], query, body: undefined })).toBe(TOKEN);
    });
  });

  it('explains each rejection in the log message', () => {
    expect(extractionError({ rawHeaders: [], query: { access_token: 'x' }, body: undefined }).message).toBe(
      'The request carries an access_token in the query string or the body',
    );
    expect(extractionError(withHeaders('Authorization', 'Bearer a b')).message).toBe(
      'The Authorization header is not "Bearer" followed by one token',
    );
  });

  it('never echoes header values in errors', () => {
    const marker = 'attacker-controlled-value';
    const requests: BearerRequestParts[] = [
      withHeaders('Authorization', `Bearer ${marker} x`),
      withHeaders('Authorization', `Bearer ${marker}`, 'Authorization', marker),
      { rawHeaders: [], query: { access_token: marker }, body: undefined },
    ];

    for (const request of requests) {
      const error = extractionError(request);
      expect(error.message).not.toContain(marker);
      expect(error.description).not.toContain(marker);
    }
  });
});
