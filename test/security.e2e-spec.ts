import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { InvalidTokenError, JwksKeyStore, TokenVerifier } from '@cobee/auth';
import { DevIssuer, RingKey, SigningKeyRing, toPublicJwk } from '@cobee/auth/testing';
import { DemoAppHarness, startDemoApp, ADAPTERS } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';
import {
  HmacAlgorithm,
  publicKeyForms,
  readPayload,
  replacePayload,
  rsaSignature,
  segment,
  signJsonTexts,
  signWithHmac,
  signWithRsa,
} from './support/token-forgery';

const { acmeIberia, soloFoods } = DEMO_IDS.companies;
const NAMESPACE = 'https://auth.cobee.io/metadata';
const CLIENT = 'demo-acme-iberia';
const ROUTE = `/companies/${acmeIberia}/employees`;

const REALM = 'Bearer realm="api"';
const MALFORMED = 'The access token is malformed';
const TOO_LARGE = 'The access token is too large';
const ENCRYPTED = 'Encrypted access tokens are not accepted';
const ALG_NOT_ALLOWED = 'The access token algorithm is not allowed';
const HEADER_INVALID = 'The access token header is invalid';
const EXPIRED = 'The access token expired';
const NOT_YET_VALID = 'The access token is not valid yet';
const UNKNOWN_KEY = 'The access token was signed with an unknown key';
const SIGNATURE_INVALID = 'The access token signature is invalid';
const HEADER_SYNTAX = 'The Authorization header must be "Bearer" followed by one token';
const REPEATED_HEADER = 'Send exactly one Authorization header';
const TOKEN_OUTSIDE_HEADER = 'Send the access token in the Authorization header only';

function claimInvalid(claim: string): string {
  return `The access token claim '${claim}' is invalid`;
}

/** The expected rejection: status, the exact `WWW-Authenticate` value and the body message. */
interface Rejection {
  readonly status: number;
  readonly challenge: string;
  readonly message: string;
}

