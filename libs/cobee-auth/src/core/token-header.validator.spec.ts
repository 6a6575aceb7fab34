import { InvalidTokenError } from './cobee-auth.errors';
import { captureError } from './core.fixtures';
import { MAX_KID_LENGTH, validateTokenHeader } from './token-header.validator';

const RS256_ONLY: ReadonlySet<string> = new Set(['RS256']);

function headerError(header: Record<string, unknown>, algorithms = RS256_ONLY): InvalidTokenError {
  return captureError(InvalidTokenError, () => validateTokenHeader(header, algorithms), 'validateTokenHeader accepted the header');
}

describe('validateTokenHeader', () => {
  describe('algorithm', () => {
    it('accepts an allowed algorithm and returns alg and kid', () => {
      expect(validateTokenHeader({ alg: 'RS256', typ: 'JWT', kid: 'key-1' }, RS256_ONLY)).toEqual({
        alg: 'RS256',
        kid: 'key-1',
      });
    });

    it('accepts every algorithm of a larger allow-list', () => {
      const allowed = new Set(['RS256', 'PS512']);

      expect(validateTokenHeader({ alg: 'PS512' }, allowed).alg).toBe('PS512');
      expect(validateTokenHeader({ alg: 'RS256' }, allowed).alg).toBe('RS256');
    });

    it.each([
      ['none', 'none'],
      ['None', 'None'],
      ['NONE', 'NONE'],
      ['nOnE', 'nOnE'],
      ['none with a space', 'none '],
      ['empty string', ''],
      ['HS256', 'HS256'],
      ['HS384', 'HS384'],
      ['HS512', 'HS512'],
      ['ES256', 'ES256'],
      ['PS256 when only RS256 is allowed', 'PS256'],
      ['lower-case rs256', 'rs256'],
      ['RS256 with a trailing space', 'RS256 '],
      ['RS256 with a NUL', 'RS256\u0000'],
      ['array', ['RS256']],
      ['object', { name: 'RS256' }],
      ['number', 256],
      ['null', null],
      ['boolean', true],
    ])('rejects alg %s', (_name, alg) => {
      const error = headerError({ alg, typ: 'JWT' });

      expect(error.code).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
      expect(error.message).toBe('Header "alg" is missing or not in the allow-list');
    });

    it('rejects a missing alg', () => {
      expect(headerError({ typ: 'JWT' }).code).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
    });

    it('ignores an alg inherited from the prototype', () => {
      const header = Object.create({ alg: 'RS256' }) as Record<string, unknown>;

      expect(headerError(header).code).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
    });

    it('checks the algorithm before every other member', () => {
      const error = headerError({ alg: 'none', jku: 'https://attacker.example/jwks', crit: ['x'], kid: 42, typ: 'JWE' });

      expect(error.code).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
    });
  });

  describe('key-selection and unsupported parameters', () => {
    it.each(['jku', 'x5u', 'jwk', 'x5c'])('rejects %s', (name) => {
      const error = headerError({ alg: 'RS256', [name]: 'anything' });

      expect(error.code).toBe('ERR_JOSE_HEADER_INVALID');
      expect(error.message).toBe(`Header has the key-selection parameter "${name}"`);
    });

    it.each([null, '', [], {}, false])('rejects jwk even when it is %p', (value) => {
      expect(headerError({ alg: 'RS256', jwk: value }).code).toBe('ERR_JOSE_HEADER_INVALID');
    });

    it.each(['enc', 'zip', 'b64', 'crit'])('rejects %s', (name) => {
      const error = headerError({ alg: 'RS256', [name]: name === 'b64' ? false : ['exp'] });

      expect(error.code).toBe('ERR_JOSE_HEADER_INVALID');
      expect(error.message).toBe(`Header has the unsupported parameter "${name}"`);
    });

    it.each([
      ['an empty list', []],
      ['a registered name', ['exp']],
      ['an unknown extension', ['urn:example:ext']],
      ['a string', 'exp'],
    ])('rejects crit as %s', (_name, crit) => {
      expect(headerError({ alg: 'RS256', crit }).code).toBe('ERR_JOSE_HEADER_INVALID');
    });

    it('accepts unknown non-critical parameters', () => {
      expect(validateTokenHeader({ alg: 'RS256', x5t: 'thumb', cty: 'JWT', custom: 1 }, RS256_ONLY).alg).toBe('RS256');
    });
  });

  describe('typ', () => {
    it.each(['JWT', 'jwt', 'at+jwt', 'AT+JWT', 'application/jwt', 'application/at+jwt', 'Application/At+JWT'])(
      'accepts %s',
      (typ) => {
        expect(validateTokenHeader({ alg: 'RS256', typ }, RS256_ONLY).alg).toBe('RS256');
      },
    );

    it('accepts a header without typ', () => {
      expect(validateTokenHeader({ alg: 'RS256' }, RS256_ONLY).alg).toBe('RS256');
    });

    it.each([
      ['dpop+jwt', 'dpop+jwt'],
      ['logout+jwt', 'logout+jwt'],
      ['secevent+jwt', 'secevent+jwt'],
      ['JWE', 'JWE'],
      ['JOSE', 'JOSE'],
      ['JOSE+JSON', 'JOSE+JSON'],
      ['id_token', 'id_token'],
      ['empty', ''],
      ['JWT with a space', 'JWT '],
      ['application/dpop+jwt', 'application/dpop+jwt'],
      ['number', 1],
      ['null', null],
      ['array', ['JWT']],
    ])('rejects typ %s', (_name, typ) => {
      const error = headerError({ alg: 'RS256', typ });

      expect(error.code).toBe('ERR_JOSE_HEADER_INVALID');
      expect(error.message).toBe('Header "typ" is not a JWT access-token type');
    });
  });

  describe('kid', () => {
    it('returns undefined when kid is absent', () => {
      expect(validateTokenHeader({ alg: 'RS256' }, RS256_ONLY).kid).toBeUndefined();
    });

    it.each([
      ['a thumbprint', 'NjVBRjY5MDlCMUIwNzU4RTA2QzZFMDQ4QzQ2MDAyQjVDNjk1RTM2Qg'],
      ['one character', 'k'],
      ['the longest allowed', 'k'.repeat(MAX_KID_LENGTH)],
      ['__proto__', '__proto__'],
      ['constructor', 'constructor'],
      ['printable punctuation', 'a b~!@#$%^&*()'],
    ])('accepts %s', (_name, kid) => {
      expect(validateTokenHeader({ alg: 'RS256', kid }, RS256_ONLY).kid).toBe(kid);
    });

    it.each([
      ['empty', ''],
      ['too long', 'k'.repeat(MAX_KID_LENGTH + 1)],
      ['a number', 1],
      ['zero', 0],
      ['null', null],
      ['a boolean', true],
      ['an array', ['key-1']],
      ['an object', { kid: 'key-1' }],
      ['with a newline', 'key\n1'],
      ['with a NUL', 'key\u00001'],
      ['with a tab', 'key\t1'],
      ['non-ASCII', 'kéy'],
      ['a path', '../../dev/null'.replace(/\//g, '\u2215')],
    ])('rejects %s', (_name, kid) => {
      const error = headerError({ alg: 'RS256', kid });

      expect(error.code).toBe('ERR_JOSE_HEADER_INVALID');
      expect(error.message).toBe(`Header "kid" must be a printable string of 1 to ${MAX_KID_LENGTH} characters`);
    });
  });

  it('never puts header values in the error', () => {
    const marker = 'attacker-controlled-value';
    const headers = [
      { alg: marker },
      { alg: 'RS256', jku: marker },
      { alg: 'RS256', typ: marker },
      { alg: 'RS256', kid: `${marker}\n` },
    ];

    for (const header of headers) {
      const error = headerError(header);
      expect(error.message).not.toContain(marker);
      expect(error.description).not.toContain(marker);
    }
  });
});
