import { InvalidTokenError } from './cobee-auth.errors';
import {
  captureError,
  TEST_AUDIENCE as AUDIENCE,
  TEST_COMPANY as COMPANY,
  TEST_CORPORATION as CORPORATION,
  TEST_ISSUER as ISSUER,
  TEST_NAMESPACE as NAMESPACE,
  TEST_NOW as NOW,
  testClaims,
  testClaimsPolicy,
} from './core.fixtures';
import { checkTimeClaims, ClaimsPolicy, validateTokenClaims } from './token-claims.validator';

const POLICY: ClaimsPolicy = testClaimsPolicy();

function validPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return testClaims({ scope: 'read:companies read:employees', ...overrides });
}

function claimsError(payload: Record<string, unknown>, policy: ClaimsPolicy = POLICY, now = NOW): InvalidTokenError {
  return captureError(InvalidTokenError, () => validateTokenClaims(payload, policy, now), 'validateTokenClaims accepted the payload');
}

function expectClaimRejected(payload: Record<string, unknown>, claim: string, policy: ClaimsPolicy = POLICY): void {
  const error = claimsError(payload, policy);
  expect(error.code).toBe('ERR_JWT_CLAIM_INVALID');
  expect(error.claim).toBe(claim);
  expect(error.description).toBe(`The access token claim '${claim}' is invalid`);
}

