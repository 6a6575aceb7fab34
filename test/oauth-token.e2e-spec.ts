import { AddressInfo } from 'node:net';
import { CobeeTokenClient, TokenEndpointUnavailableError, TokenRequestRejectedError } from '@cobee/auth/client';
import { DemoAppHarness, startDemoApp, TEST_CLIENT_SECRET, ADAPTERS } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';

const { acmeIberia, soloFoods } = DEMO_IDS.companies;
const INVALID_CREDENTIALS = { message: 'Invalid credentials' };
const WRONG_SECRET = 'wrong-secret-0123456789';

describe.each(ADAPTERS)('POST /oauth/token on %s (e2e)', (adapter) => {
  let harness: DemoAppHarness;
  const issuedTokens: string[] = [];

  beforeAll(async () => {
    // A high limit, so that this block's failures never trigger the rate limit.
    harness = await startDemoApp({ adapter, tokenEndpoint: { maxFailedAttempts: 1000 } });
  });

  afterAll(async () => {
    await harness.close();
  });

  afterEach(() => {
    harness.issuer.setTokenResponder(undefined);
    expect(harness.logger.text).not.toContain(TEST_CLIENT_SECRET);
    expect(harness.logger.text).not.toContain(WRONG_SECRET);
    for (const token of issuedTokens) {
      expect(harness.logger.text).not.toContain(token);
    }
  });

  function postToken(body: unknown): ReturnType<ReturnType<DemoAppHarness['http']>['post']> {
    return harness.http().post('/oauth/token').set('content-type', 'application/json').send(JSON.stringify(body));
  }

  describe('valid credentials', () => {
    it('returns a Cobee-style token', async () => {
      const before = harness.issuer.tokenRequestCount;

      const response = await postToken({ clientId: 'demo-acme-iberia', clientSecret: TEST_CLIENT_SECRET });

      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType']);
      expect(response.body.tokenType).toBe('Bearer');
      expect(response.body.expiresIn).toBe(86_400);
      expect(response.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.pragma).toBe('no-cache');
      expect(harness.issuer.tokenRequestCount - before).toBe(1);
      issuedTokens.push(response.body.accessToken);
    });

    it('token is accepted by the API', async () => {
      const response = await postToken({ clientId: 'demo-acme-iberia', clientSecret: TEST_CLIENT_SECRET });
      issuedTokens.push(response.body.accessToken);

      const employees = await harness.http().get(`/companies/${acmeIberia}/employees`).auth(response.body.accessToken, { type: 'bearer' });
      const other = await harness.http().get(`/companies/${soloFoods}/employees`).auth(response.body.accessToken, { type: 'bearer' });

      expect(employees.status).toBe(200);
      expect(other.status).toBe(403);
    });

    it('stores nothing between requests', async () => {
      const before = harness.issuer.tokenRequestCount;

      for (let i = 0; i < 3; i++) {
        const response = await postToken({ clientId: 'demo-solo-foods', clientSecret: TEST_CLIENT_SECRET });
        expect(response.status).toBe(200);
        issuedTokens.push(response.body.accessToken);
      }

      expect(harness.issuer.tokenRequestCount - before).toBe(3);
    });
  });

  describe('bad bodies', () => {
    const cases: Array<[string, unknown, string[], string]> = [
      ['empty object', {}, ['clientId', 'clientSecret'], 'clientId must be a string'],
      ['missing secret', { clientId: 'demo-acme-iberia' }, ['clientSecret'], 'clientSecret must be a string'],
      ['missing client id', { clientSecret: TEST_CLIENT_SECRET }, ['clientId'], 'clientId must be a string'],
      ['numeric client id', { clientId: 42, clientSecret: TEST_CLIENT_SECRET }, ['clientId'], 'clientId must be a string'],
      ['null secret', { clientId: 'demo-acme-iberia', clientSecret: null }, ['clientSecret'], 'clientSecret must be a string'],
      ['empty client id', { clientId: '', clientSecret: TEST_CLIENT_SECRET }, ['clientId'], 'clientId must be 1 to 128 letters'],
      ['empty secret', { clientId: 'demo-acme-iberia', clientSecret: '' }, ['clientSecret'], 'clientSecret must be longer than or equal to 1 characters'],
      ['client id with a space', { clientId: 'demo acme', clientSecret: TEST_CLIENT_SECRET }, ['clientId'], 'clientId must be 1 to 128 letters'],
      ['secret with a newline', { clientId: 'demo-acme-iberia', clientSecret: 'abc\ndef' }, ['clientSecret'], 'clientSecret must be printable ASCII without spaces'],
      ['overlong secret', { clientId: 'demo-acme-iberia', clientSecret: 'x'.repeat(513) }, ['clientSecret'], 'clientSecret must be shorter than or equal to 512 characters'],
      ['object secret', { clientId: 'demo-acme-iberia', clientSecret: { $ne: '' } }, ['clientSecret'], 'clientSecret must be a string'],
      ['array client id', { clientId: ['demo-acme-iberia'], clientSecret: TEST_CLIENT_SECRET }, ['clientId'], 'clientId must be a string'],
      ['OAuth field names', { client_id: 'demo-acme-iberia', client_secret: TEST_CLIENT_SECRET }, ['client_id', 'client_secret', 'clientId', 'clientSecret'], 'property client_id should not exist'],
      ['extra field', { clientId: 'demo-acme-iberia', clientSecret: TEST_CLIENT_SECRET, audience: 'x' }, ['audience'], 'property audience should not exist'],
    ];

    it.each(cases)('%s gets 400 naming the field', async (_name, body, fields, message) => {
      const before = harness.issuer.tokenRequestCount;

      const response = await postToken(body);

      expect(response.status).toBe(400);
      expect(response.body.statusCode).toBe(400);
      expect([...response.body.fields].sort()).toEqual([...fields].sort());
      expect(response.body.message.join('\n')).toContain(message);
      expect(harness.issuer.tokenRequestCount).toBe(before);
    });

    it.each([
      ['a JSON array', '[]'],
      ['a JSON string', '"demo-acme-iberia"'],
      ['malformed JSON', '{"clientId": "demo-acme-iberia",'],
    ])('%s gets 400', async (_name, text) => {
      const response = await harness.http().post('/oauth/token').set('content-type', 'application/json').send(text);

      expect(response.status).toBe(400);
    });

    it('form body gets 415', async () => {
      const response = await harness
        .http()
        .post('/oauth/token')
        .type('form')
        .send({ clientId: 'demo-acme-iberia', clientSecret: TEST_CLIENT_SECRET });

      expect(response.status).toBe(415);
      expect(response.body.message).toBe('The request body must be JSON (Content-Type: application/json)');
    });
  });

  describe('bad credentials', () => {
    it('wrong secret gets 401', async () => {
      const response = await postToken({ clientId: 'demo-acme-iberia', clientSecret: WRONG_SECRET });

      expect(response.status).toBe(401);
      expect(response.body).toEqual(INVALID_CREDENTIALS);
    });

    it('unknown client gets 401', async () => {
      const response = await postToken({ clientId: 'no-such-client', clientSecret: TEST_CLIENT_SECRET });

      expect(response.status).toBe(401);
      expect(response.body).toEqual(INVALID_CREDENTIALS);
    });

    it('revoked client gets 401', async () => {
      await harness.issuer.clients.register({ clientId: 'partner-to-revoke', secret: TEST_CLIENT_SECRET, companyId: acmeIberia });
      const before = await postToken({ clientId: 'partner-to-revoke', clientSecret: TEST_CLIENT_SECRET });
      expect(before.status).toBe(200);
      issuedTokens.push(before.body.accessToken);

      harness.issuer.clients.revoke('partner-to-revoke');
      const response = await postToken({ clientId: 'partner-to-revoke', clientSecret: TEST_CLIENT_SECRET });

      expect(response.status).toBe(401);
      expect(response.body).toEqual(INVALID_CREDENTIALS);
    });

    it('client of another audience gets 401', async () => {
      await harness.issuer.clients.register({
        clientId: 'partner-other-api',
        secret: TEST_CLIENT_SECRET,
        companyId: acmeIberia,
        audiences: ['https://other-api.example'],
      });

      const response = await postToken({ clientId: 'partner-other-api', clientSecret: TEST_CLIENT_SECRET });

      expect(response.status).toBe(401);
      expect(response.body).toEqual(INVALID_CREDENTIALS);
    });

    it('rejections are logged with the client id', async () => {
      harness.logger.clear();

      await postToken({ clientId: 'demo-solo-foods', clientSecret: WRONG_SECRET });

      expect(harness.logger.at('debug').some((line) => line.includes('Rejected a token request for client demo-solo-foods: the issuer responded 401 invalid_client'))).toBe(true);
    });
  });

  describe('issuer failures', () => {
    it('issuer outage gets 503 with Retry-After', async () => {
      harness.issuer.setTokenResponder((_request, response) => {
        response.writeHead(503, { 'retry-after': '7', 'content-type': 'application/json' }).end('{"error":"temporarily_unavailable"}');
        return true;
      });

      const response = await postToken({ clientId: 'demo-acme-iberia', clientSecret: TEST_CLIENT_SECRET });

      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('7');
      expect(response.body.message).toBe('The token issuer is unavailable; retry later');
      expect(harness.logger.at('warn').some((line) => line.includes('demo-acme-iberia') && line.includes('HTTP 503'))).toBe(true);
    });

    it('issuer rate limit gets 503', async () => {
      harness.issuer.setTokenResponder((_request, response) => {
        response.writeHead(429).end();
        return true;
      });

      const response = await postToken({ clientId: 'demo-acme-iberia', clientSecret: TEST_CLIENT_SECRET });

      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBeUndefined();
    });

    it('unexpected issuer error gets 502', async () => {
      harness.issuer.setTokenResponder((_request, response) => {
        response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_request"}');
        return true;
      });

      const response = await postToken({ clientId: 'demo-acme-iberia', clientSecret: TEST_CLIENT_SECRET });

      expect(response.status).toBe(502);
      expect(response.body.message).toBe('The token issuer rejected the request');
      expect(harness.logger.at('error').some((line) => line.includes('Check the issuer URL and the audience'))).toBe(true);
    });
  });
});

