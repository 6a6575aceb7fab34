import { resolveCobeeAuthConfig } from '@cobee/auth';
import { DemoAppHarness, startDemoApp, ADAPTERS } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';
import { HangingServer } from './support/hanging-server';
import { BurstRequest, countStatuses, sendBurst } from './support/http-burst';

const ROUTE = `/companies/${DEMO_IDS.companies.acmeIberia}/employees`;
/** Time allowed past the request timeout for the 503 to reach the client on a loaded machine. */
const MARGIN_MS = 1000;

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(ADAPTERS)('key-set request timeout on %s (e2e)', (adapter) => {
  let hanging: HangingServer;
  let harness: DemoAppHarness | undefined;

  beforeEach(async () => {
    hanging = await HangingServer.start();
  });

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await hanging.stop();
  });

  async function startAgainstHangingServer(timeoutMs?: number): Promise<DemoAppHarness> {
    harness = await startDemoApp({
      adapter,
      listen: true,
      auth: { jwksUri: hanging.jwksUri, ...(timeoutMs === undefined ? {} : { jwksRequestTimeoutMs: timeoutMs }) },
    });
    return harness;
  }

  function burst(app: DemoAppHarness, count: number): BurstRequest[] {
    const token = app.tokenFor('demo-acme-iberia');
    return Array.from({ length: count }, () => ({ path: ROUTE, token }));
  }

  it('default timeout is at most 5 s', () => {
    const config = resolveCobeeAuthConfig({ issuerUrl: 'https://tenant.example/', audience: 'https://api.example' });

    expect(config.jwksRequestTimeoutMs).toBe(5000);
  });

  it('20 requests get 503 within the default timeout', async () => {
    const app = await startAgainstHangingServer();

    const responses = await sendBurst(app.baseUrl as string, burst(app, 20));

    expect(countStatuses(responses)).toEqual({ 503: 20 });
    expect(responses.every((response) => response.retryAfter !== undefined && /^\d+$/.test(response.retryAfter))).toBe(true);
    expect(responses.every((response) => response.wwwAuthenticate === undefined)).toBe(true);
    expect(Math.max(...responses.map((response) => response.elapsedMs))).toBeLessThan(5000 + MARGIN_MS);
    expect(hanging.connectionCount).toBe(1);
    expect(hanging.requestCount).toBe(1);
    expect(app.logger.text).toContain('Key set request timed out after 5000 ms');
  });

  it('20 requests get 503 within a configured timeout', async () => {
    const app = await startAgainstHangingServer(500);
    const startedAt = Date.now();

    const responses = await sendBurst(app.baseUrl as string, burst(app, 20));

    expect(countStatuses(responses)).toEqual({ 503: 20 });
    expect(Date.now() - startedAt).toBeLessThan(500 + MARGIN_MS);
    expect(JSON.parse(responses[0].body)).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The token signing keys are temporarily unavailable',
    });
    expect(hanging.requestCount).toBe(1);
  });

  it('timed-out request leaves no open socket', async () => {
    const app = await startAgainstHangingServer(300);
    await app.waitForKeySetWarmUp();
    await waitFor(() => hanging.openConnectionCount === 0);

    expect(app.logger.text).toContain('Key set request timed out after 300 ms');
    expect(hanging.connectionCount).toBe(1);
    expect(hanging.openConnectionCount).toBe(0);
    expect(app.keyStore.state()).toMatchObject({ status: 'unavailable', fetchInFlight: false, failedFetchCount: 1 });
  });

  it('closing the app aborts a hanging fetch', async () => {
    const app = await startAgainstHangingServer(30_000);
    await waitFor(() => hanging.requestCount === 1);
    expect(hanging.openConnectionCount).toBe(1);

    await app.close();
    harness = undefined;
    await waitFor(() => hanging.openConnectionCount === 0);

    expect(hanging.openConnectionCount).toBe(0);
    expect(app.logger.text).toContain('Key set request was aborted');
  });
});