describe('validateTokenClaims', () => {
  describe('valid payload', () => {
    it('builds the principal', () => {
      const principal = validateTokenClaims(validPayload(), POLICY, NOW);

      expect(principal).toEqual({
        clientId: 'client-1',
        subject: 'client-1@clients',
        companyId: COMPANY,
        corporationId: undefined,
        grantType: 'client-credentials',
        scopes: ['read:companies', 'read:employees'],
        expiresAt: NOW + 3600,
        claims: validPayload(),
      });
    });

    it('lower-cases company and corporation ids', () => {
      const principal = validateTokenClaims(
        validPayload({ [NAMESPACE]: { companyId: COMPANY.toUpperCase(), corporationId: CORPORATION.toUpperCase() } }),
        POLICY,
        NOW,
      );

      expect(principal.companyId).toBe(COMPANY);
      expect(principal.corporationId).toBe(CORPORATION);
    });

    it('freezes the principal, its scopes and its claims deeply', () => {
      const principal = validateTokenClaims(validPayload({ extra: { list: [{ a: 1 }] } }), POLICY, NOW);
      const extra = principal.claims.extra as { list: Array<{ a: number }> };

      expect(Object.isFrozen(principal)).toBe(true);
      expect(Object.isFrozen(principal.scopes)).toBe(true);
      expect(Object.isFrozen(principal.claims)).toBe(true);
      expect(Object.isFrozen(extra)).toBe(true);
      expect(Object.isFrozen(extra.list)).toBe(true);
      expect(Object.isFrozen(extra.list[0])).toBe(true);
    });

    it('copies the claims instead of freezing the caller object', () => {
      const payload = validPayload();

      validateTokenClaims(payload, POLICY, NOW);

      expect(Object.isFrozen(payload)).toBe(false);
    });

    it('accepts an audience list that contains a configured audience', () => {
      const payload = validPayload({ aud: ['https://tenant.eu.auth0.com/userinfo', AUDIENCE] });

      expect(validateTokenClaims(payload, POLICY, NOW).clientId).toBe('client-1');
    });

    it('accepts any of several configured audiences', () => {
      const policy = { ...POLICY, audiences: new Set(['https://a.example', 'https://b.example']) };

      expect(validateTokenClaims(validPayload({ aud: 'https://b.example' }), policy, NOW).clientId).toBe('client-1');
    });

    it('accepts any configured grant type', () => {
      const policy = { ...POLICY, allowedGrantTypes: new Set(['client-credentials', 'urn:example:grant']) };

      expect(validateTokenClaims(validPayload({ gty: 'urn:example:grant' }), policy, NOW).grantType).toBe('urn:example:grant');
    });

    it('reads the company claim under a custom namespace', () => {
      const policy = { ...POLICY, claimNamespace: 'https://example.com/claims' };
      const payload = validPayload({ [NAMESPACE]: undefined, 'https://example.com/claims': { companyId: COMPANY } });

      expect(validateTokenClaims(payload, policy, NOW).companyId).toBe(COMPANY);
    });

    it('ignores unknown members of the company claim', () => {
      const payload = validPayload({ [NAMESPACE]: { companyId: COMPANY, role: 'admin' } });

      expect(validateTokenClaims(payload, POLICY, NOW).companyId).toBe(COMPANY);
    });
  });

  describe('issuer', () => {
    it.each([
      ['missing', undefined],
      ['without the trailing slash', ISSUER.slice(0, -1)],
      ['with a path suffix', `${ISSUER}evil`],
      ['upper case', ISSUER.toUpperCase()],
      ['http scheme', ISSUER.replace('https:', 'http:')],
      ['a prefix', 'https://tenant.eu.auth0.com'],
      ['an array', [ISSUER]],
      ['an object', { iss: ISSUER }],
      ['a number', 1],
      ['null', null],
    ])('rejects iss %s', (_name, iss) => {
      expectClaimRejected(validPayload({ iss }), 'iss');
    });

    it('checks the issuer first', () => {
      expect(claimsError(validPayload({ iss: 'x', aud: 'y', exp: 'z', gty: 1 })).claim).toBe('iss');
    });
  });

  describe('audience', () => {
    it.each([
      ['missing', undefined],
      ['another API', 'https://other.example.com'],
      ['the Management API', `${ISSUER}api/v2/`],
      ['a client id', 'client-1'],
      ['with a trailing slash', `${AUDIENCE}/`],
      ['an empty list', []],
      ['a list without ours', ['https://a.example', 'https://b.example']],
      ['a list with a non-string', [AUDIENCE, 1]],
      ['a nested list', [[AUDIENCE]]],
      ['an object', { aud: AUDIENCE }],
      ['a number', 7],
      ['null', null],
      ['an empty string', ''],
      ['more than 32 entries', [AUDIENCE, ...Array.from({ length: 32 }, (_, index) => `https://x${index}.example`)]],
    ])('rejects aud %s', (_name, aud) => {
      expectClaimRejected(validPayload({ aud }), 'aud');
    });

    it('accepts 32 entries', () => {
      const aud = [AUDIENCE, ...Array.from({ length: 31 }, (_, index) => `https://x${index}.example`)];

      expect(validateTokenClaims(validPayload({ aud }), POLICY, NOW).clientId).toBe('client-1');
    });
  });

  describe('grant type, subject and client', () => {
    it.each([
      ['missing', undefined],
      ['password (a user token)', 'password'],
      ['authorization_code', 'authorization_code'],
      ['refresh_token', 'refresh_token'],
      ['upper case', 'CLIENT-CREDENTIALS'],
      ['underscore spelling', 'client_credentials'],
      ['an array', ['client-credentials']],
      ['null', null],
    ])('rejects gty %s', (_name, gty) => {
      expectClaimRejected(validPayload({ gty }), 'gty');
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['a number', 1],
      ['an array', ['client-1@clients']],
      ['too long', 's'.repeat(256)],
    ])('rejects sub %s', (_name, sub) => {
      expectClaimRejected(validPayload({ sub }), 'sub');
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['an object', { id: 'client-1' }],
      ['too long', 'c'.repeat(256)],
    ])('rejects azp %s', (_name, azp) => {
      expectClaimRejected(validPayload({ azp }), 'azp');
    });

    it('accepts identifiers of 255 characters', () => {
      const principal = validateTokenClaims(validPayload({ sub: 's'.repeat(255), azp: 'c'.repeat(255) }), POLICY, NOW);

      expect(principal.subject).toHaveLength(255);
      expect(principal.clientId).toHaveLength(255);
    });
  });

  describe('scopes', () => {
    it('merges scope and permissions without duplicates', () => {
      const principal = validateTokenClaims(
        validPayload({ scope: 'a b  a', permissions: ['b', 'c'] }),
        POLICY,
        NOW,
      );

      expect(principal.scopes).toEqual(['a', 'b', 'c']);
    });

    it('returns no scopes when both claims are absent', () => {
      expect(validateTokenClaims(validPayload({ scope: undefined }), POLICY, NOW).scopes).toEqual([]);
    });

    it('accepts an empty scope string', () => {
      expect(validateTokenClaims(validPayload({ scope: '' }), POLICY, NOW).scopes).toEqual([]);
    });

    it.each([
      ['an array', ['read:companies']],
      ['a number', 1],
      ['null', null],
      ['an object', { scope: 'a' }],
    ])('rejects scope as %s', (_name, scope) => {
      expectClaimRejected(validPayload({ scope }), 'scope');
    });

    it.each([
      ['a string', 'read:companies'],
      ['a list with a number', ['a', 1]],
      ['a list with an empty name', ['a', '']],
      ['a nested list', [['a']]],
      ['null', null],
    ])('rejects permissions as %s', (_name, permissions) => {
      expectClaimRejected(validPayload({ permissions }), 'permissions');
    });

    it('rejects more than 256 distinct scopes', () => {
      const scope = Array.from({ length: 257 }, (_, index) => `s${index}`).join(' ');

      expectClaimRejected(validPayload({ scope }), 'scope');
    });

    it('accepts 256 distinct scopes', () => {
      const scope = Array.from({ length: 200 }, (_, index) => `s${index}`).join(' ');
      const permissions = Array.from({ length: 56 }, (_, index) => `p${index}`);

      expect(validateTokenClaims(validPayload({ scope, permissions }), POLICY, NOW).scopes).toHaveLength(256);
    });
  });

  describe('company claim', () => {
    it.each([
      ['missing', undefined],
      ['a string', COMPANY],
      ['the JSON text of an object', JSON.stringify({ companyId: COMPANY })],
      ['an array', [{ companyId: COMPANY }]],
      ['null', null],
      ['a number', 1],
    ])('rejects the claim as %s', (_name, value) => {
      expectClaimRejected(validPayload({ [NAMESPACE]: value }), NAMESPACE);
    });

    it.each([
      ['missing', {}],
      ['a number', { companyId: 123 }],
      ['an array', { companyId: [COMPANY] }],
      ['an object', { companyId: { id: COMPANY } }],
      ['empty', { companyId: '' }],
      ['the JSON text of an object', { companyId: JSON.stringify({ id: COMPANY }) }],
      ['null', { companyId: null }],
      ['a boolean', { companyId: true }],
      ['not a UUID', { companyId: 'acme' }],
      ['in braces', { companyId: `{${COMPANY}}` }],
      ['with a urn prefix', { companyId: `urn:uuid:${COMPANY}` }],
      ['with whitespace', { companyId: ` ${COMPANY}` }],
      ['with a newline', { companyId: `${COMPANY}\n` }],
      ['without hyphens', { companyId: COMPANY.replace(/-/g, '') }],
      ['with a Cyrillic letter', { companyId: COMPANY.replace('e', '\u0435') }],
      ['with a fullwidth digit', { companyId: COMPANY.replace('5', '\uff15') }],
      ['only inherited', Object.create({ companyId: COMPANY }) as object],
    ])('rejects companyId %s', (_name, value) => {
      expectClaimRejected(validPayload({ [NAMESPACE]: value }), NAMESPACE);
    });

    it.each([
      ['null', null],
      ['a number', 1],
      ['an array', [CORPORATION]],
      ['empty', ''],
      ['not a UUID', 'acme-group'],
    ])('rejects corporationId %s', (_name, corporationId) => {
      expectClaimRejected(validPayload({ [NAMESPACE]: { companyId: COMPANY, corporationId } }), NAMESPACE);
    });

    it.each([
      ['with a trailing slash', `${NAMESPACE}/`],
      ['with http', NAMESPACE.replace('https:', 'http:')],
      ['in upper case', NAMESPACE.toUpperCase()],
      ['with a Cyrillic letter', NAMESPACE.replace('a', '\u0430')],
      ['without the scheme', 'auth.cobee.io/metadata'],
      ['as a bare name', 'metadata'],
      ['as companyId at top level', 'companyId'],
    ])('rejects a look-alike namespace %s', (_name, lookAlike) => {
      expectClaimRejected(validPayload({ [NAMESPACE]: undefined, [lookAlike]: { companyId: COMPANY } }), NAMESPACE);
    });

    it('uses the exact namespace when a look-alike names another company', () => {
      const other = '7f3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
      const payload = validPayload({ [`${NAMESPACE}/`]: { companyId: other } });

      expect(validateTokenClaims(payload, POLICY, NOW).companyId).toBe(COMPANY);
    });

    it('never reads the company claim from the prototype chain', () => {
      const payload = Object.assign(Object.create({ [NAMESPACE]: { companyId: COMPANY } }), validPayload({ [NAMESPACE]: undefined }));

      expectClaimRejected(payload, NAMESPACE);
    });

    it('ignores prototype-shaped members inside the claim', () => {
      const metadata = JSON.parse(`{"companyId":"${COMPANY}","constructor":{"prototype":{"corporationId":"${CORPORATION}"}}}`);

      const principal = validateTokenClaims(validPayload({ [NAMESPACE]: metadata }), POLICY, NOW);

      expect(principal.corporationId).toBeUndefined();
      expect(({} as Record<string, unknown>).corporationId).toBeUndefined();
    });
  });

  describe('claims inherited from the prototype', () => {
    it.each(['iss', 'aud', 'exp', 'iat', 'gty', 'sub', 'azp'])('ignores an inherited %s', (claim) => {
      const inherited = validPayload();
      const own = validPayload({ [claim]: undefined });
      const payload = Object.assign(Object.create({ [claim]: inherited[claim] }), own);

      const error = claimsError(payload);

      expect(error.code).toBe('ERR_JWT_CLAIM_INVALID');
      expect(error.claim).toBe(claim);
    });
  });

  describe('log messages', () => {
    it.each([
      ['iss', { iss: 'x' }, 'Claim "iss" does not equal the configured issuer'],
      ['aud', { aud: 'x' }, 'Claim "aud" does not name a configured audience'],
      ['gty', { gty: 'x' }, 'Claim "gty" is missing or not an allowed grant type'],
      ['sub', { sub: '' }, 'Claim "sub" is missing or not a valid string'],
      ['azp', { azp: 1 }, 'Claim "azp" is missing or not a valid string'],
      ['exp', { exp: 'x' }, 'Claim "exp" is missing or not a valid NumericDate'],
      ['scope', { scope: 1 }, 'Claim "scope" is not a string'],
      ['permissions', { permissions: 'a' }, 'Claim "permissions" is not a list of strings'],
      ['too many scopes', { scope: Array.from({ length: 257 }, (_, index) => `s${index}`).join(' ') }, 'Token carries more than 256 scopes'],
      ['company claim', { [NAMESPACE]: 'x' }, 'The company claim is missing or not an object'],
      ['company fields', { [NAMESPACE]: { companyId: 1, corporationId: 2 } }, 'The company claim has invalid fields: companyId, corporationId'],
    ])('explains %s', (_name, overrides, message) => {
      expect(claimsError(validPayload(overrides)).message).toBe(message);
    });

    it.each([
      [{ iat: NOW - 100, exp: NOW - 60 }, 'Claim "exp" is in the past'],
      [{ iat: NOW, exp: NOW + 60, nbf: NOW + 60 }, 'Claim "nbf" is in the future'],
      [{ iat: NOW + 60, exp: NOW + 120 }, 'Claim "iat" is in the future'],
      [{ iat: NOW, exp: NOW - 1 }, 'Claim "exp" is before "iat"'],
    ])('explains time claims %p', (overrides, message) => {
      expect(claimsError(validPayload(overrides)).message).toBe(message);
    });

    it('explains a token past the maximum age', () => {
      const error = claimsError(validPayload({ iat: NOW - 1000 }), { ...POLICY, maxTokenAgeSeconds: 100 });

      expect(error.message).toBe('Claim "iat" is older than the maximum token age');
    });
  });

  it('ignores a corporationId inherited by the company claim', () => {
    const metadata = Object.assign(Object.create({ corporationId: CORPORATION }) as object, { companyId: COMPANY });

    expect(validateTokenClaims(validPayload({ [NAMESPACE]: metadata }), POLICY, NOW).corporationId).toBeUndefined();
  });

  it('freezes claims that contain null and primitive values', () => {
    const principal = validateTokenClaims(validPayload({ extra: { empty: null, list: [null, 1, 'a', true] } }), POLICY, NOW);

    expect(principal.claims.extra).toEqual({ empty: null, list: [null, 1, 'a', true] });
    expect(Object.isFrozen((principal.claims.extra as { list: unknown[] }).list)).toBe(true);
  });

  it('never puts claim values in the error', () => {
    const marker = 'attacker-controlled-value';
    const payloads = [
      validPayload({ iss: marker }),
      validPayload({ aud: marker }),
      validPayload({ gty: marker }),
      validPayload({ [NAMESPACE]: { companyId: marker } }),
      validPayload({ exp: marker }),
    ];

    for (const payload of payloads) {
      const error = claimsError(payload);
      expect(error.message).not.toContain(marker);
      expect(error.description).not.toContain(marker);
    }
  });
});

