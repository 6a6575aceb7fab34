import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { CobeeTokenClient, createBearerFetch } from '@cobee/auth/client';
import { DemoAppHarness, startDemoApp, TEST_CLIENT_SECRET, ADAPTERS } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';

const { acmeIberia, otherRetail } = DEMO_IDS.companies;
const DAY_MS = 86_400_000;
const INVALID_TOKEN = 'Bearer realm="api", error="invalid_token", error_description="The access token expired"';

/** A loopback server whose behaviour each test sets, recording the requests it receives. */
class ScriptedServer {
  readonly requests: Array<{ method: string; url: string; authorization: string | undefined; body: string }> = [];
  handler: (request: IncomingMessage, response: ServerResponse, body: string) => void = (_request, response) => response.end('ok');
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      this.requests.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization, body });
      this.handler(request, response, body);
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

describe.each(ADAPTERS)('createBearerFetch on %s (e2e)', (adapter) => {
  let harness: DemoAppHarness;
  let apiUrl: string;
  /** How far the issuer's clock lags behind, so it can mint tokens that are already expired. */
  let issuerLagMs = 0;

  beforeAll(async () => {
    harness = await startDemoApp({ adapter, issuer: { clock: () => Date.now() - issuerLagMs } });
    await harness.app.listen(0, '127.0.0.1');
    apiUrl = `http://127.0.0.1:${(harness.app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await harness.close();
  });

  beforeEach(() => {
    issuerLagMs = 0;
  });

  function newClient(clientId = 'demo-acme-iberia'): CobeeTokenClient {
    return new CobeeTokenClient({
      tokenEndpoint: harness.issuer.tokenEndpoint,
      clientId,
      clientSecret: TEST_CLIENT_SECRET,
      audience: harness.audience,
    });
  }

  /** Caches a token that the API rejects as expired, while the client still counts it as fresh. */
  async function cacheExpiredToken(client: CobeeTokenClient): Promise<string> {
    issuerLagMs = DAY_MS + 3_600_000;
    const token = await client.getAccessToken();
    issuerLagMs = 0;
    return token;
  }

  describe('against the demo API', () => {
    it('adds the bearer token', async () => {
      const bearerFetch = createBearerFetch(newClient(), { baseUrl: apiUrl });

      const response = await bearerFetch(`/companies/${acmeIberia}/employees`);

      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: Array<{ companyId: string }> };
      expect(body.items.length).toBeGreaterThan(0);
      expect(body.items.every((employee) => employee.companyId === acmeIberia)).toBe(true);
    });

    it('refreshes once on invalid_token', async () => {
      const client = newClient();
      const stale = await cacheExpiredToken(client);
      const bearerFetch = createBearerFetch(client, { baseUrl: apiUrl });
      const before = harness.issuer.tokenRequestCount;

      const response = await bearerFetch(`/companies/${acmeIberia}/employees`);

      expect(response.status).toBe(200);
      expect(harness.issuer.tokenRequestCount - before).toBe(1);
      expect(await client.getAccessToken()).not.toBe(stale);
    });

    it('concurrent rejections share one refresh', async () => {
      const client = newClient();
      await cacheExpiredToken(client);
      const bearerFetch = createBearerFetch(client, { baseUrl: apiUrl });
      const before = harness.issuer.tokenRequestCount;

      const responses = await Promise.all(Array.from({ length: 20 }, () => bearerFetch(`/companies/${acmeIberia}`)));

      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
      expect(harness.issuer.tokenRequestCount - before).toBe(1);
    });

    it('returns the second 401 unchanged', async () => {
      const client = newClient();
      await cacheExpiredToken(client);
      issuerLagMs = DAY_MS + 3_600_000;
      const bearerFetch = createBearerFetch(client, { baseUrl: apiUrl });
      const before = harness.issuer.tokenRequestCount;

      const response = await bearerFetch(`/companies/${acmeIberia}/employees`);

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(INVALID_TOKEN);
      expect(harness.issuer.tokenRequestCount - before).toBe(1);
    });

    it('403 insufficient_scope is not retried', async () => {
      const client = newClient('demo-other-retail');
      const bearerFetch = createBearerFetch(client, { baseUrl: apiUrl });
      await client.getAccessToken();
      const before = harness.issuer.tokenRequestCount;

      const response = await bearerFetch(`/companies/${otherRetail}/employees`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a.b@other.example', legalId: '12345678Z', name: 'A', surname: 'B' }),
      });

      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
      expect(harness.issuer.tokenRequestCount).toBe(before);
    });
  });

  describe('against a scripted server', () => {
    let server: ScriptedServer;
    let client: CobeeTokenClient;

    beforeEach(async () => {
      server = await new ScriptedServer().start();
      client = newClient();
    });

    afterEach(async () => {
      await server.stop();
    });

    it('replays the body after a refresh', async () => {
      let calls = 0;
      server.handler = (_request, response) => {
        calls++;
        if (calls === 1) {
          response.writeHead(401, { 'www-authenticate': INVALID_TOKEN }).end();
          return;
        }
        response.end('created');
      };
      const bearerFetch = createBearerFetch(client, { baseUrl: server.url });
      const payload = JSON.stringify({ name: 'Ana', surname: 'López' });
      const before = harness.issuer.tokenRequestCount;

      const response = await bearerFetch('/things', { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });

      expect(response.status).toBe(200);
      expect(server.requests).toHaveLength(2);
      expect(server.requests.map((request) => request.body)).toEqual([payload, payload]);
      expect(server.requests.map((request) => request.method)).toEqual(['POST', 'POST']);
      expect(server.requests[0].authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(server.requests[1].authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      // RS256 signatures are deterministic, so a token minted in the same second can equal
      // the first one: the issuer's request count shows the refresh instead.
      expect(harness.issuer.tokenRequestCount - before).toBe(2);
    });

    it('401 without invalid_token is not retried', async () => {
      server.handler = (_request, response) => {
        response.writeHead(401, { 'www-authenticate': 'Bearer realm="api"' }).end();
      };
      const bearerFetch = createBearerFetch(client, { baseUrl: server.url });

      const response = await bearerFetch('/things');

      expect(response.status).toBe(401);
      expect(server.requests).toHaveLength(1);
    });

    it('401 without a challenge is not retried', async () => {
      server.handler = (_request, response) => {
        response.writeHead(401).end();
      };
      const bearerFetch = createBearerFetch(client, { baseUrl: server.url });

      const response = await bearerFetch('/things');

      expect(response.status).toBe(401);
      expect(server.requests).toHaveLength(1);
    });

    it('replaces a caller Authorization header', async () => {
      const bearerFetch = createBearerFetch(client, { baseUrl: server.url });

      await bearerFetch('/things', { headers: { authorization: 'Basic Zm9vOmJhcg==' } });

      expect(server.requests[0].authorization).toBe(`Bearer ${await client.getAccessToken()}`);
    });

    it('accepts a Request object', async () => {
      const bearerFetch = createBearerFetch(client, { baseUrl: server.url });

      const response = await bearerFetch(new Request(`${server.url}/things?page=2`, { method: 'DELETE' }));

      expect(response.status).toBe(200);
      expect(server.requests[0].method).toBe('DELETE');
      expect(server.requests[0].url).toBe('/things?page=2');
    });

    it('resolves paths against baseUrl', async () => {
      const bearerFetch = createBearerFetch(client, { baseUrl: `${server.url}/v3/` });

      await bearerFetch('companies');

      expect(server.requests[0].url).toBe('/v3/companies');
    });

    it('rejects another origin before sending', async () => {
      const other = await new ScriptedServer().start();
      const bearerFetch = createBearerFetch(client, { baseUrl: server.url });
      const before = harness.issuer.tokenRequestCount;
      try {
        await expect(bearerFetch(`${other.url}/things`)).rejects.toThrow(
          `Refusing to send the access token to ${other.url}: this fetch is bound to ${server.url}.`,
        );
        expect(other.requests).toHaveLength(0);
        expect(harness.issuer.tokenRequestCount).toBe(before);
      } finally {
        await other.stop();
      }
    });

    it('redirect to another origin drops the token', async () => {
      const other = await new ScriptedServer().start();
      server.handler = (_request, response) => {
        response.writeHead(302, { location: `${other.url}/landing` }).end();
      };
      const bearerFetch = createBearerFetch(client, { baseUrl: server.url });
      try {
        const response = await bearerFetch('/things');

        expect(response.status).toBe(200);
        expect(server.requests[0].authorization).toMatch(/^Bearer /);
        expect(other.requests).toHaveLength(1);
        expect(other.requests[0].authorization).toBeUndefined();
      } finally {
        await other.stop();
      }
    });

    it('rejects an invalid baseUrl', () => {
      expect(() => createBearerFetch(client, { baseUrl: 'api.example.com' })).toThrow(
        'createBearerFetch option "baseUrl" must be an absolute URL (got "api.example.com").',
      );
    });
  });
});
