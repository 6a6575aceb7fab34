import { randomUUID } from 'node:crypto';
import { runInThisContext } from 'node:vm';
import { CobeeAuthError, TokenVerifier } from '@cobee/auth';
import { encodeJson, JwksResponder, SigningKeyRing } from '@cobee/auth/testing';
import { DemoAppHarness, startDemoApp, ADAPTERS } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';
import { BurstRequest, countStatuses, sendBurst } from './support/http-burst';
import { TestClock } from './support/test-clock';

const ROUTE = `/companies/${DEMO_IDS.companies.acmeIberia}/employees`;
const MAX_AGE_SECONDS = 600;
const GRACE_SECONDS = 60;

/**
 * Jest gives each test file its own `process` object, so a listener added to it never hears
 * the real process's events. Code run with `runInThisContext` runs in Node's main context,
 * whose `process` is the real one.
 */
const realProcess = runInThisContext('process') as NodeJS.Process;

const MALFORMED_TOKENS = [
  'x',
  'a.b.c',
  '...',
  'a.b',
  'a.b.c.d',
  `${encodeJson('not an object')}.${encodeJson({})}.c2ln`,
  `${encodeJson({ alg: 'RS256' })}.not-base64!.c2ln`,
  `${encodeJson({ alg: 'RS256', kid: 'k' })}.${Buffer.from('{"a":1,"a":2}').toString('base64url')}.c2ln`,
  `eyJ${'A'.repeat(9000)}.e30.c2ln`,
];

const keyServerModes: Array<[string, JwksResponder | undefined]> = [
  ['a healthy key server', undefined],
  ['HTTP 500', (_request, response) => Boolean(response.writeHead(500).end())],
  ['a connection reset', (request) => Boolean(request.socket.destroy())],
  ['a body that is not JSON', (_request, response) => Boolean(response.writeHead(200).end('{"keys":'))],
  ['a hanging key server', () => true],
];

describe.each(ADAPTERS)('failure paths without unhandled rejections on %s (e2e)', (adapter) => {
  const rejections: unknown[] = [];
  const recordRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  let clock: TestClock;
  let harness: DemoAppHarness;

  beforeAll(async () => {
    realProcess.on('unhandledRejection', recordRejection);
    clock = new TestClock();
    harness = await startDemoApp({
      adapter,
      listen: true,
      auth: {
        clock: clock.now,
        jwksCacheMaxAgeSeconds: MAX_AGE_SECONDS,
        jwksStaleGraceSeconds: GRACE_SECONDS,
        jwksCooldownSeconds: 30,
        jwksRequestTimeoutMs: 300,
      },
      issuer: { clock: clock.now },
    });
    await harness.waitForKeySetWarmUp();
  });

  afterAll(async () => {
    await harness.close();
    realProcess.off('unhandledRejection', recordRejection);
  });

  function junkRequests(): BurstRequest[] {
    const unpublished = SigningKeyRing.generateKey();
    const requests: BurstRequest[] = [];
    for (let index = 0; index < 100; index++) {
      requests.push({ path: ROUTE, token: harness.tokenBuilder('demo-acme-iberia').expired().build() });
      requests.push({ path: ROUTE, token: MALFORMED_TOKENS[index % MALFORMED_TOKENS.length] });
      requests.push({
        path: ROUTE,
        token: harness.tokenBuilder('demo-acme-iberia').withHeader({ kid: randomUUID() }).signedWith(unpublished).build(),
      });
    }
    return requests;
  }

  it.each(keyServerModes)('bulk junk with %s', async (_name, responder) => {
    harness.issuer.setJwksResponder(responder);
    // Past the grace period and the cooldown, so the junk reaches every fetch and fallback path.
    clock.advanceSeconds(MAX_AGE_SECONDS + GRACE_SECONDS);
    const verifier = harness.app.get(TokenVerifier);
    const junk = junkRequests();

    const [responses, direct] = await Promise.all([
      sendBurst(harness.baseUrl as string, junk),
      Promise.allSettled(junk.map((request) => verifier.verify(request.token))),
    ]);
    await new Promise((resolve) => setImmediate(resolve));

    const statuses = countStatuses(responses);
    expect(Object.keys(statuses).every((status) => ['400', '401', '503'].includes(status))).toBe(true);
    expect((statuses[401] ?? 0) + (statuses[400] ?? 0)).toBeGreaterThanOrEqual(200);
    expect(direct.every((outcome) => outcome.status === 'rejected' && outcome.reason instanceof CobeeAuthError)).toBe(true);
    expect(rejections).toEqual([]);
  }, 60_000);

  it('good token still gets 200 afterwards', async () => {
    harness.issuer.setJwksResponder(undefined);
    clock.advanceSeconds(MAX_AGE_SECONDS);
    await harness.keyStore.refreshIfDue();

    const response = await harness.http().get(ROUTE).auth(harness.tokenFor('demo-acme-iberia'), { type: 'bearer' });

    expect(response.status).toBe(200);
    expect(rejections).toEqual([]);
  });
});
