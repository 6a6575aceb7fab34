import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { TokenVerifier } from '@cobee/auth';
import { SigningKeyRing } from '@cobee/auth/testing';
import { DemoAppHarness, startDemoApp, ADAPTERS } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';
import { BurstRequest, countStatuses, sendBurst } from './support/http-burst';
import { TestClock } from './support/test-clock';

const { acmeIberia, acmePortugal, otherRetail, soloFoods } = DEMO_IDS.companies;
const COOLDOWN_SECONDS = 30;
/** Jest timeout of each test here: a thousand concurrent requests take seconds on a busy machine. */
const BURST_TEST_TIMEOUT_MS = 60_000;

/** Valid requests for two companies and a corporation, so more than one principal is in play. */
function validRequests(harness: DemoAppHarness, count: number): BurstRequest[] {
  const templates: BurstRequest[] = [
    { path: `/companies/${acmeIberia}/employees`, token: harness.tokenFor('demo-acme-iberia') },
    { path: `/companies/${soloFoods}/employees`, token: harness.tokenFor('demo-solo-foods') },
    { path: `/companies/${acmePortugal}/employees`, token: harness.tokenFor('demo-acme-group') },
    { path: `/companies/${otherRetail}`, token: harness.tokenFor('demo-other-retail') },
  ];
  return Array.from({ length: count }, (_, index) => templates[index % templates.length]);
}

