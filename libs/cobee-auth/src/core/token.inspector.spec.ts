import { CobeeAuthError, InvalidTokenError } from './cobee-auth.errors';
import { captureError, TEST_COMPANY as COMPANY, TEST_NOW as NOW, testClaims, testClaimsPolicy } from './core.fixtures';
import { countKnownHeaders, InspectionPolicy, inspectToken } from './token.inspector';

const POLICY: InspectionPolicy = {
  ...testClaimsPolicy(),
  maxTokenBytes: 8192,
  algorithms: new Set(['RS256']),
};

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function token(header: Record<string, unknown>, claims: Record<string, unknown> = testClaims()): string {
  return `${encode(header)}.${encode(claims)}.c2lnbmF0dXJl`;
}

function inspectionError(text: string, policy: InspectionPolicy = POLICY): CobeeAuthError {
  return captureError(CobeeAuthError, () => inspectToken(text, policy, NOW), 'inspectToken accepted the token');
}

describe('inspectToken', () => {
  it('returns the validated header and the principal', () => {
    const inspected = inspectToken(token({ alg: 'RS256', typ: 'JWT', kid: 'k1' }), POLICY, NOW);

    expect(inspected.header).toEqual({ alg: 'RS256', kid: 'k1' });
    expect(inspected.principal.clientId).toBe('client-1');
    expect(inspected.principal.companyId).toBe(COMPANY);
  });

  it('applies the configured size limit', () => {
    const text = token({ alg: 'RS256' });

    expect(inspectionError(text, { ...POLICY, maxTokenBytes: text.length - 1 }).code).toBe('ERR_JWT_TOO_LARGE');
    expect(inspectToken(text, { ...POLICY, maxTokenBytes: text.length }, NOW).principal.clientId).toBe('client-1');
  });

  it('checks the header before the claims', () => {
    const error = inspectionError(token({ alg: 'HS256' }, testClaims({ iss: 'https://evil.example/' })));

    expect(error.code).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
  });

  it('checks the claims after a valid header', () => {
    const error = inspectionError(token({ alg: 'RS256' }, testClaims({ iss: 'https://evil.example/' })));

    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as InvalidTokenError).claim).toBe('iss');
  });

  it('uses the given time', () => {
    const text = token({ alg: 'RS256' });

    expect(() => inspectToken(text, POLICY, NOW + 3600 + 5)).toThrow(InvalidTokenError);
    expect(inspectToken(text, POLICY, NOW + 3600 + 4).principal.expiresAt).toBe(NOW + 3600);
  });

  it('records a loggable unverified client id on header and claim errors', () => {
    expect(inspectionError(token({ alg: 'none' })).clientId).toBe('client-1');
    expect(inspectionError(token({ alg: 'RS256' }, testClaims({ gty: 'password' }))).clientId).toBe('client-1');
  });

  it('keeps the unverified client id marked as unverified', () => {
    expect(inspectionError(token({ alg: 'none' })).clientIdVerified).toBe(false);
  });

  it.each([
    ['with a newline', 'client\nforged log line'],
    ['with spaces', 'client one'],
    ['too long', 'c'.repeat(129)],
    ['empty', ''],
    ['a number', 42],
    ['an array', ['client-1']],
  ])('leaves out a client id %s', (_name, azp) => {
    expect(inspectionError(token({ alg: 'none' }, testClaims({ azp }))).clientId).toBeUndefined();
  });

  it('accepts a client id of 128 safe characters for the log', () => {
    const azp = `${'a'.repeat(120)}.-_@A9z0`;

    expect(inspectionError(token({ alg: 'none' }, testClaims({ azp }))).clientId).toBe(azp);
  });

  it('records no client id on decoding errors', () => {
    expect(inspectionError('a.b').clientId).toBeUndefined();
  });

  it('passes non-library errors through unchanged', () => {
    const failing = { ...POLICY, get audiences(): ReadonlySet<string> { throw new RangeError('boom'); } };

    expect(() => inspectToken(token({ alg: 'RS256' }), failing, NOW)).toThrow(RangeError);
    try {
      inspectToken(token({ alg: 'RS256' }), failing, NOW);
    } catch (error) {
      expect(Object.hasOwn(error as object, 'clientId')).toBe(false);
    }
  });
});

describe('inspectToken remembered headers', () => {
  it('remembers a valid header once per policy', () => {
    const policy: InspectionPolicy = { ...POLICY };
    const text = token({ alg: 'RS256', typ: 'JWT', kid: 'k1' });

    inspectToken(text, policy, NOW);
    inspectToken(text, policy, NOW);

    expect(countKnownHeaders(policy)).toBe(1);
    expect(countKnownHeaders({ ...POLICY })).toBe(0);
  });

  it('returns the same header for a remembered segment', () => {
    const policy: InspectionPolicy = { ...POLICY };
    const text = token({ alg: 'RS256', typ: 'at+jwt', kid: 'k2' });

    const first = inspectToken(text, policy, NOW);
    const second = inspectToken(text, policy, NOW);

    expect(second.header).toBe(first.header);
    expect(second.header).toEqual({ alg: 'RS256', kid: 'k2' });
  });

  it('never remembers a rejected header', () => {
    const policy: InspectionPolicy = { ...POLICY };

    inspectionError(token({ alg: 'HS256', kid: 'k1' }), policy);
    inspectionError(token({ alg: 'RS256', kid: 'k1', jku: 'https://evil.example/jwks' }), policy);

    expect(countKnownHeaders(policy)).toBe(0);
  });

  it('keeps at most 64 headers, dropping the oldest', () => {
    const policy: InspectionPolicy = { ...POLICY };
    const oldest = token({ alg: 'RS256', kid: 'kid-0' });
    for (let index = 0; index < 100; index++) {
      inspectToken(token({ alg: 'RS256', kid: `kid-${index}` }), policy, NOW);
      expect(countKnownHeaders(policy)).toBe(Math.min(index + 1, 64));
    }

    // The oldest header is validated again, and so replaces another entry.
    expect(inspectToken(oldest, policy, NOW).header).toEqual({ alg: 'RS256', kid: 'kid-0' });
    expect(countKnownHeaders(policy)).toBe(64);
  });

  it('still rejects a bad payload under a remembered header', () => {
    const policy: InspectionPolicy = { ...POLICY };
    const header = { alg: 'RS256', kid: 'k1' };
    inspectToken(token(header), policy, NOW);

    expect(inspectionError(token(header, testClaims({ iss: 'https://evil.example/' })), policy).message).toContain('iss');
    expect(inspectionError(`${encode(header)}.${encode([1])}.c2lnbmF0dXJl`, policy).code).toBe('ERR_JWT_MALFORMED');
  });
});
