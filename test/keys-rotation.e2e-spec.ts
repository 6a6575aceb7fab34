import { SigningKeyRing } from '@cobee/auth/testing';
import { DemoAppHarness, startDemoApp, ADAPTERS } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';
import { TestClock } from './support/test-clock';

const { acmeIberia, soloFoods } = DEMO_IDS.companies;
const ROUTE = `/companies/${acmeIberia}/employees`;
const MAX_AGE_SECONDS = 600;
const COOLDOWN_SECONDS = 30;
const UNKNOWN_KEY_CHALLENGE =
  'Bearer realm="api", error="invalid_token", error_description="The access token was signed with an unknown key"';

describe.each(ADAPTERS)('key rotation on %s (e2e)', (adapter) => {
  let clock: TestClock;
  let harness: DemoAppHarness;

  beforeEach(async () => {
    clock = new TestClock();
    harness = await startDemoApp({
      adapter,
      auth: { clock: clock.now, jwksCacheMaxAgeSeconds: MAX_AGE_SECONDS, jwksCooldownSeconds: COOLDOWN_SECONDS },
      issuer: { clock: clock.now },
    });
    await harness.waitForKeySetWarmUp();
    expect(harness.issuer.jwksRequestCount).toBe(1);
  });

  afterEach(() => harness.close());

  function get(path: string, token: string) {
    return harness.http().get(path).set('Authorization', `Bearer ${token}`);
  }

  it('new kid causes one refetch and succeeds', async () => {
    const oldToken = harness.tokenFor('demo-acme-iberia');
    expect((await get(ROUTE, oldToken)).status).toBe(200);

    const added = harness.issuer.keys.addKey();
    clock.advanceSeconds(COOLDOWN_SECONDS);
    const newToken = harness.tokenFor('demo-acme-iberia');

    const first = await get(ROUTE, newToken);
    const second = await get(`/companies/${soloFoods}/employees`, harness.tokenFor('demo-solo-foods'));

    expect(JSON.parse(Buffer.from(newToken.split('.')[0], 'base64url').toString()).kid).toBe(added.kid);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect((await get(ROUTE, oldToken)).status).toBe(200);
    expect(harness.issuer.jwksRequestCount).toBe(2);
  });

  it('removed key stops validating after the maximum age', async () => {
    const oldToken = harness.tokenFor('demo-acme-iberia');
    expect((await get(ROUTE, oldToken)).status).toBe(200);
    harness.issuer.keys.rotate();
    const newToken = harness.tokenFor('demo-acme-iberia');

    clock.advanceSeconds(MAX_AGE_SECONDS - 1);
    expect((await get(ROUTE, oldToken)).status).toBe(200);
    expect(harness.issuer.jwksRequestCount).toBe(1);

    clock.advanceSeconds(1);
    const rejected = await get(ROUTE, oldToken);

    expect(rejected.status).toBe(401);
    expect(rejected.headers['www-authenticate']).toBe(UNKNOWN_KEY_CHALLENGE);
    expect(harness.issuer.jwksRequestCount).toBe(2);
    expect((await get(ROUTE, newToken)).status).toBe(200);
    expect(harness.issuer.jwksRequestCount).toBe(2);
  });

  it('new kid inside the cooldown gets 401 without a fetch', async () => {
    harness.issuer.keys.addKey();
    clock.advanceSeconds(COOLDOWN_SECONDS - 1);

    const response = await get(ROUTE, harness.tokenFor('demo-acme-iberia'));

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe(UNKNOWN_KEY_CHALLENGE);
    expect(harness.issuer.jwksRequestCount).toBe(1);
  });

  it('new kid is accepted once the cooldown has passed', async () => {
    harness.issuer.keys.addKey();
    clock.advanceSeconds(COOLDOWN_SECONDS - 1);
    expect((await get(ROUTE, harness.tokenFor('demo-acme-iberia'))).status).toBe(401);

    clock.advanceSeconds(1);

    expect((await get(ROUTE, harness.tokenFor('demo-acme-iberia'))).status).toBe(200);
    expect(harness.issuer.jwksRequestCount).toBe(2);
  });

  describe('checks that need no key', () => {
    const unpublished = SigningKeyRing.generateKey('unpublished-key');

    const cases: Array<[string, (harness: DemoAppHarness) => string]> = [
      ['foreign issuer', (h) => h.tokenBuilder('demo-acme-iberia').withClaims({ iss: 'https://other-tenant.example/' }).signedWith(unpublished).build()],
      ['wrong audience', (h) => h.tokenBuilder('demo-acme-iberia').withAudience('https://other-api.example').signedWith(unpublished).build()],
      ['expired token', (h) => h.tokenBuilder('demo-acme-iberia').expired().signedWith(unpublished).build()],
      ['disallowed algorithm', (h) => h.tokenBuilder('demo-acme-iberia').withHeader({ alg: 'RS512' }).signedWith(unpublished).build()],
      ['HS256 token', (h) => h.tokenBuilder('demo-acme-iberia').withHeader({ kid: 'unpublished-key' }).buildHmac('HS256', 'secret')],
      ['wrong grant type', (h) => h.tokenBuilder('demo-acme-iberia').withClaims({ gty: 'password' }).signedWith(unpublished).build()],
    ];

    it.each(cases)('%s causes no key-set fetch', async (_name, makeToken) => {
      clock.advanceSeconds(COOLDOWN_SECONDS);

      const response = await get(ROUTE, makeToken(harness));

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(response.headers['www-authenticate']).not.toContain('unknown key');
      expect(harness.keyStore.state().fetchCount).toBe(1);
      expect(harness.issuer.jwksRequestCount).toBe(1);
    });

    it('valid claims with an unknown kid do cause a fetch', async () => {
      clock.advanceSeconds(COOLDOWN_SECONDS);

      const response = await get(ROUTE, harness.tokenBuilder('demo-acme-iberia').signedWith(unpublished).build());

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(UNKNOWN_KEY_CHALLENGE);
      expect(harness.issuer.jwksRequestCount).toBe(2);
    });
  });
});
