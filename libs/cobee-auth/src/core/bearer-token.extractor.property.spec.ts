import fc from 'fast-check';
import { InvalidRequestError, MissingTokenError } from './cobee-auth.errors';
import { BearerRequestParts, extractBearerToken } from './bearer-token.extractor';

const B64_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** A token matching the b64token syntax of RFC 6750 section 2.1. */
const b64token = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'ABCXYZabcxyz0189-._~+/'.split('')), minLength: 1, maxLength: 60 }),
    fc.string({ unit: fc.constant('='), maxLength: 2 }),
  )
  .map(([body, padding]) => body + padding);

/** Header names, biased towards spellings of Authorization. */
const headerName = fc.oneof(
  fc.mixedCase(fc.constant('authorization')),
  fc.constantFrom('Host', 'X-Authorization', 'Proxy-Authorization', 'Authorization ', 'Cookie'),
  fc.string({ unit: 'binary-ascii', maxLength: 20 }),
);

/** Header values, biased towards bearer credentials with odd bytes. */
const headerValue = fc.oneof(
  fc.tuple(fc.mixedCase(fc.constant('bearer')), fc.constantFrom(' ', '  ', '\t', ''), b64token).map(
    ([scheme, separator, token]) => `${scheme}${separator}${token}`,
  ),
  fc.tuple(fc.mixedCase(fc.constant('bearer')), fc.string({ unit: 'binary-ascii', maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 60 })).map(
    ([scheme, separator, rest]) => `${scheme}${separator}${rest}`,
  ),
  fc.string({ unit: 'binary-ascii', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
);

const rawHeaders = fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }).map((pairs) => pairs.flat());

/** Query and body values, sometimes carrying an access_token field. */
const container = fc.oneof(
  fc.constant(undefined),
  fc.anything({ maxDepth: 2 }),
  fc.record({ access_token: fc.anything({ maxDepth: 1 }) }),
  fc.dictionary(fc.constantFrom('access_token', 'token', 'accessToken', 'ACCESS_TOKEN'), fc.string()),
);

/** A request with one well-formed bearer header among other headers, which should mostly succeed. */
const likelyValidRequest = fc
  .record({
    before: fc.array(fc.tuple(fc.constantFrom('Host', 'Accept', 'X-Authorization'), headerValue), { maxLength: 2 }),
    scheme: fc.mixedCase(fc.constant('bearer')),
    token: b64token,
    after: fc.array(fc.tuple(fc.constantFrom('Cookie', 'Proxy-Authorization'), headerValue), { maxLength: 2 }),
    query: fc.dictionary(fc.constantFrom('page', 'token', 'accessToken'), fc.string()),
  })
  .map(({ before, scheme, token, after, query }) => ({
    rawHeaders: [...before.flat(), 'Authorization', `${scheme} ${token}`, ...after.flat()],
    query,
    body: undefined,
  }));

const request = fc.oneof(fc.record({ rawHeaders, query: container, body: container }), likelyValidRequest);

function authorizationValues(headers: readonly string[]): string[] {
  const values: string[] = [];
  for (let index = 0; index + 1 < headers.length; index += 2) {
    if (headers[index].toLowerCase() === 'authorization') {
      values.push(headers[index + 1]);
    }
  }
  return values;
}

function hasOwnAccessToken(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'access_token');
}

describe('extractBearerToken properties', () => {
  it('throws only the library errors for any input', () => {
    fc.assert(
      fc.property(request, (parts) => {
        try {
          extractBearerToken(parts);
        } catch (error) {
          expect(error instanceof MissingTokenError || error instanceof InvalidRequestError).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('returns only the b64token of the single Authorization header', () => {
    let accepted = 0;
    fc.assert(
      fc.property(request, (parts) => {
        let token: string;
        try {
          token = extractBearerToken(parts);
        } catch {
          return;
        }
        accepted++;

        const values = authorizationValues(parts.rawHeaders);
        expect(values).toHaveLength(1);
        expect(hasOwnAccessToken(parts.query)).toBe(false);
        expect(hasOwnAccessToken(parts.body)).toBe(false);
        expect(token).toMatch(B64_TOKEN);
        expect(values[0].trim()).toMatch(/^bearer +/i);
        expect(values[0].trim().replace(/^bearer +/i, '')).toBe(token);
      }),
      { numRuns: 1000 },
    );

    // The generators must reach the success path, or the property checks nothing.
    expect(accepted).toBeGreaterThan(100);
  });

  it('returns the token for any scheme case and spacing', () => {
    fc.assert(
      fc.property(
        b64token,
        fc.mixedCase(fc.constant('bearer')),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        (token, scheme, spaces, padding) => {
          const value = `${' '.repeat(padding)}${scheme}${' '.repeat(spaces)}${token}${' '.repeat(padding)}`;
          const parts: BearerRequestParts = { rawHeaders: ['Authorization', value], query: {}, body: undefined };

          expect(extractBearerToken(parts)).toBe(token);
        },
      ),
    );
  });

  it('rejects every request with two Authorization headers', () => {
    fc.assert(
      fc.property(fc.mixedCase(fc.constant('authorization')), headerValue, fc.mixedCase(fc.constant('authorization')), headerValue, (nameA, valueA, nameB, valueB) => {
        const parts: BearerRequestParts = { rawHeaders: [nameA, valueA, 'Host', 'api', nameB, valueB], query: {}, body: {} };

        expect(() => extractBearerToken(parts)).toThrow(InvalidRequestError);
      }),
    );
  });

  it('rejects every request with an access_token in the query or the body', () => {
    fc.assert(
      fc.property(rawHeaders, fc.anything(), fc.boolean(), (headers, value, inQuery) => {
        const field = { access_token: value };
        const parts: BearerRequestParts = { rawHeaders: headers, query: inQuery ? field : {}, body: inQuery ? undefined : field };

        let error: unknown;
        try {
          extractBearerToken(parts);
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect((error as InvalidRequestError).code).toBe('ERR_TOKEN_IN_QUERY_OR_BODY');
      }),
    );
  });

  it('never puts header values into error texts', () => {
    fc.assert(
      fc.property(b64token, fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), (token, junk) => {
        const marker = `MARK${token}`;
        const parts: BearerRequestParts = { rawHeaders: ['Authorization', `Bearer ${marker}${junk} x`], query: {}, body: undefined };

        try {
          extractBearerToken(parts);
        } catch (error) {
          expect((error as Error).message).not.toContain(marker);
          expect((error as MissingTokenError | InvalidRequestError).description).not.toContain(marker);
        }
      }),
    );
  });
});