describe.each(ADAPTERS)('key-set fetches under floods on %s (e2e)', (adapter) => {
  let clock: TestClock;
  let harness: DemoAppHarness;

  beforeEach(async () => {
    clock = new TestClock();
    harness = await startDemoApp({
      adapter,
      listen: true,
      auth: { clock: clock.now, jwksCooldownSeconds: COOLDOWN_SECONDS },
      issuer: { clock: clock.now },
    });
    await harness.waitForKeySetWarmUp();
    expect(harness.issuer.jwksRequestCount).toBe(1);
  });

  afterEach(() => harness.close());

  it('1,000 concurrent requests with a new kid cause one fetch', async () => {
    harness.issuer.keys.addKey();
    clock.advanceSeconds(COOLDOWN_SECONDS);
    const requests = validRequests(harness, 1000);

    // Hold the key-set response until every request has reached the application, so all of
    // them miss the cache while the fetch is in flight.
    let arrived = 0;
    let heldResponse: ServerResponse | undefined;
    const server = harness.app.getHttpServer();
    const countArrival = (): void => {
      arrived++;
      if (arrived === requests.length) {
        setTimeout(() => releaseKeySet(), 100);
      }
    };
    const releaseKeySet = (): void => {
      heldResponse?.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(harness.issuer.keys.toJwks()));
    };
    server.on('request', countArrival);
    harness.issuer.setJwksResponder((_request: IncomingMessage, response: ServerResponse) => {
      heldResponse = response;
      return true;
    });

    const responses = await sendBurst(harness.baseUrl as string, requests);
    server.off('request', countArrival);

    expect(countStatuses(responses)).toEqual({ 200: 1000 });
    expect(harness.issuer.jwksRequestCount).toBe(2);
    expect(harness.keyStore.state().fetchCount).toBe(2);
  }, BURST_TEST_TIMEOUT_MS);

  it('1,000 concurrent verify() calls with a new kid share one fetch', async () => {
    harness.issuer.keys.addKey();
    clock.advanceSeconds(COOLDOWN_SECONDS);
    const verifier = harness.app.get(TokenVerifier);
    const tokens = ['demo-acme-iberia', 'demo-solo-foods', 'demo-acme-group', 'demo-other-retail'].map((client) =>
      harness.tokenFor(client),
    );

    const principals = await Promise.all(Array.from({ length: 1000 }, (_, index) => verifier.verify(tokens[index % tokens.length])));

    expect(new Set(principals.map((principal) => principal.clientId)).size).toBe(4);
    expect(harness.issuer.jwksRequestCount).toBe(2);
  }, BURST_TEST_TIMEOUT_MS);

  it('2,000 random kids fetch at most once per cooldown', async () => {
    const unpublished = SigningKeyRing.generateKey();
    const batches = 8;
    const junkPerBatch = 250;
    const startedAt = clock.now() + COOLDOWN_SECONDS * 1000;
    let junkCount = 0;
    let validCount = 0;

    for (let batch = 0; batch < batches; batch++) {
      // Each batch moves the clock by half a cooldown, so the 8 batches span 4 cooldown windows.
      const now = startedAt + (batch * COOLDOWN_SECONDS * 1000) / 2;
      clock.advance(now - clock.now());
      const junk: BurstRequest[] = Array.from({ length: junkPerBatch }, () => ({
        path: `/companies/${acmeIberia}/employees`,
        token: harness.tokenBuilder('demo-acme-iberia').withHeader({ kid: randomUUID() }).signedWith(unpublished).build(),
      }));
      const valid = validRequests(harness, 50);

      const responses = await sendBurst(harness.baseUrl as string, [...junk, ...valid]);

      expect(countStatuses(responses.slice(0, junkPerBatch))).toEqual({ 401: junkPerBatch });
      expect(countStatuses(responses.slice(junkPerBatch))).toEqual({ 200: valid.length });
      junkCount += junkPerBatch;
      validCount += valid.length;
    }

    const windows = Math.floor(((batches - 1) * COOLDOWN_SECONDS) / 2 / COOLDOWN_SECONDS) + 1;
    expect(junkCount).toBe(2000);
    expect(validCount).toBe(400);
    expect(windows).toBe(4);
    expect(harness.issuer.jwksRequestCount - 1).toBeLessThanOrEqual(windows);
    expect(harness.issuer.jwksRequestCount - 1).toBeGreaterThanOrEqual(1);
  }, BURST_TEST_TIMEOUT_MS);

  it('valid tokens do not wait for a fetch caused by random kids', async () => {
    const jwksDelayMs = 1500;
    harness.issuer.setJwksResponder((_request, response) => {
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(harness.issuer.keys.toJwks()));
      }, jwksDelayMs);
      return true;
    });
    clock.advanceSeconds(COOLDOWN_SECONDS);
    const unpublished = SigningKeyRing.generateKey();
    const junk: BurstRequest[] = Array.from({ length: 200 }, () => ({
      path: `/companies/${acmeIberia}/employees`,
      token: harness.tokenBuilder('demo-acme-iberia').withHeader({ kid: randomUUID() }).signedWith(unpublished).build(),
    }));
    const valid = validRequests(harness, 40);

    const responses = await sendBurst(harness.baseUrl as string, [...junk, ...valid]);
    const junkResponses = responses.slice(0, junk.length);
    const validResponses = responses.slice(junk.length);

    expect(countStatuses(junkResponses)).toEqual({ 401: junk.length });
    expect(countStatuses(validResponses)).toEqual({ 200: valid.length });
    expect(Math.min(...junkResponses.map((response) => response.elapsedMs))).toBeGreaterThanOrEqual(jwksDelayMs - 50);
    expect(Math.max(...validResponses.map((response) => response.elapsedMs))).toBeLessThan(jwksDelayMs);
    expect(harness.issuer.jwksRequestCount).toBe(2);
  }, BURST_TEST_TIMEOUT_MS);

  it('500 foreign-issuer tokens cause no fetch', async () => {
    clock.advanceSeconds(COOLDOWN_SECONDS);
    const unpublished = SigningKeyRing.generateKey();
    const foreign: BurstRequest[] = Array.from({ length: 500 }, () => ({
      path: `/companies/${acmeIberia}/employees`,
      token: harness
        .tokenBuilder('demo-acme-iberia')
        .withClaims({ iss: 'https://other-tenant.example/' })
        .withHeader({ kid: randomUUID() })
        .signedWith(unpublished)
        .build(),
    }));

    const responses = await sendBurst(harness.baseUrl as string, foreign);

    expect(countStatuses(responses)).toEqual({ 401: 500 });
    expect(responses[0].wwwAuthenticate).toContain("The access token claim 'iss' is invalid");
    expect(harness.issuer.jwksRequestCount).toBe(1);
  }, BURST_TEST_TIMEOUT_MS);
});
