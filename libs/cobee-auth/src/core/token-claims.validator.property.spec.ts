import fc from 'fast-check';
import { InvalidTokenError } from './cobee-auth.errors';
import {
  TEST_AUDIENCE as AUDIENCE,
  TEST_COMPANY as COMPANY,
  TEST_ISSUER as ISSUER,
  TEST_NAMESPACE as NAMESPACE,
  TEST_NOW as NOW,
  testClaims,
  testClaimsPolicy,
} from './core.fixtures';
import { ClaimsPolicy, validateTokenClaims } from './token-claims.validator';

const TOLERANCE = 5;
const MAX_AGE = 86_400;

const POLICY: ClaimsPolicy = testClaimsPolicy({ clockToleranceSeconds: TOLERANCE, maxTokenAgeSeconds: MAX_AGE });

const VALID: Readonly<Record<string, unknown>> = testClaims({ scope: 'read:companies' });

const CLAIM_NAMES = ['iss', 'sub', 'aud', 'iat', 'exp', 'nbf', 'azp', 'gty', 'scope', 'permissions', NAMESPACE];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Applies the acceptance rules as the documented contract states them, written independently
 * of the validator's code. Returns the expected principal fields, or undefined when the
 * payload must be rejected.
 */
function expectedPrincipal(payload: Record<string, unknown>): { companyId: string; corporationId?: string; scopes: string[] } | undefined {
  const own = (name: string): unknown => (Object.hasOwn(payload, name) ? payload[name] : undefined);
  const isDate = (value: unknown): value is number =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 253_402_300_799;
  const isIdentifier = (value: unknown): boolean => typeof value === 'string' && value.length >= 1 && value.length <= 255;

  if (own('iss') !== ISSUER) return undefined;
  const aud = own('aud');
  const audiences = typeof aud === 'string' ? [aud] : aud;
  if (!Array.isArray(audiences) || audiences.length < 1 || audiences.length > 32) return undefined;
  if (!audiences.every((value) => typeof value === 'string') || !audiences.includes(AUDIENCE)) return undefined;

  const exp = own('exp');
  const iat = own('iat');
  if (!isDate(exp) || !isDate(iat)) return undefined;
  if (exp <= NOW - TOLERANCE || iat > NOW + TOLERANCE || exp < iat || NOW - iat > MAX_AGE + TOLERANCE) return undefined;
  if (Object.hasOwn(payload, 'nbf')) {
    const nbf = payload.nbf;
    if (!isDate(nbf) || nbf > NOW + TOLERANCE) return undefined;
  }

  if (own('gty') !== 'client-credentials') return undefined;
  if (!isIdentifier(own('sub')) || !isIdentifier(own('azp'))) return undefined;

  const scopes: string[] = [];
  if (Object.hasOwn(payload, 'scope')) {
    if (typeof payload.scope !== 'string') return undefined;
    scopes.push(...payload.scope.split(' ').filter((name) => name !== ''));
  }
  if (Object.hasOwn(payload, 'permissions')) {
    const permissions = payload.permissions;
    if (!Array.isArray(permissions) || !permissions.every((name) => typeof name === 'string' && name !== '')) return undefined;
    scopes.push(...(permissions as string[]));
  }
  const distinct = [...new Set(scopes)];
  if (distinct.length > 256) return undefined;

  const metadata = own(NAMESPACE);
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return undefined;
  const companyId = Object.hasOwn(metadata, 'companyId') ? (metadata as Record<string, unknown>).companyId : undefined;
  if (typeof companyId !== 'string' || !UUID.test(companyId)) return undefined;
  const corporationId = Object.hasOwn(metadata, 'corporationId') ? (metadata as Record<string, unknown>).corporationId : undefined;
  if (corporationId !== undefined && (typeof corporationId !== 'string' || !UUID.test(corporationId))) return undefined;

  return {
    companyId: companyId.toLowerCase(),
    ...(corporationId === undefined ? {} : { corporationId: (corporationId as string).toLowerCase() }),
    scopes: distinct,
  };
}

/** Values a claim may take: JSON values, near-valid dates, UUID variants and claim look-alikes. */
const claimValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.integer({ min: NOW - 2 * MAX_AGE, max: NOW + 600 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(ISSUER, AUDIENCE, [AUDIENCE], 'client-credentials', COMPANY, COMPANY.toUpperCase(), '', null),
  fc.uuid().map((companyId) => ({ companyId })),
  fc.record({ companyId: fc.oneof(fc.uuid(), fc.jsonValue({ maxDepth: 1 })), corporationId: fc.oneof(fc.uuid(), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: ['companyId'] }),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constant(AUDIENCE)), { maxLength: 4 }),
);

/** A valid payload with a few claims replaced or removed. */
const mutatedPayload = fc
  .array(fc.tuple(fc.constantFrom(...CLAIM_NAMES), fc.option(claimValue, { nil: undefined })), { minLength: 1, maxLength: 3 })
  .map((changes) => {
    const payload: Record<string, unknown> = structuredClone(VALID) as Record<string, unknown>;
    for (const [name, value] of changes) {
      if (value === undefined) {
        delete payload[name];
      } else {
        payload[name] = value;
      }
    }
    return payload;
  });

describe('validateTokenClaims properties', () => {
  it('accepts exactly the payloads the rules allow, with the expected principal', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(mutatedPayload, (payload) => {
        const expected = expectedPrincipal(payload);
        let principal;
        try {
          principal = validateTokenClaims(payload, POLICY, NOW);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidTokenError);
          expect(expected).toBeUndefined();
          rejected++;
          return;
        }

        accepted++;
        expect(expected).toBeDefined();
        expect(principal.companyId).toBe(expected?.companyId);
        expect(principal.corporationId).toBe(expected?.corporationId);
        expect([...principal.scopes].sort()).toEqual([...(expected?.scopes ?? [])].sort());
        expect(principal.clientId).toBe(payload.azp);
        expect(principal.expiresAt).toBe(payload.exp);
      }),
      { numRuns: 2000 },
    );

    // Both outcomes must be reached, or the property checks only one side.
    expect(accepted).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(50);
  });

  it('throws only InvalidTokenError for arbitrary payloads', () => {
    const payload = fc.dictionary(fc.oneof(fc.constantFrom(...CLAIM_NAMES, '__proto__', 'constructor'), fc.string()), fc.anything({ maxDepth: 3 }));

    fc.assert(
      fc.property(payload, (claims) => {
        try {
          validateTokenClaims(claims, POLICY, NOW);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidTokenError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never grants a company other than the one in the claim', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.mixedCase(fc.constant(COMPANY)), (other, companyId) => {
        const principal = validateTokenClaims({ ...VALID, [NAMESPACE]: { companyId, corporationId: other } }, POLICY, NOW);

        expect(principal.companyId).toBe(COMPANY);
        expect(principal.corporationId).toBe(other.toLowerCase());
      }),
    );
  });

  it('never reports a claim value in the error', () => {
    const marker = fc.string({ minLength: 8, maxLength: 16, unit: fc.constantFrom(...'QWXZqwxz'.split('')) });

    fc.assert(
      fc.property(fc.constantFrom(...CLAIM_NAMES), marker, (name, value) => {
        try {
          validateTokenClaims({ ...VALID, [name]: `MARK${value}` }, POLICY, NOW);
        } catch (error) {
          expect((error as InvalidTokenError).message).not.toContain(value);
          expect((error as InvalidTokenError).description).not.toContain(value);
        }
      }),
    );
  });
});