describe.each(ADAPTERS)('POST /oauth/token rate limit on %s (e2e)', (adapter) => {
  const LIMIT = 3;
  const WINDOW_MS = 60_000;
  let harness: DemoAppHarness;
  let now = Date.parse('2025-03-01T12:00:00Z');

  beforeAll(async () => {
    harness = await startDemoApp({ adapter, tokenEndpoint: { maxFailedAttempts: LIMIT, failedAttemptWindowMs: WINDOW_MS, clock: () => now } });
  });

  afterAll(async () => {
    await harness.close();
  });

  beforeEach(() => {
    // Every test starts after the previous test's window and block have ended.
    now += 10 * WINDOW_MS;
  });

  function attempt(clientId: string, clientSecret = WRONG_SECRET): ReturnType<ReturnType<DemoAppHarness['http']>['post']> {
    return harness.http().post('/oauth/token').send({ clientId, clientSecret });
  }

  async function failTimes(clientId: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const response = await attempt(clientId);
      expect(response.status).toBe(401);
    }
  }

  it('blocks after the limit of failures', async () => {
    await failTimes('demo-acme-iberia', LIMIT);
    const before = harness.issuer.tokenRequestCount;

    const blocked = await attempt('demo-acme-iberia', TEST_CLIENT_SECRET);

    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe(String(WINDOW_MS / 1000));
    expect(blocked.body).toEqual({
      statusCode: 429,
      message: 'Too many failed attempts for this client id; retry after the number of seconds in Retry-After',
    });
    expect(blocked.headers['x-ratelimit-remaining']).toBeUndefined();
    expect(harness.issuer.tokenRequestCount).toBe(before);
  });

  it('another client id is unaffected', async () => {
    await failTimes('demo-acme-iberia', LIMIT);
    expect((await attempt('demo-acme-iberia', TEST_CLIENT_SECRET)).status).toBe(429);

    const other = await attempt('demo-solo-foods', TEST_CLIENT_SECRET);
    const otherFailure = await attempt('demo-other-retail');

    expect(other.status).toBe(200);
    expect(otherFailure.status).toBe(401);
  });

  it('block ends after its duration', async () => {
    await failTimes('demo-acme-group', LIMIT);
    const firstBlocked = await attempt('demo-acme-group', TEST_CLIENT_SECRET);
    expect(firstBlocked.status).toBe(429);
    expect(firstBlocked.headers['retry-after']).toBe('60');

    now += WINDOW_MS - 1000;
    const stillBlocked = await attempt('demo-acme-group', TEST_CLIENT_SECRET);
    expect(stillBlocked.status).toBe(429);
    expect(stillBlocked.headers['retry-after']).toBe('1');

    now += 1000;
    const response = await attempt('demo-acme-group', TEST_CLIENT_SECRET);

    expect(response.status).toBe(200);
  });

  it('failures leave a sliding window', async () => {
    await failTimes('demo-solo-foods', LIMIT - 1);
    now += WINDOW_MS;

    await failTimes('demo-solo-foods', LIMIT - 1);

    expect((await attempt('demo-solo-foods')).status).toBe(401);
    expect((await attempt('demo-solo-foods')).status).toBe(429);
  });

  it('successful requests are not counted', async () => {
    for (let i = 0; i < LIMIT * 3; i++) {
      expect((await attempt('demo-other-retail', TEST_CLIENT_SECRET)).status).toBe(200);
    }

    await failTimes('demo-other-retail', LIMIT);

    expect((await attempt('demo-other-retail')).status).toBe(429);
  });

  it('bad bodies are not counted', async () => {
    for (let i = 0; i < LIMIT * 3; i++) {
      expect((await attempt('demo-acme-iberia', 'has space')).status).toBe(400);
    }
    const form = await harness.http().post('/oauth/token').type('form').send({ clientId: 'demo-acme-iberia', clientSecret: WRONG_SECRET });
    expect(form.status).toBe(415);

    await failTimes('demo-acme-iberia', LIMIT);
  });

  it('issuer outages are not counted', async () => {
    harness.issuer.setTokenResponder((_request, response) => {
      response.writeHead(502).end();
      return true;
    });
    try {
      for (let i = 0; i < LIMIT * 2; i++) {
        expect((await attempt('demo-acme-iberia', TEST_CLIENT_SECRET)).status).toBe(503);
      }
    } finally {
      harness.issuer.setTokenResponder(undefined);
    }

    expect((await attempt('demo-acme-iberia', TEST_CLIENT_SECRET)).status).toBe(200);
  });

  it('concurrent guesses count while in flight', async () => {
    const before = harness.issuer.tokenRequestCount;

    const responses = await Promise.all(Array.from({ length: 10 }, () => attempt('demo-solo-foods')));

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([...Array(LIMIT).fill(401), ...Array(10 - LIMIT).fill(429)]);
    expect(harness.issuer.tokenRequestCount - before).toBe(LIMIT);
  });

  it('blocking is logged without secrets', async () => {
    harness.logger.clear();
    await failTimes('demo-acme-group', LIMIT);

    await attempt('demo-acme-group', TEST_CLIENT_SECRET);

    expect(harness.logger.at('debug').some((line) => line.includes('Rejected a token request for client:demo-acme-group|source:') && line.includes('with 429'))).toBe(true);
    expect(harness.logger.text).not.toContain(TEST_CLIENT_SECRET);
    expect(harness.logger.text).not.toContain(WRONG_SECRET);
  });
});

