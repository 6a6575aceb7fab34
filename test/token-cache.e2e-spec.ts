import { TokenVerifier } from '@cobee/auth';
import { DevIssuer } from '@cobee/auth/testing';
import { DEFAULT_DEMO_AUDIENCE } from '../apps/demo-api/src/config/demo-environment';
import { DEMO_CLIENTS } from '../apps/demo-api/src/dev/demo-data';
import { DemoAppHarness, startDemoApp, TEST_CLIENT_SECRET, ADAPTERS } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';

const ROUTE = `/companies/${DEMO_IDS.companies.acmeIberia}/employees`;

describe.each(ADAPTERS)('verified-token cache on %s (e2e)', (adapter) => {
  let harness: DemoAppHarness;
  let now: number;

  const get = (token: string) => harness.http().get(ROUTE).auth(token, { type: 'bearer' });
  const cacheSize = () => harness.app.get(TokenVerifier).cachedTokenCount;
  const nowSeconds = () => Math.floor(now / 1000);

  afterEach(async () => {
    await harness.close();
  });

  async function start(auth: Record<string, unknown> = {}): Promise<void> {
    now = Date.now();
    harness = await startDemoApp({ adapter, auth: { clock: () => now, ...auth } });
    await harness.app.get(TokenVerifier).verify(harness.tokenFor('demo-acme-iberia'));
  }

  it('holds no more entries than its limit', async () => {
    await start({ verifiedTokenCacheSize: 3 });

    for (let index = 0; index < 10; index++) {
      const token = harness.tokenBuilder('demo-acme-iberia').withClaims({ jti: `token-${index}` }).build();
      expect((await get(token)).status).toBe(200);
    }

    expect(cacheSize()).toBe(3);
  });

  it('is off when its size is 0', async () => {
    await start({ verifiedTokenCacheSize: 0 });
    const token = harness.tokenFor('demo-acme-iberia');

    expect((await get(token)).status).toBe(200);
    expect((await get(token)).status).toBe(200);
    expect(cacheSize()).toBe(0);
  });

  it('entry expires with its token', async () => {
    await start();
    const token = harness.tokenBuilder('demo-acme-iberia').withClaims({ iat: nowSeconds(), exp: nowSeconds() + 30 }).build();
    expect((await get(token)).status).toBe(200);
    const sizeWhileValid = cacheSize();

    now += 36_000;
    const response = await get(token);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('The access token expired');
    expect(cacheSize()).toBe(sizeWhileValid - 1);
  });

  it('time claims are checked on every hit', async () => {
    await start({ maxTokenAgeSeconds: 60 });
    const token = harness.tokenBuilder('demo-acme-iberia').withClaims({ iat: nowSeconds() }).build();
    expect((await get(token)).status).toBe(200);

    now += 50_000;
    const young = await get(token);
    now += 20_000;
    const old = await get(token);

    expect(young.status).toBe(200);
    expect(old.status).toBe(401);
    expect(old.headers['www-authenticate']).toContain('The access token is too old');
  });

  it('entry stops working once its key leaves the key set', async () => {
    await start({ jwksCacheMaxAgeSeconds: 600 });
    const token = harness.tokenFor('demo-acme-iberia');
    expect((await get(token)).status).toBe(200);

    harness.issuer.keys.rotate();
    now += 300_000;
    const beforeMaxAge = await get(token);
    now += 301_000;
    const afterMaxAge = await get(token);

    expect(beforeMaxAge.status).toBe(200);
    expect(afterMaxAge.status).toBe(401);
    expect(afterMaxAge.headers['www-authenticate']).toContain('The access token was signed with an unknown key');
    expect((await get(harness.tokenFor('demo-acme-iberia'))).status).toBe(200);
  });

  it('entry survives a refetch that keeps its key', async () => {
    await start({ jwksCacheMaxAgeSeconds: 600 });
    const token = harness.tokenFor('demo-acme-iberia');
    expect((await get(token)).status).toBe(200);
    const fetchesBefore = harness.issuer.jwksRequestCount;

    now += 601_000;
    const response = await get(token);

    expect(response.status).toBe(200);
    expect(harness.issuer.jwksRequestCount).toBe(fetchesBefore + 1);
  });

  it('rejections are not cached', async () => {
    await start();
    const forged = harness.tokenBuilder('demo-acme-iberia').withClaims({ jti: 'forged' }).build().replace(/.{4}$/, 'AAAA');
    const sizeBefore = cacheSize();

    expect((await get(forged)).status).toBe(401);
    expect((await get(forged)).status).toBe(401);
    expect(cacheSize()).toBe(sizeBefore);
  });
});

describe.each(ADAPTERS)('verified-token cache across configurations on %s (e2e)', (adapter) => {
  it('two configurations never share an entry', async () => {
    const strict = await startDemoApp({ adapter, auth: { allowedGrantTypes: ['authorization_code'] } });
    const lenient = await startDemoApp({ adapter, existingIssuer: strict.issuer });
    try {
      const token = strict.tokenFor('demo-acme-iberia');

      const accepted = await lenient.http().get(ROUTE).auth(token, { type: 'bearer' });
      const rejected = await strict.http().get(ROUTE).auth(token, { type: 'bearer' });

      expect(accepted.status).toBe(200);
      expect(lenient.app.get(TokenVerifier).cachedTokenCount).toBeGreaterThan(0);
      expect(rejected.status).toBe(401);
      expect(rejected.headers['www-authenticate']).toContain("claim 'gty'");
    } finally {
      await lenient.close();
      await strict.close();
    }
  });

  it('a 503 is not cached: the token works once keys are back', async () => {
    const issuer = await DevIssuer.start({
      audiences: [DEFAULT_DEMO_AUDIENCE],
      clients: DEMO_CLIENTS.map((client) => ({ ...client, secret: TEST_CLIENT_SECRET })),
    });
    issuer.setJwksResponder((_request, response) => {
      response.writeHead(500).end();
      return true;
    });
    const harness = await startDemoApp({ adapter, existingIssuer: issuer, auth: { jwksRetryAfterFailureSeconds: 0 } });
    try {
      const token = harness.tokenFor('demo-acme-iberia');
      const during = await harness.http().get(ROUTE).auth(token, { type: 'bearer' });

      issuer.setJwksResponder(undefined);
      const after = await harness.http().get(ROUTE).auth(token, { type: 'bearer' });

      expect(during.status).toBe(503);
      expect(after.status).toBe(200);
    } finally {
      await harness.close();
      await issuer.stop();
    }
  });
});
