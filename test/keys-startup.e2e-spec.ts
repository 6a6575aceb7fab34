import Database from 'better-sqlite3';
import { DevIssuer } from '@cobee/auth/testing';
import { DATABASE } from '../apps/demo-api/src/database/database.module';
import { DEFAULT_DEMO_AUDIENCE } from '../apps/demo-api/src/config/demo-environment';
import { DEMO_CLIENTS } from '../apps/demo-api/src/dev/demo-data';
import { DemoAppHarness, startDemoApp, TEST_CLIENT_SECRET, ADAPTERS } from './support/demo-app.harness';
import { closedPort, DEMO_IDS } from './support/demo-ids';
import { HangingServer } from './support/hanging-server';
import { TestClock } from './support/test-clock';

const ROUTE = `/companies/${DEMO_IDS.companies.acmeIberia}/employees`;

describe.each(ADAPTERS)('start-up and health checks on %s (e2e)', (adapter) => {
  let issuer: DevIssuer;
  let harness: DemoAppHarness | undefined;

  beforeEach(async () => {
    issuer = await DevIssuer.start({
      audiences: [DEFAULT_DEMO_AUDIENCE],
      clients: DEMO_CLIENTS.map((client) => ({ ...client, secret: TEST_CLIENT_SECRET })),
    });
  });

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await issuer.stop();
  });

  it('starts with a reachable key server and reports ready', async () => {
    harness = await startDemoApp({ adapter, existingIssuer: issuer });
    await harness.waitForKeySetWarmUp();

    const live = await harness.http().get('/health');
    const ready = await harness.http().get('/health/ready');

    expect(harness.logger.at('log').some((line) => line.includes('Key set loaded: 1 key'))).toBe(true);
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details.keySet).toEqual({ status: 'up', keySet: 'ready', keyCount: 1 });
    expect(ready.body.details.database).toEqual({ status: 'up' });
  });

  it('starts with an unreachable key server and reports not ready', async () => {
    const port = await closedPort();
    harness = await startDemoApp({ adapter, existingIssuer: issuer, auth: { jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json` } });
    await harness.waitForKeySetWarmUp();

    const live = await harness.http().get('/health');
    const ready = await harness.http().get('/health/ready');
    const guarded = await harness.http().get(ROUTE).auth(issuer.issueToken('demo-acme-iberia'), { type: 'bearer' });

    expect(harness.logger.at('warn').some((line) => line.includes('Key set not loaded at start-up') && line.includes('ECONNREFUSED'))).toBe(true);
    expect(live.status).toBe(200);
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('error');
    expect(ready.body.details.keySet).toEqual({ status: 'down', keySet: 'unavailable', keyCount: 0 });
    expect(ready.body.details.database).toEqual({ status: 'up' });
    expect(JSON.stringify(ready.body)).not.toContain(String(port));
    expect(guarded.status).toBe(503);
    expect(guarded.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('start-up does not wait for a hanging key server', async () => {
    const hanging = await HangingServer.start();
    try {
      const startedAt = Date.now();
      harness = await startDemoApp({ adapter, existingIssuer: issuer, auth: { jwksUri: hanging.jwksUri } });
      const startUpMs = Date.now() - startedAt;

      const live = await harness.http().get('/health');

      expect(startUpMs).toBeLessThan(2000);
      expect(live.status).toBe(200);
      expect(hanging.requestCount).toBe(1);
      expect(harness.keyStore.state()).toMatchObject({ status: 'unavailable', fetchInFlight: true });
      await harness.close();
      harness = undefined;
    } finally {
      await hanging.stop();
    }
  });

  it('readiness check retries the fetch without token traffic', async () => {
    const clock = new TestClock();
    issuer.setJwksResponder((_request, response) => Boolean(response.writeHead(500).end()));
    harness = await startDemoApp({ adapter, existingIssuer: issuer, auth: { clock: clock.now } });
    await harness.waitForKeySetWarmUp();
    expect((await harness.http().get('/health/ready')).status).toBe(503);
    expect(issuer.jwksRequestCount).toBe(1);

    issuer.setJwksResponder(undefined);
    clock.advanceSeconds(1);
    const ready = await harness.http().get('/health/ready');

    expect(ready.status).toBe(200);
    expect(ready.body.details.keySet).toEqual({ status: 'up', keySet: 'ready', keyCount: 1 });
    expect(harness.keyStore.state()).toMatchObject({ fetchCount: 2, failedFetchCount: 1 });
    expect(issuer.jwksRequestCount).toBe(2);
  });

  it('readiness check honours the retry delay', async () => {
    const clock = new TestClock();
    issuer.setJwksResponder((_request, response) => Boolean(response.writeHead(500).end()));
    harness = await startDemoApp({ adapter, existingIssuer: issuer, auth: { clock: clock.now, jwksRetryAfterFailureSeconds: 10 } });
    await harness.waitForKeySetWarmUp();

    for (let probe = 0; probe < 5; probe++) {
      expect((await harness.http().get('/health/ready')).status).toBe(503);
      clock.advanceSeconds(1);
    }

    expect(issuer.jwksRequestCount).toBe(1);
  });

  it('readiness reports a closed database', async () => {
    harness = await startDemoApp({ adapter, existingIssuer: issuer });
    await harness.waitForKeySetWarmUp();
    harness.app.get<Database.Database>(DATABASE).close();

    const ready = await harness.http().get('/health/ready');

    expect(ready.status).toBe(503);
    expect(ready.body.details.database).toEqual({ status: 'down', message: 'The database query failed' });
    expect(ready.body.details.keySet).toMatchObject({ status: 'up' });
  });
});