describe.each(ADAPTERS)('CobeeTokenClient with the Cobee-style endpoint on %s (e2e)', (adapter) => {
  let harness: DemoAppHarness;
  let tokenEndpoint: string;
  let now = Date.parse('2025-03-01T12:00:00Z');

  beforeAll(async () => {
    harness = await startDemoApp({ adapter, tokenEndpoint: { maxFailedAttempts: 2, clock: () => now } });
    await harness.app.listen(0, '127.0.0.1');
    tokenEndpoint = `http://127.0.0.1:${(harness.app.getHttpServer().address() as AddressInfo).port}/oauth/token`;
  });

  afterAll(async () => {
    await harness.close();
  });

  function cobeeClient(clientSecret: string): CobeeTokenClient {
    return new CobeeTokenClient({ tokenEndpoint, endpointStyle: 'cobee', clientId: 'demo-acme-iberia', clientSecret, maxRetries: 0 });
  }

  it('gets and caches a token', async () => {
    const client = cobeeClient(TEST_CLIENT_SECRET);
    const before = harness.issuer.tokenRequestCount;

    const tokens = await Promise.all(Array.from({ length: 10 }, () => client.getAccessToken()));

    expect(new Set(tokens).size).toBe(1);
    expect(harness.issuer.tokenRequestCount - before).toBe(1);
    const response = await harness.http().get(`/companies/${acmeIberia}`).auth(tokens[0], { type: 'bearer' });
    expect(response.status).toBe(200);
  });

  it('wrong secret is rejected as invalid credentials', async () => {
    let error: unknown;
    try {
      await cobeeClient(WRONG_SECRET).getAccessToken();
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(TokenRequestRejectedError);
    expect((error as TokenRequestRejectedError).status).toBe(401);
    expect((error as TokenRequestRejectedError).description).toBe('Invalid credentials');
  });

  it('rate limit surfaces as unavailable with Retry-After', async () => {
    now += 3_600_000;
    await expect(cobeeClient(WRONG_SECRET).getAccessToken()).rejects.toBeInstanceOf(TokenRequestRejectedError);
    await expect(cobeeClient(WRONG_SECRET).getAccessToken()).rejects.toBeInstanceOf(TokenRequestRejectedError);

    let error: unknown;
    try {
      await cobeeClient(TEST_CLIENT_SECRET).getAccessToken();
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(TokenEndpointUnavailableError);
    expect((error as TokenEndpointUnavailableError).reason).toBe('rate_limited');
    expect((error as TokenEndpointUnavailableError).retryAfterMs).toBe(60_000);
  });
});
