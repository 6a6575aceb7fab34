import { ServerResponse } from 'node:http';
import { DevIssuer, JwksResponder, SigningKeyRing, toPublicJwk } from '@cobee/auth/testing';
import { DEFAULT_DEMO_AUDIENCE } from '../apps/demo-api/src/config/demo-environment';
import { DEMO_CLIENTS } from '../apps/demo-api/src/dev/demo-data';
import { DemoAppHarness, startDemoApp, TEST_CLIENT_SECRET, ADAPTERS } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';
import { countStatuses, sendBurst } from './support/http-burst';
import { TestClock } from './support/test-clock';

const ROUTE = `/companies/${DEMO_IDS.companies.acmeIberia}/employees`;
const MAX_AGE_SECONDS = 600;
const GRACE_SECONDS = 120;
const RETRY_AFTER_FAILURE_SECONDS = 1;

function sendJson(response: ServerResponse, status: number, body: string): true {
  response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  return true;
}

const outages: Array<[string, JwksResponder]> = [
  ['HTTP 500', (_request, response) => sendJson(response, 500, '{"error":"down"}')],
  ['HTTP 503', (_request, response) => sendJson(response, 503, '')],
  ['connection reset', (request) => Boolean(request.socket.destroy())],
  ['body that is not JSON', (_request, response) => sendJson(response, 200, '<html>maintenance</html>')],
];