/** Quoting drops `"` and `\` from challenge values, as `bearerChallenge` does. */
function challengeValue(text: string): string {
  return text.replace(/["\\]/g, '');
}

function invalidToken(description: string): Rejection {
  return {
    status: 401,
    challenge: `${REALM}, error="invalid_token", error_description="${challengeValue(description)}"`,
    message: description,
  };
}

function invalidRequest(description: string): Rejection {
  return {
    status: 400,
    challenge: `${REALM}, error="invalid_request", error_description="${challengeValue(description)}"`,
    message: description,
  };
}

const MISSING_TOKEN: Rejection = { status: 401, challenge: REALM, message: 'An access token is required' };

/**
 * Sends one Authorization header line per value. superagent hands an array to Node's
 * `setHeader`, which writes each item as its own header line. The cast is needed because
 * superagent's typings allow arrays only for `Cookie`.
 */
function withRepeatedAuthorization(test: request.Test, values: string[]): request.Test {
  return test.set('Authorization', values as unknown as string);
}

/** Parts of a token long enough that finding them in a log or a response cannot be chance. */
function tokenFragments(token: string): string[] {
  return [token, ...token.split('.')].filter((part) => part.length >= 12);
}

describe.each(ADAPTERS)('token validation under attack on %s (e2e)', (adapter) => {
  let harness: DemoAppHarness;
  let issuer: DevIssuer;
  let activeKey: RingKey;
  const prototypeKeysBefore = Object.getOwnPropertyNames(Object.prototype).sort();
  // The app and the issuer share a fixed clock on a whole second, so time-claim edges are exact.
  const nowSeconds = Math.floor(Date.now() / 1000);
  const clock = (): number => nowSeconds * 1000;

  beforeAll(async () => {
    harness = await startDemoApp({ adapter, auth: { clock }, issuer: { clock } });
    issuer = harness.issuer;
    activeKey = issuer.keys.activeKey;
  });

  afterAll(async () => {
    await harness.close();
  });

  afterEach(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeysBefore);
    expect(({} as Record<string, unknown>).companyId).toBeUndefined();
  });

  function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return harness.tokenBuilder(CLIENT).withClaims(overrides).payload as Record<string, unknown>;
  }

  function header(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { alg: 'RS256', typ: 'JWT', kid: activeKey.kid, ...overrides };
  }

  /** Signs with the issuer's real key, so only the library's claim and header checks can reject. */
  function signed(payload: Record<string, unknown>, headerOverrides: Record<string, unknown> = {}): string {
    return signWithRsa(header(headerOverrides), payload, activeKey, 'RS256');
  }

  function withCompany(companyId: unknown): Record<string, unknown> {
    return claims({ [NAMESPACE]: { companyId } });
  }

  /**
   * Asserts a rejection and everything that must hold for every rejection: the status and
   * challenge, no 5xx, a body with the generic description, and no token text in the
   * response headers, the body or any log line.
   */
  function expectRejection(response: request.Response, expected: Rejection, token: string | undefined): void {
    expect(response.status).toBe(expected.status);
    expect(response.status).toBeLessThan(500);
    expect(response.headers['www-authenticate']).toBe(expected.challenge);
    expect(response.body.message).toBe(expected.message);
    if (token !== undefined) {
      const responseText = `${JSON.stringify(response.headers)}\n${response.text}`;
      for (const fragment of tokenFragments(token)) {
        expect(responseText).not.toContain(fragment);
        expect(harness.logger.text).not.toContain(fragment);
      }
    }
  }

  async function sendBearer(token: string, route = ROUTE): Promise<request.Response> {
    return harness.http().get(route).set('Authorization', `Bearer ${token}`);
  }

  /** Sends a token that must be rejected before any key lookup, and checks that no key-set fetch happened. */
  async function expectRejectedWithoutKeyLookup(token: string, expected: Rejection): Promise<void> {
    const fetchesBefore = issuer.jwksRequestCount;

    const response = await sendBearer(token);

    expectRejection(response, expected, token);
    expect(issuer.jwksRequestCount).toBe(fetchesBefore);
  }

  describe('controls', () => {
    it('valid token reaches company A', async () => {
      const response = await sendBearer(harness.tokenFor(CLIENT));

      expect(response.status).toBe(200);
    });

    it('token signed by this suite is accepted', async () => {
      const response = await sendBearer(signed(claims()));

      expect(response.status).toBe(200);
    });

    it.each(['bearer', 'BEARER', 'bEaReR'])('scheme %s is accepted', async (scheme) => {
      const response = await harness.http().get(ROUTE).set('Authorization', `${scheme} ${harness.tokenFor(CLIENT)}`);

      expect(response.status).toBe(200);
    });

    it.each(['JWT', 'jwt', 'at+jwt', 'application/at+jwt'])('typ %s is accepted', async (typ) => {
      const response = await sendBearer(signed(claims(), { typ }));

      expect(response.status).toBe(200);
    });

    it('token without typ is accepted', async () => {
      const response = await sendBearer(signed(claims(), { typ: undefined }));

      expect(response.status).toBe(200);
    });
  });

  describe('transport', () => {
    const cases: Array<[string, (token: string) => request.Test, Rejection]> = [
      ['no Authorization header', () => harness.http().get(ROUTE), MISSING_TOKEN],
      ['empty Authorization header', () => harness.http().get(ROUTE).set('Authorization', ''), MISSING_TOKEN],
      ['Basic scheme', () => harness.http().get(ROUTE).set('Authorization', 'Basic ZGVtbzpzZWNyZXQ='), MISSING_TOKEN],
      ['DPoP scheme', (token) => harness.http().get(ROUTE).set('Authorization', `DPoP ${token}`), MISSING_TOKEN],
      ['scheme without token', () => harness.http().get(ROUTE).set('Authorization', 'Bearer'), invalidRequest(HEADER_SYNTAX)],
      ['two tokens in one header', (token) => harness.http().get(ROUTE).set('Authorization', `Bearer ${token} ${token}`), invalidRequest(HEADER_SYNTAX)],
      ['comma-joined credentials', (token) => harness.http().get(ROUTE).set('Authorization', `Bearer ${token}, Bearer ${token}`), invalidRequest(HEADER_SYNTAX)],
      ['tab after the scheme', (token) => harness.http().get(ROUTE).set('Authorization', `Bearer\t${token}`), invalidRequest(HEADER_SYNTAX)],
      ['quoted token', (token) => harness.http().get(ROUTE).set('Authorization', `Bearer "${token}"`), invalidRequest(HEADER_SYNTAX)],
      ['padding inside the token', (token) => harness.http().get(ROUTE).set('Authorization', `Bearer ${token.replace('.', '=.')}`), invalidRequest(HEADER_SYNTAX)],
      ['Latin-1 byte in the token', (token) => harness.http().get(ROUTE).set('Authorization', `Bearer ${token}\u00ff`), invalidRequest(HEADER_SYNTAX)],
      ['two Authorization headers', (token) => withRepeatedAuthorization(harness.http().get(ROUTE), [`Bearer ${token}`, `Bearer ${token}`]), invalidRequest(REPEATED_HEADER)],
      ['valid and empty Authorization headers', (token) => withRepeatedAuthorization(harness.http().get(ROUTE), [`Bearer ${token}`, '']), invalidRequest(REPEATED_HEADER)],
      ['token in the query string only', (token) => harness.http().get(ROUTE).query({ access_token: token }), invalidRequest(TOKEN_OUTSIDE_HEADER)],
      ['token in the query string and the header', (token) => harness.http().get(ROUTE).query({ access_token: token }).set('Authorization', `Bearer ${token}`), invalidRequest(TOKEN_OUTSIDE_HEADER)],
      ['token in a JSON body and the header', (token) => harness.http().post(ROUTE).set('Authorization', `Bearer ${token}`).send({ access_token: token }), invalidRequest(TOKEN_OUTSIDE_HEADER)],
      ['token in a form body only', (token) => harness.http().post(ROUTE).type('form').send({ access_token: token }), invalidRequest(TOKEN_OUTSIDE_HEADER)],
      ['token in a form body and the query string', (token) => harness.http().post(ROUTE).query({ access_token: token }).type('form').send({ access_token: token }), invalidRequest(TOKEN_OUTSIDE_HEADER)],
    ];

    it.each(cases)('%s is rejected', async (_name, send, expected) => {
      const token = harness.tokenFor(CLIENT);

      const response = await send(token);

      expectRejection(response, expected, token);
    });

    it('oversized token is rejected before decoding', async () => {
      const token = `${'e'.repeat(8193)}`;

      expectRejection(await sendBearer(token), invalidToken(TOO_LARGE), token);
    });

    it('token just over the default size limit is rejected', async () => {
      const base = claims();
      const filler = 'x'.repeat(8192);
      const token = signed({ ...base, filler });

      expectRejection(await sendBearer(token), invalidToken(TOO_LARGE), token);
    });

    it('Authorization header over the HTTP header limit is not a 5xx', async () => {
      const response = await harness.http().get(ROUTE).set('Authorization', `Bearer ${'a'.repeat(20_000)}`);

      // Node's HTTP parser answers before the application sees the request.
      expect(response.status).toBe(431);
      expect(response.headers['www-authenticate']).toBeUndefined();
    });
  });

  describe('structure', () => {
    const structureCases: Array<[string, () => string, string]> = [
      ['plain text', () => 'not-a-jwt-at-all', MALFORMED],
      ['two segments', () => harness.tokenFor(CLIENT).split('.').slice(0, 2).join('.'), MALFORMED],
      ['four segments', () => `${harness.tokenFor(CLIENT)}.c2ln`, MALFORMED],
      ['six segments', () => `${harness.tokenFor(CLIENT)}.a.b.c`, MALFORMED],
      ['empty segments', () => '..', MALFORMED],
      ['padded signature', () => `${harness.tokenFor(CLIENT)}==`, MALFORMED],
      ['standard base64 alphabet', () => harness.tokenFor(CLIENT).replace(/-/g, '+').replace(/_/g, '/').replace(/^(.)/, '+'), MALFORMED],
      ['header that is a JSON array', () => signJsonTexts('["RS256"]', JSON.stringify(claims()), activeKey), MALFORMED],
      ['header that is a JSON string', () => signJsonTexts('"{\\"alg\\":\\"RS256\\"}"', JSON.stringify(claims()), activeKey), MALFORMED],
      ['payload that is a JSON array', () => signJsonTexts(JSON.stringify(header()), '[]', activeKey), MALFORMED],
      ['payload that is JSON text of an object', () => signJsonTexts(JSON.stringify(header()), JSON.stringify(JSON.stringify(claims())), activeKey), MALFORMED],
      ['payload that is not JSON', () => signJsonTexts(JSON.stringify(header()), 'iss=https://issuer/', activeKey), MALFORMED],
      ['payload that is not UTF-8', () => `${segment(JSON.stringify(header()))}.${segment(Buffer.from([0x7b, 0xff, 0x7d]))}.c2lnbmF0dXJl`, MALFORMED],
      ['duplicate alg in the header', () => signJsonTexts(`{"alg":"none","kid":"${activeKey.kid}","alg":"RS256"}`, JSON.stringify(claims()), activeKey), MALFORMED],
      ['duplicate kid in the header', () => signJsonTexts(`{"alg":"RS256","kid":"other","kid":"${activeKey.kid}"}`, JSON.stringify(claims()), activeKey), MALFORMED],
      ['duplicate iss in the payload', () => signJsonTexts(JSON.stringify(header()), JSON.stringify(claims()).replace('{', '{"iss":"https://evil.example/",'), activeKey), MALFORMED],
      ['duplicate companyId in the company claim', () => signJsonTexts(JSON.stringify(header()), JSON.stringify(claims()).replace(`"companyId":"${acmeIberia}"`, `"companyId":"${soloFoods}","companyId":"${acmeIberia}"`), activeKey), MALFORMED],
      ['escaped duplicate of the company claim', () => signJsonTexts(JSON.stringify(header()), JSON.stringify(claims()).replace('{', `{"https:\\/\\/auth.cobee.io\\/metadata":{"companyId":"${soloFoods}"},`), activeKey), MALFORMED],
      ['nesting past the depth limit', () => signed(claims({ extra: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) })), MALFORMED],
      ['five segments (JWE)', () => `${segment('{"alg":"RSA-OAEP","enc":"A256GCM"}')}.ZW5jcnlwdGVkLWtleQ.aXY.Y2lwaGVydGV4dA.dGFn`, ENCRYPTED],
      ['five segments with a signed JWS inside', () => `${harness.tokenFor(CLIENT)}.aXY.dGFn`, ENCRYPTED],
    ];

    it.each(structureCases)('%s is rejected', async (_name, makeToken, description) => {
      await expectRejectedWithoutKeyLookup(makeToken(), invalidToken(description));
    });
  });

  describe('alg none', () => {
    const spellings = ['none', 'None', 'NONE', 'nOnE', 'none ', ' none', 'none\u0000', ''];

    it.each(spellings.map((alg) => [JSON.stringify(alg), alg]))('alg %s without a signature is rejected', async (_label, alg) => {
      const token = harness.tokenBuilder(CLIENT).buildUnsigned(alg);

      await expectRejectedWithoutKeyLookup(token, invalidToken(MALFORMED));
    });

    it.each(spellings.map((alg) => [JSON.stringify(alg), alg]))('alg %s with junk signature is rejected', async (_label, alg) => {
      const token = harness.tokenBuilder(CLIENT).buildUnsigned(alg, 'c2lnbmF0dXJl');

      await expectRejectedWithoutKeyLookup(token, invalidToken(ALG_NOT_ALLOWED));
    });

    it.each(spellings.map((alg) => [JSON.stringify(alg), alg]))('alg %s with a real RS256 signature is rejected', async (_label, alg) => {
      const signingInput = `${segment(JSON.stringify(header({ alg })))}.${segment(JSON.stringify(claims()))}`;
      const token = `${signingInput}.${rsaSignature('RS256', signingInput, activeKey.privateKey)}`;

      await expectRejectedWithoutKeyLookup(token, invalidToken(ALG_NOT_ALLOWED));
    });

    it.each([
      ['missing alg', { alg: undefined }],
      ['alg null', { alg: null }],
      ['alg as a list', { alg: ['RS256'] }],
      ['alg as an object', { alg: { name: 'RS256' } }],
    ])('%s is rejected', async (_name, overrides) => {
      const token = signJsonTexts(JSON.stringify(header(overrides)), JSON.stringify(claims()), activeKey);

      await expectRejectedWithoutKeyLookup(token, invalidToken(ALG_NOT_ALLOWED));
    });
  });

  describe('algorithms outside the allow-list', () => {
    it.each(['RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const)('%s signed with the real key is rejected', async (alg) => {
      const token = signWithRsa(header(), claims(), activeKey, alg);

      await expectRejectedWithoutKeyLookup(token, invalidToken(ALG_NOT_ALLOWED));
    });

    it.each(['rs256', 'RS256 ', 'ES256', 'EdDSA'])('alg %p is rejected', async (alg) => {
      const token = signJsonTexts(JSON.stringify(header({ alg })), JSON.stringify(claims()), activeKey);

      await expectRejectedWithoutKeyLookup(token, invalidToken(ALG_NOT_ALLOWED));
    });

    it('RS256 header over a signature from an unpublished key is rejected', async () => {
      const stranger = SigningKeyRing.generateKey(activeKey.kid);
      const token = signWithRsa(header(), claims(), stranger, 'RS256');

      expectRejection(await sendBearer(token), invalidToken(SIGNATURE_INVALID), token);
    });
  });

  describe('HMAC key confusion', () => {
    const algorithms: HmacAlgorithm[] = ['HS256', 'HS384', 'HS512'];
    const formNames = ['SPKI PEM', 'PKCS#1 PEM', 'JWK JSON', 'SPKI DER', 'PKCS#1 DER'];
    const cases = algorithms.flatMap((alg) => formNames.map((form) => [alg, form] as const));

    it.each(cases)('%s signed with the public key as %s is rejected', async (alg, form) => {
      const secret = publicKeyForms(activeKey)[form];
      const token = signWithHmac(header(), claims(), alg, secret);

      await expectRejectedWithoutKeyLookup(token, invalidToken(ALG_NOT_ALLOWED));
    });

    it.each(algorithms)('%s signed with the published JWK text is rejected', async (alg) => {
      const keySet = (await (await fetch(issuer.jwksUri)).json()) as { keys: unknown[] };
      const published = JSON.stringify(keySet.keys[0]);
      const token = signWithHmac(header(), claims(), alg, published);

      await expectRejectedWithoutKeyLookup(token, invalidToken(ALG_NOT_ALLOWED));
    });

    it.each(algorithms)('%s without a kid is rejected', async (alg) => {
      const token = signWithHmac(header({ kid: undefined }), claims(), alg, publicKeyForms(activeKey)['SPKI PEM']);

      await expectRejectedWithoutKeyLookup(token, invalidToken(ALG_NOT_ALLOWED));
    });
  });

  describe('key-selection headers', () => {
    let trap: Server;
    let trapRequests = 0;
    let trapUrl = '';
    const attacker = SigningKeyRing.generateKey('attacker-key');

    beforeAll(async () => {
      // A key server the attacker controls. The library must never contact it.
      trap = createServer((_request, response) => {
        trapRequests++;
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: [toPublicJwk(attacker)] }));
      });
      await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
      trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/jwks.json`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => trap.close(() => resolve()));
    });

    const attackerJwk = (): Record<string, unknown> => ({ ...toPublicJwk(attacker) });

    // Each case names who signs: the attacker's own key, or the issuer's real key to show
    // that the parameter alone is enough for a rejection.
    const cases: Array<[string, () => Record<string, unknown>, 'attacker' | 'issuer']> = [
      ['jku to an attacker key set', () => ({ jku: trapUrl, kid: attacker.kid }), 'attacker'],
      ['jku with the real kid', () => ({ jku: trapUrl }), 'issuer'],
      ['x5u to an attacker URL', () => ({ x5u: trapUrl, kid: attacker.kid }), 'attacker'],
      ['embedded jwk of the attacker', () => ({ jwk: attackerJwk(), kid: attacker.kid }), 'attacker'],
      ['embedded jwk without kid', () => ({ jwk: attackerJwk(), kid: undefined }), 'attacker'],
      ['x5c chain', () => ({ x5c: [publicKeyForms(attacker)['SPKI DER'].toString('base64')], kid: attacker.kid }), 'attacker'],
      ['crit with a registered name', () => ({ crit: ['exp'], exp: 1 }), 'issuer'],
      ['crit with an unknown extension', () => ({ crit: ['urn:example:ext'], 'urn:example:ext': true }), 'issuer'],
      ['empty crit', () => ({ crit: [] }), 'issuer'],
      ['b64 false', () => ({ b64: false, crit: ['b64'] }), 'issuer'],
      ['zip', () => ({ zip: 'DEF' }), 'issuer'],
      ['enc', () => ({ enc: 'A256GCM' }), 'issuer'],
    ];

    it.each(cases)('%s is rejected and never fetched', async (_name, overrides, signer) => {
      const token = signWithRsa(header(overrides()), claims(), signer === 'attacker' ? attacker : activeKey, 'RS256');

      await expectRejectedWithoutKeyLookup(token, invalidToken(HEADER_INVALID));
      expect(trapRequests).toBe(0);
    });

    const kidCases: Array<[string, unknown]> = [
      ['number', 1],
      ['object', { kid: 'key-1' }],
      ['list', ['key']],
      ['null', null],
      ['empty string', ''],
      ['boolean', true],
      ['200 characters', 'k'.repeat(200)],
      ['string with a newline', 'key\nINFO forged log line'],
    ];

    it.each(kidCases)('kid as %s is rejected', async (_name, kid) => {
      const token = signed(claims(), { kid });

      await expectRejectedWithoutKeyLookup(token, invalidToken(HEADER_INVALID));
    });

    it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '../../../../dev/null'])(
      'kid %s finds no key',
      async (kid) => {
        const token = signed(claims(), { kid });

        expectRejection(await sendBearer(token), invalidToken(UNKNOWN_KEY), token);
      },
    );
  });

  describe('claim tampering', () => {
    it.each([
      ['company swapped to another company', { [NAMESPACE]: { companyId: soloFoods } }],
      ['corporation added', { [NAMESPACE]: { companyId: acmeIberia, corporationId: DEMO_IDS.corporations.acmeGroup } }],
      ['scope widened', { scope: 'read:companies read:employees write:employees admin' }],
      ['exp extended', { exp: 253_402_300_799 }],
      ['client id changed', { azp: 'demo-solo-foods', sub: 'demo-solo-foods@clients' }],
    ])('%s after signing breaks the signature', async (_name, overrides) => {
      const original = harness.tokenFor(CLIENT);
      const token = replacePayload(original, { ...readPayload(original), ...overrides });

      expectRejection(await sendBearer(token), invalidToken(SIGNATURE_INVALID), token);
    });

    it('signature of another valid token is rejected', async () => {
      const mine = harness.tokenFor(CLIENT);
      const theirs = harness.tokenFor('demo-solo-foods');
      const token = `${theirs.split('.').slice(0, 2).join('.')}.${mine.split('.')[2]}`;

      expectRejection(await sendBearer(token, `/companies/${soloFoods}/employees`), invalidToken(SIGNATURE_INVALID), token);
    });

    it('truncated signature is rejected', async () => {
      // Four characters shorter, ending in "A" so that the encoding stays canonical.
      const token = `${harness.tokenFor(CLIENT).slice(0, -5)}A`;

      expectRejection(await sendBearer(token), invalidToken(SIGNATURE_INVALID), token);
    });

    it('non-canonical signature encoding is rejected', async () => {
      // RS256 signatures are 256 bytes, 342 base64url characters: the last one carries 4 unused
      // bits. Setting one of them spells the same bytes another way.
      const valid = harness.tokenFor(CLIENT);
      const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(valid[valid.length - 1]);
      const token = `${valid.slice(0, -1)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last | 1]}`;

      expectRejection(await sendBearer(token), invalidToken(MALFORMED), token);
    });

    const cases: Array<[string, () => Record<string, unknown>, string]> = [
      ['another issuer', () => ({ iss: 'https://evil.example/' }), 'iss'],
      ['issuer without the trailing slash', () => ({ iss: issuer.url.slice(0, -1) }), 'iss'],
      ['issuer with a suffix', () => ({ iss: `${issuer.url}evil` }), 'iss'],
      ['issuer in upper case', () => ({ iss: issuer.url.toUpperCase() }), 'iss'],
      ['another audience', () => ({ aud: 'https://other-api.example' }), 'aud'],
      ['audience list without ours', () => ({ aud: ['https://a.example', 'https://b.example'] }), 'aud'],
      ['audience with a trailing slash', () => ({ aud: `${harness.audience}/` }), 'aud'],
      ['grant type changed', () => ({ gty: 'client_credentials' }), 'gty'],
    ];

    it.each(cases)('%s is rejected', async (_name, overrides, claim) => {
      const token = signed(claims(overrides()));

      await expectRejectedWithoutKeyLookup(token, invalidToken(claimInvalid(claim)));
    });
  });

  describe('claim types', () => {
    const now = (): number => nowSeconds;
    const cases: Array<[string, () => Record<string, unknown>, string]> = [
      ['iss as a list', () => ({ iss: [issuer.url] }), 'iss'],
      ['iss as an object', () => ({ iss: { url: issuer.url } }), 'iss'],
      ['aud as a number', () => ({ aud: 1 }), 'aud'],
      ['aud as an object', () => ({ aud: { aud: harness.audience } }), 'aud'],
      ['aud as a nested list', () => ({ aud: [[harness.audience]] }), 'aud'],
      ['exp as a numeric string', () => ({ exp: String(now() + 3600) }), 'exp'],
      ['exp as an ISO date', () => ({ exp: new Date((nowSeconds + 3600) * 1000).toISOString() }), 'exp'],
      ['exp as a list', () => ({ exp: [now() + 3600] }), 'exp'],
      ['exp in milliseconds', () => ({ exp: (now() + 3600) * 1000 }), 'exp'],
      ['exp past the year 9999', () => ({ exp: 1e20 }), 'exp'],
      ['exp negative', () => ({ exp: -1 }), 'exp'],
      ['exp as a boolean', () => ({ exp: true }), 'exp'],
      ['iat as a string', () => ({ iat: String(now()) }), 'iat'],
      ['iat null', () => ({ iat: null }), 'iat'],
      ['nbf as a string', () => ({ nbf: String(now()) }), 'nbf'],
      ['nbf null', () => ({ nbf: null }), 'nbf'],
      ['gty as a list', () => ({ gty: ['client-credentials'] }), 'gty'],
      ['sub as a number', () => ({ sub: 1 }), 'sub'],
      ['azp as an object', () => ({ azp: { id: CLIENT } }), 'azp'],
      ['scope as a list', () => ({ scope: ['read:employees'] }), 'scope'],
      ['permissions as a string', () => ({ permissions: 'read:employees' }), 'permissions'],
      ['permissions with a number', () => ({ permissions: ['read:employees', 1] }), 'permissions'],
    ];

    it.each(cases)('%s is rejected', async (_name, overrides, claim) => {
      const token = signed(claims(overrides()));

      await expectRejectedWithoutKeyLookup(token, invalidToken(claimInvalid(claim)));
    });
  });

  describe('company claim', () => {
    const routes = [ROUTE, `/companies/${acmeIberia}`, '/companies'];
    const companyIds: Array<[string, () => unknown]> = [
      ['number 123', () => 123],
      ['a list with company A', () => [acmeIberia]],
      ['an object with company A', () => ({ id: acmeIberia })],
      ['an empty string', () => ''],
      ['JSON text of an object', () => JSON.stringify({ id: acmeIberia })],
      ['null', () => null],
      ['true', () => true],
      ['company A in braces', () => `{${acmeIberia}}`],
      ['company A with a trailing space', () => `${acmeIberia} `],
      ['company A with a urn prefix', () => `urn:uuid:${acmeIberia}`],
      ['company A with a Cyrillic letter', () => acmeIberia.replace('e', '\u0435')],
    ];
    const cases = companyIds.flatMap(([name, value]) => routes.map((route) => [name, route, value] as const));

    it.each(cases)('companyId as %s is rejected on %s', async (_name, route, value) => {
      const token = signed(withCompany(value()));

      const response = await sendBearer(token, route);

      expectRejection(response, invalidToken(claimInvalid(NAMESPACE)), token);
    });

    it('upper-case company A is accepted as company A', async () => {
      const response = await sendBearer(signed(withCompany(acmeIberia.toUpperCase())));

      expect(response.status).toBe(200);
    });

    it.each([
      ['missing', () => claims({ [NAMESPACE]: undefined })],
      ['a string', () => claims({ [NAMESPACE]: acmeIberia })],
      ['JSON text of the object', () => claims({ [NAMESPACE]: JSON.stringify({ companyId: acmeIberia }) })],
      ['a list', () => claims({ [NAMESPACE]: [{ companyId: acmeIberia }] })],
      ['corporationId null', () => claims({ [NAMESPACE]: { companyId: acmeIberia, corporationId: null } })],
      ['corporationId not a UUID', () => claims({ [NAMESPACE]: { companyId: acmeIberia, corporationId: 'acme-group' } })],
    ])('company claim %s is rejected', async (_name, payload) => {
      const token = signed(payload());

      await expectRejectedWithoutKeyLookup(token, invalidToken(claimInvalid(NAMESPACE)));
    });

    it.each([
      ['with a trailing slash', `${NAMESPACE}/`],
      ['with http', NAMESPACE.replace('https:', 'http:')],
      ['in upper case', NAMESPACE.toUpperCase()],
      ['with a Cyrillic a', NAMESPACE.replace('a', '\u0430')],
      ['with a fullwidth slash', NAMESPACE.replace('/metadata', '\uff0fmetadata')],
      ['without the scheme', 'auth.cobee.io/metadata'],
      ['as a bare name', 'metadata'],
      ['as top-level fields', 'companyId'],
    ])('look-alike namespace %s is rejected', async (_name, lookAlike) => {
      const value = lookAlike === 'companyId' ? acmeIberia : { companyId: acmeIberia };
      const token = signed(claims({ [NAMESPACE]: undefined, [lookAlike]: value }));

      await expectRejectedWithoutKeyLookup(token, invalidToken(claimInvalid(NAMESPACE)));
    });

    it('look-alike namespace never overrides the real one', async () => {
      const token = signed(claims({ [`${NAMESPACE}/`]: { companyId: soloFoods } }));

      const own = await sendBearer(token);
      const other = await sendBearer(token, `/companies/${soloFoods}/employees`);

      expect(own.status).toBe(200);
      expect(other.status).toBe(403);
      expect(other.headers['www-authenticate']).toBeUndefined();
    });
  });

  describe('prototype-pollution-shaped claims', () => {
    const payloadText = (): string => JSON.stringify(claims({ [NAMESPACE]: undefined }));
    const withMember = (member: string): string => payloadText().replace('{', `{${member},`);

    const cases: Array<[string, () => string]> = [
      ['__proto__ carrying the company claim', () => withMember(`"__proto__":{"${NAMESPACE}":{"companyId":"${acmeIberia}"}}`)],
      ['__proto__ inside the company claim', () => withMember(`"${NAMESPACE}":{"__proto__":{"companyId":"${acmeIberia}"}}`)],
      ['constructor.prototype carrying companyId', () => withMember(`"${NAMESPACE}":{"companyId":"${acmeIberia}","constructor":{"prototype":{"corporationId":"${DEMO_IDS.corporations.acmeGroup}"}}}`)],
      ['__proto__ in a nested claim', () => withMember(`"${NAMESPACE}":{"companyId":"${acmeIberia}"},"extra":{"a":[{"__proto__":{"isAdmin":true}}]}`)],
      ['escaped __proto__ member', () => withMember(`"${NAMESPACE}":{"companyId":"${acmeIberia}"},"\\u005f_proto__":{"scope":"admin"}`)],
      ['prototype at top level', () => withMember(`"${NAMESPACE}":{"companyId":"${acmeIberia}"},"prototype":{"companyId":"${soloFoods}"}`)],
    ];

    it.each(cases)('%s is rejected', async (_name, makePayload) => {
      const token = signJsonTexts(JSON.stringify(header()), makePayload(), activeKey);

      await expectRejectedWithoutKeyLookup(token, invalidToken(MALFORMED));
    });

    it('__proto__ in the header is rejected', async () => {
      const token = signJsonTexts(`{"alg":"RS256","__proto__":{"kid":"${activeKey.kid}"}}`, JSON.stringify(claims()), activeKey);

      await expectRejectedWithoutKeyLookup(token, invalidToken(MALFORMED));
    });
  });

  describe('time claims', () => {
    const now = (): number => nowSeconds;

    it.each([
      ['expired an hour ago', () => ({ iat: now() - 7200, exp: now() - 3600 }), invalidToken(EXPIRED)],
      ['expired at the tolerance edge', () => ({ iat: now() - 7200, exp: now() - 5 }), invalidToken(EXPIRED)],
      ['not valid for ten minutes', () => ({ nbf: now() + 600 }), invalidToken(NOT_YET_VALID)],
      ['valid one second past the tolerance', () => ({ nbf: now() + 6 }), invalidToken(NOT_YET_VALID)],
      ['issued in the future', () => ({ iat: now() + 120, exp: now() + 3720 }), invalidToken(claimInvalid('iat'))],
      ['issued one second past the tolerance', () => ({ iat: now() + 6, exp: now() + 3600 }), invalidToken(claimInvalid('iat'))],
      ['expiring before it was issued', () => ({ iat: now(), exp: now() - 1 }), invalidToken(claimInvalid('exp'))],
      ['without exp', () => ({ exp: undefined }), invalidToken(claimInvalid('exp'))],
      ['without iat', () => ({ iat: undefined }), invalidToken(claimInvalid('iat'))],
    ])('token %s is rejected', async (_name, overrides, expected) => {
      const token = signed(claims(overrides()));

      await expectRejectedWithoutKeyLookup(token, expected);
    });

    it.each([
      ['expired one second inside the tolerance', () => ({ iat: now() - 60, exp: now() - 4 })],
      ['issued at the tolerance edge', () => ({ iat: now() + 5, exp: now() + 3600 })],
      ['valid from the tolerance edge', () => ({ nbf: now() + 5 })],
    ])('token %s is accepted', async (_name, overrides) => {
      const response = await sendBearer(signed(claims(overrides())));

      expect(response.status).toBe(200);
    });
  });

  describe('other token types from the same issuer', () => {
    it.each([
      [
        'ID token',
        () => signed({ iss: issuer.url, sub: 'auth0|user-1', aud: CLIENT, iat: nowSeconds, exp: nowSeconds + 3600, nonce: 'n-0S6_WzA2Mj', [NAMESPACE]: { companyId: acmeIberia } }),
        'aud',
      ],
      ['Management API token', () => signed(claims({ aud: `${issuer.url}api/v2/`, scope: 'read:users' })), 'aud'],
      ['user token from the password grant', () => signed(claims({ gty: 'password', sub: 'auth0|user-1' })), 'gty'],
      ['user token from the authorization code flow', () => signed(claims({ gty: undefined, sub: 'auth0|user-1', aud: [harness.audience, `${issuer.url}userinfo`] })), 'gty'],
      ['user token from a refresh token', () => signed(claims({ gty: 'refresh_token', sub: 'auth0|user-1' })), 'gty'],
    ])('%s is rejected', async (_name, makeToken, claim) => {
      await expectRejectedWithoutKeyLookup(makeToken(), invalidToken(claimInvalid(claim)));
    });

    it.each(['dpop+jwt', 'logout+jwt', 'secevent+jwt', 'JWE', 'JOSE', 'id_token+jwt', 'application/dpop+jwt'])(
      'token with typ %s is rejected',
      async (typ) => {
        const token = signed(claims({ events: { 'http://schemas.openid.net/event/backchannel-logout': {} } }), { typ });

        await expectRejectedWithoutKeyLookup(token, invalidToken(HEADER_INVALID));
      },
    );
  });
});

describe.each(ADAPTERS)('token validation with non-default limits on %s (e2e)', (adapter) => {
  it('maxTokenAgeSeconds rejects an old token that has not expired', async () => {
    const harness = await startDemoApp({ adapter, auth: { maxTokenAgeSeconds: 300 } });
    try {
      const now = Math.floor(Date.now() / 1000);
      const old = harness.tokenBuilder(CLIENT).withClaims({ iat: now - 3600, exp: now + 3600 }).build();
      const fresh = harness.tokenBuilder(CLIENT).withClaims({ iat: now - 60, exp: now + 3600 }).build();

      const rejected = await harness.http().get(ROUTE).set('Authorization', `Bearer ${old}`);
      const accepted = await harness.http().get(ROUTE).set('Authorization', `Bearer ${fresh}`);

      expect(rejected.status).toBe(401);
      expect(rejected.headers['www-authenticate']).toBe(
        `${REALM}, error="invalid_token", error_description="The access token is too old"`,
      );
      expect(accepted.status).toBe(200);
    } finally {
      await harness.close();
    }
  });

  it('maxTokenBytes limits the token size', async () => {
    const harness = await startDemoApp({ adapter, auth: { maxTokenBytes: 1024 } });
    try {
      const token = harness.tokenBuilder(CLIENT).withClaims({ filler: 'x'.repeat(1024) }).build();

      const response = await harness.http().get(ROUTE).set('Authorization', `Bearer ${token}`);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(`${REALM}, error="invalid_token", error_description="${TOO_LARGE}"`);
    } finally {
      await harness.close();
    }
  });

  it('deeply nested claims under the largest size limit are rejected as malformed', async () => {
    const harness = await startDemoApp({ adapter, auth: { maxTokenBytes: 65_536 } });
    try {
      const depth = 20_000;
      const claimsText = JSON.stringify(harness.tokenBuilder(CLIENT).payload);
      const payloadText = claimsText.replace('{', `{"deep":${'['.repeat(depth)}${']'.repeat(depth)},`);
      // Unsigned: every check that runs before the signature must cope with the payload alone.
      const token = `${segment('{"alg":"RS256","typ":"JWT"}')}.${segment(payloadText)}.c2lnbmF0dXJl`;
      expect(token.length).toBeLessThanOrEqual(65_536);

      // Node's default 16 KB header limit answers 431 before the app runs, so the verifier
      // is called directly, as an application with a larger limit would reach it.
      const verification = harness.app.get(TokenVerifier).verify(token);

      await expect(verification).rejects.toBeInstanceOf(InvalidTokenError);
      await expect(verification).rejects.toMatchObject({ code: 'ERR_JWT_MALFORMED' });
      const overHttp = await harness.http().get(ROUTE).set('Authorization', `Bearer ${token}`);
      expect(overHttp.status).toBe(431);
    } finally {
      await harness.close();
    }
  });

  it('token without kid is rejected when the key set has two keys', async () => {
    const harness = await startDemoApp({ adapter });
    const issuer = harness.issuer;
    try {
      const single = harness.tokenBuilder(CLIENT).withHeader({ kid: undefined }).build();
      const acceptedWithOneKey = await harness.http().get(ROUTE).set('Authorization', `Bearer ${single}`);
      expect(acceptedWithOneKey.status).toBe(200);

      const second = issuer.keys.addKey();
      const withKid = harness.tokenBuilder(CLIENT).signedWith(second).build();
      await harness.app.get(JwksKeyStore).refresh();
      expect((await harness.http().get(ROUTE).set('Authorization', `Bearer ${withKid}`)).status).toBe(200);

      for (const key of [issuer.keys.all[0], second]) {
        const token = harness.tokenBuilder(CLIENT).signedWith(key).withHeader({ kid: undefined }).build();
        const response = await harness.http().get(ROUTE).set('Authorization', `Bearer ${token}`);

        expect(response.status).toBe(401);
        expect(response.headers['www-authenticate']).toBe(`${REALM}, error="invalid_token", error_description="${UNKNOWN_KEY}"`);
      }
    } finally {
      await harness.close();
    }
  });
});
