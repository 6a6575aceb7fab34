import fc from 'fast-check';
import { InvalidTokenError } from './cobee-auth.errors';
import { decodeJwt } from './jwt.decoder';
import { MAX_JSON_NESTING_DEPTH, parseStrictJsonObject } from './strict-json.parser';
import { InspectionPolicy, inspectToken } from './token.inspector';

const POLICY: InspectionPolicy = {
  issuer: 'https://tenant.eu.auth0.com/',
  audiences: new Set(['https://api.example.com']),
  allowedGrantTypes: new Set(['client-credentials']),
  claimNamespace: 'https://auth.cobee.io/metadata',
  clockToleranceSeconds: 5,
  maxTokenAgeSeconds: undefined,
  maxTokenBytes: 8192,
  algorithms: new Set(['RS256']),
};

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function segment(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** Depth of a JSON value as the strict parser counts it: each object or array adds one level. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) {
    return 0;
  }
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

function hasForbiddenName(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  if (!Array.isArray(value) && Object.keys(value).some((name) => FORBIDDEN.has(name))) {
    return true;
  }
  return Object.values(value).some(hasForbiddenName);
}

/** Text that looks like a token: dot-separated base64url pieces, sometimes of JSON. */
const tokenLike = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.oneof(fc.base64String({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }).map(segment), fc.string({ maxLength: 20 })), { maxLength: 6 }).map(
    (parts) => parts.join('.'),
  ),
  fc.tuple(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 })), fc.jsonValue({ maxDepth: 3 }), fc.base64String({ maxLength: 12 })).map(
    ([header, payload, signature]) => `${segment({ alg: 'RS256', ...header })}.${segment(payload)}.${signature.replace(/=+$/, '')}`,
  ),
);

describe('token decoding properties', () => {
  it('inspectToken throws only InvalidTokenError for any text', () => {
    fc.assert(
      fc.property(tokenLike, (text) => {
        try {
          inspectToken(text, POLICY, 1_750_000_000);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidTokenError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('decodeJwt returns exactly the parsed segments of a well-formed token', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        (header, payload, signature) => {
          const signingInput = `${segment(header)}.${segment(payload)}`;
          const text = `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
          const valid = !hasForbiddenName(header) && !hasForbiddenName(payload) && depthOf(payload) <= MAX_JSON_NESTING_DEPTH;

          if (!valid || text.length > 8192) {
            expect(() => decodeJwt(text, 8192)).toThrow(InvalidTokenError);
            return;
          }
          const decoded = decodeJwt(text, 8192);
          // Compared with a JSON round trip, which turns -0 into 0 as any serialiser does.
          expect(decoded.header).toEqual(JSON.parse(JSON.stringify(header)));
          expect(decoded.payload).toEqual(JSON.parse(JSON.stringify(payload)));
          expect(decoded.signingInput).toBe(signingInput);
          expect(Buffer.compare(decoded.signature, Buffer.from(signature))).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('parseStrictJsonObject agrees with JSON.parse on serialised objects', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 4 })), (value) => {
        const result = parseStrictJsonObject(JSON.stringify(value));

        if (hasForbiddenName(value)) {
          expect(result).toEqual({ ok: false, problem: 'forbidden_member' });
        } else {
          expect(result).toEqual({ ok: true, value: JSON.parse(JSON.stringify(value)) });
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('parseStrictJsonObject finds a duplicate member anywhere', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1 }).filter(
          (object) => !hasForbiddenName(object),
        ),
        fc.jsonValue({ maxDepth: 1 }).filter((value) => !hasForbiddenName(value)),
        fc.integer({ min: 0, max: 3 }),
        (object, duplicateValue, nesting) => {
          const [name] = Object.keys(object);
          // Re-adds the first member name at the end of the object, then wraps it in `nesting` levels.
          let text = `${JSON.stringify(object).slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(duplicateValue)}}`;
          for (let level = 0; level < nesting; level++) {
            text = `{"level${level}":[${text}]}`;
          }

          expect(parseStrictJsonObject(text)).toEqual({ ok: false, problem: 'duplicate_member' });
        },
      ),
      { numRuns: 500 },
    );
  });
});