describe.each(ADAPTERS)('key-server outage with a warm cache on %s (e2e)', (adapter) => {
  let clock: TestClock;
  let harness: DemoAppHarness;

  beforeEach(async () => {
    clock = new TestClock();
    harness = await startDemoApp({
      adapter,
      listen: true,
      auth: {
        clock: clock.now,
        jwksCacheMaxAgeSeconds: MAX_AGE_SECONDS,
        jwksStaleGraceSeconds: GRACE_SECONDS,
        jwksRetryAfterFailureSeconds: RETRY_AFTER_FAILURE_SECONDS,
        jwksRequestTimeoutMs: 1000,
      },
      issuer: { clock: clock.now },
    });
    await harness.waitForKeySetWarmUp();
  });

  afterEach(() => harness.close());

  function get(path: string, token: string) {
    return harness.http().get(path).set('Authorization', `Bearer ${token}`);
  }

  function staleWarnings(): string[] {
    return harness.logger.at('warn').filter((line) => line.includes('using a stale key'));
  }

  it.each(outages)('%s: cached keys validate during the grace period', async (_name, responder) => {
    const token = harness.tokenFor('demo-acme-iberia');
    harness.issuer.setJwksResponder(responder);
    clock.advanceSeconds(MAX_AGE_SECONDS);

    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) {
      statuses.push((await get(ROUTE, token)).status);
      clock.advanceSeconds(GRACE_SECONDS / 4);
    }

    expect(statuses).toEqual([200, 200, 200]);
    expect(harness.keyStore.state()).toMatchObject({ status: 'stale', staleFallbackCount: 3 });
    expect(staleWarnings()).toHaveLength(3);
    expect(staleWarnings()[2]).toContain('stale fallback #3');
  });

  it('after the grace period the answer is 503, never 401', async () => {
    const token = harness.tokenFor('demo-acme-iberia');
    harness.issuer.setJwksResponder(outages[0][1]);
    clock.advanceSeconds(MAX_AGE_SECONDS + GRACE_SECONDS - 1);
    expect((await get(ROUTE, token)).status).toBe(200);

    clock.advanceSeconds(1);
    const response = await get(ROUTE, token);

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(response.headers['www-authenticate']).toBeUndefined();
    expect(response.body.message).toBe('The token signing keys are temporarily unavailable');
    expect(harness.keyStore.state().status).toBe('unavailable');
  });

  it('kid missing from the stale set gets 503', async () => {
    harness.issuer.setJwksResponder(outages[0][1]);
    harness.issuer.keys.addKey();
    clock.advanceSeconds(MAX_AGE_SECONDS);

    const response = await get(ROUTE, harness.tokenFor('demo-acme-iberia'));

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('readiness stays up while stale and goes down after the grace period', async () => {
    harness.issuer.setJwksResponder(outages[0][1]);
    clock.advanceSeconds(MAX_AGE_SECONDS);

    const stale = await harness.http().get('/health/ready');
    clock.advanceSeconds(GRACE_SECONDS);
    const expired = await harness.http().get('/health/ready');

    expect(stale.status).toBe(200);
    expect(stale.body.details.keySet).toMatchObject({ status: 'up', keySet: 'stale', keyCount: 1 });
    expect(expired.status).toBe(503);
    expect(expired.body.details.keySet).toMatchObject({ status: 'down', keySet: 'unavailable' });
    expect(JSON.stringify(expired.body)).not.toContain('127.0.0.1');
  });

  it('hanging key server delays only the first stale request', async () => {
    const token = harness.tokenFor('demo-acme-iberia');
    harness.issuer.setJwksResponder(() => true);
    clock.advanceSeconds(MAX_AGE_SECONDS);

    const first = await sendBurst(harness.baseUrl as string, [{ path: ROUTE, token }]);
    clock.advanceSeconds(RETRY_AFTER_FAILURE_SECONDS);
    const later = await sendBurst(harness.baseUrl as string, Array.from({ length: 20 }, () => ({ path: ROUTE, token })));

    expect(first[0].status).toBe(200);
    expect(first[0].elapsedMs).toBeGreaterThanOrEqual(950);
    expect(countStatuses(later)).toEqual({ 200: 20 });
    expect(Math.max(...later.map((response) => response.elapsedMs))).toBeLessThan(900);
    expect(harness.keyStore.state()).toMatchObject({ fetchInFlight: true, fetchCount: 3 });
  });

  it('first request after recovery gets fresh keys', async () => {
    const token = harness.tokenFor('demo-acme-iberia');
    harness.issuer.setJwksResponder(outages[0][1]);
    clock.advanceSeconds(MAX_AGE_SECONDS);
    expect((await get(ROUTE, token)).status).toBe(200);

    harness.issuer.setJwksResponder(undefined);
    const rotated = harness.issuer.keys.addKey();
    clock.advanceSeconds(RETRY_AFTER_FAILURE_SECONDS);
    expect((await get(ROUTE, token)).status).toBe(200);
    await harness.keyStore.refreshIfDue();

    expect(harness.keyStore.state()).toMatchObject({ status: 'ready', keyCount: 2 });
    expect(harness.keyStore.currentKey(rotated.kid)).toBeDefined();
  });
});

describe.each(ADAPTERS)('failed key-set fetches on %s (e2e)', (adapter) => {
  const oversized: JwksResponder = (_request, response) =>
    sendJson(response, 200, JSON.stringify({ keys: [], padding: 'x'.repeat(70_000) }));
  const tooManyKeys: JwksResponder = (_request, response) => {
    const jwk = toPublicJwk(SigningKeyRing.generateKey());
    return sendJson(response, 200, JSON.stringify({ keys: Array.from({ length: 40 }, (_, index) => ({ ...jwk, kid: `key-${index}` })) }));
  };
  const cases: Array<[string, JwksResponder, string]> = [
    ['HTTP 500', outages[0][1], 'returned HTTP 500'],
    ['HTTP 502', (_request, response) => sendJson(response, 502, '{}'), 'returned HTTP 502'],
    ['bad JSON', (_request, response) => sendJson(response, 200, '{"keys": [}'), 'is not JSON'],
    ['body over the size limit', oversized, 'the limit of 65536 bytes'],
    ['more keys than the limit', tooManyKeys, 'has 40 keys, more than the limit of 32'],
    ['empty key set', (_request, response) => sendJson(response, 200, '{"keys":[]}'), 'did not contain any keys'],
  ];

  it.each(cases)('%s is not cached; the first request after recovery succeeds', async (_name, responder, logged) => {
    const clock = new TestClock();
    const issuer = await DevIssuer.start({
      audiences: [DEFAULT_DEMO_AUDIENCE],
      clients: DEMO_CLIENTS.map((client) => ({ ...client, secret: TEST_CLIENT_SECRET })),
      clock: clock.now,
    });
    issuer.setJwksResponder(responder);
    const harness = await startDemoApp({ adapter, existingIssuer: issuer, auth: { clock: clock.now } });
    try {
      await harness.waitForKeySetWarmUp();
      const token = issuer.issueToken('demo-acme-iberia');

      const during = await harness.http().get(ROUTE).auth(token, { type: 'bearer' });
      expect(during.status).toBe(503);
      expect(during.headers['retry-after']).toBe('1');
      expect(during.headers['www-authenticate']).toBeUndefined();
      expect(harness.keyStore.state()).toMatchObject({ status: 'unavailable', keyCount: 0 });
      expect(harness.logger.text).toContain(logged);

      issuer.setJwksResponder(undefined);
      clock.advanceSeconds(1);
      const after = await harness.http().get(ROUTE).auth(token, { type: 'bearer' });

      expect(after.status).toBe(200);
      expect(harness.keyStore.state()).toMatchObject({ status: 'ready', keyCount: 1 });
    } finally {
      await harness.close();
      await issuer.stop();
    }
  });
});