describe('checkTimeClaims', () => {
  const policy = { clockToleranceSeconds: 5, maxTokenAgeSeconds: undefined };

  function timeError(
    payload: Record<string, unknown>,
    options: { clockToleranceSeconds: number; maxTokenAgeSeconds: number | undefined } = policy,
  ): InvalidTokenError {
    return captureError(InvalidTokenError, () => checkTimeClaims(payload, options, NOW), 'checkTimeClaims accepted the payload');
  }

  it('returns exp', () => {
    expect(checkTimeClaims({ iat: NOW, exp: NOW + 10 }, policy, NOW)).toBe(NOW + 10);
  });

  it('accepts fractional NumericDates', () => {
    expect(checkTimeClaims({ iat: NOW - 0.5, exp: NOW + 0.5 }, policy, NOW)).toBe(NOW + 0.5);
  });

  describe('exp', () => {
    it('accepts exp inside the tolerance', () => {
      expect(checkTimeClaims({ iat: NOW - 100, exp: NOW - 4 }, policy, NOW)).toBe(NOW - 4);
    });

    it('rejects exp at the tolerance edge', () => {
      expect(timeError({ iat: NOW - 100, exp: NOW - 5 }).code).toBe('ERR_JWT_EXPIRED');
    });

    it('rejects exp long past', () => {
      const error = timeError({ iat: NOW - 7200, exp: NOW - 3600 });

      expect(error.code).toBe('ERR_JWT_EXPIRED');
      expect(error.description).toBe('The access token expired');
    });

    it('rejects exp equal to now without tolerance', () => {
      expect(timeError({ iat: NOW - 1, exp: NOW }, { clockToleranceSeconds: 0, maxTokenAgeSeconds: undefined }).code).toBe(
        'ERR_JWT_EXPIRED',
      );
    });

    it('rejects exp before iat', () => {
      const error = timeError({ iat: NOW, exp: NOW - 1 });

      expect(error.code).toBe('ERR_JWT_CLAIM_INVALID');
      expect(error.claim).toBe('exp');
    });

    it('accepts exp equal to iat', () => {
      expect(checkTimeClaims({ iat: NOW, exp: NOW }, policy, NOW)).toBe(NOW);
    });
  });

  describe('nbf', () => {
    it('accepts nbf inside the tolerance', () => {
      expect(checkTimeClaims({ iat: NOW, exp: NOW + 60, nbf: NOW + 5 }, policy, NOW)).toBe(NOW + 60);
    });

    it('rejects nbf beyond the tolerance', () => {
      const error = timeError({ iat: NOW, exp: NOW + 60, nbf: NOW + 6 });

      expect(error.code).toBe('ERR_JWT_NOT_YET_VALID');
      expect(error.description).toBe('The access token is not valid yet');
    });

    it('accepts nbf in the past', () => {
      expect(checkTimeClaims({ iat: NOW, exp: NOW + 60, nbf: NOW - 60 }, policy, NOW)).toBe(NOW + 60);
    });
  });

  describe('iat', () => {
    it('accepts iat inside the tolerance', () => {
      expect(checkTimeClaims({ iat: NOW + 5, exp: NOW + 60 }, policy, NOW)).toBe(NOW + 60);
    });

    it('rejects iat in the future beyond the tolerance', () => {
      const error = timeError({ iat: NOW + 6, exp: NOW + 60 });

      expect(error.code).toBe('ERR_JWT_CLAIM_INVALID');
      expect(error.claim).toBe('iat');
    });

    it('applies a larger tolerance to exp, nbf and iat alike', () => {
      const wide = { clockToleranceSeconds: 120, maxTokenAgeSeconds: undefined };

      expect(checkTimeClaims({ iat: NOW + 120, exp: NOW + 600, nbf: NOW + 120 }, wide, NOW)).toBe(NOW + 600);
      expect(checkTimeClaims({ iat: NOW - 600, exp: NOW - 119 }, wide, NOW)).toBe(NOW - 119);
      expect(timeError({ iat: NOW + 121, exp: NOW + 600 }, wide).claim).toBe('iat');
      expect(timeError({ iat: NOW, exp: NOW + 600, nbf: NOW + 121 }, wide).code).toBe('ERR_JWT_NOT_YET_VALID');
      expect(timeError({ iat: NOW - 600, exp: NOW - 120 }, wide).code).toBe('ERR_JWT_EXPIRED');
    });
  });

  describe('maximum token age', () => {
    const withMaxAge = { clockToleranceSeconds: 5, maxTokenAgeSeconds: 300 };

    it('accepts a token at the maximum age plus tolerance', () => {
      expect(checkTimeClaims({ iat: NOW - 305, exp: NOW + 60 }, withMaxAge, NOW)).toBe(NOW + 60);
    });

    it('rejects a token older than the maximum age plus tolerance', () => {
      const error = timeError({ iat: NOW - 306, exp: NOW + 60 }, withMaxAge);

      expect(error.code).toBe('ERR_JWT_TOO_OLD');
      expect(error.description).toBe('The access token is too old');
    });

    it('sets no age limit when maxTokenAgeSeconds is undefined', () => {
      expect(checkTimeClaims({ iat: NOW - 10_000_000, exp: NOW + 60 }, policy, NOW)).toBe(NOW + 60);
    });
  });

  describe('NumericDate types and ranges', () => {
    const values: Array<[string, unknown]> = [
      ['a numeric string', String(NOW + 60)],
      ['an ISO date', new Date((NOW + 60) * 1000).toISOString()],
      ['null', null],
      ['a boolean', true],
      ['an array', [NOW + 60]],
      ['an object', { value: NOW + 60 }],
      ['negative', -1],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['past the year 9999', 253_402_300_800],
      ['in milliseconds', (NOW + 60) * 1000],
    ];

    it.each(values)('rejects exp as %s', (_name, exp) => {
      const error = timeError({ iat: NOW, exp });

      expect(error.code).toBe('ERR_JWT_CLAIM_INVALID');
      expect(error.claim).toBe('exp');
    });

    it.each(values)('rejects iat as %s', (_name, iat) => {
      const error = timeError({ iat, exp: NOW + 60 });

      expect(error.code).toBe('ERR_JWT_CLAIM_INVALID');
      expect(error.claim).toBe('iat');
    });

    it.each(values)('rejects nbf as %s', (_name, nbf) => {
      const error = timeError({ iat: NOW, exp: NOW + 60, nbf });

      expect(error.code).toBe('ERR_JWT_CLAIM_INVALID');
      expect(error.claim).toBe('nbf');
    });

    it('rejects a missing exp', () => {
      expect(timeError({ iat: NOW }).claim).toBe('exp');
    });

    it('rejects a missing iat', () => {
      expect(timeError({ exp: NOW + 60 }).claim).toBe('iat');
    });

    it('accepts zero and the last second of 9999 as NumericDates', () => {
      expect(checkTimeClaims({ iat: 0, exp: 253_402_300_799 }, policy, NOW)).toBe(253_402_300_799);
    });
  });
});

describe('validateTokenClaims control characters', () => {
  it.each([
    ['azp', 'client\nforged'],
    ['azp', 'client\u001b[31m'],
    ['azp', 'client\u0085'],
    ['sub', 'client@clients\r\n'],
    ['sub', '\u0000'],
  ])('rejects %s with a control character', (claim, value) => {
    expectClaimRejected(validPayload({ [claim]: value }), claim);
  });

  it('accepts non-ASCII letters in sub', () => {
    expect(validateTokenClaims(validPayload({ sub: 'clïent@clients' }), POLICY, NOW).subject).toBe('clïent@clients');
  });
});
