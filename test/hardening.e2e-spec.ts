import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { ADAPTERS, DemoAppHarness, startDemoApp, TEST_CLIENT_SECRET } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';

const { acmeIberia } = DEMO_IDS.companies;
const EMPLOYEE = '0f6a3c1e-8b2d-4e5f-9a01-b2c3d4e5f602';

/** Sends raw bytes to the server and returns the status line of the response. */
function sendRaw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(received.split('\r\n')[0]));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no response')));
  });
}

/** Posts JSON from a given loopback source address and returns the status. */
function postFrom(baseUrl: string, localAddress: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const call = httpRequest(
      `${baseUrl}/oauth/token`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    call.on('error', reject);
    call.end(text);
  });
}

describe.each(ADAPTERS)('hardening against client junk on %s (e2e)', (adapter) => {
  let harness: DemoAppHarness;
  let port: number;

  beforeAll(async () => {
    harness = await startDemoApp({ adapter, listen: true });
    port = Number(new URL(harness.baseUrl as string).port);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('forged client id cannot inject log lines', async () => {
    const [header, payload, signature] = harness.tokenFor('demo-acme-iberia').split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.azp = 'x\n[Nest] 1 - LOG [AdminAudit] \u001b[31mFAKE LINE\u001b[0m\r\nsecond';
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    harness.logger.clear();

    const response = await harness.http().get(`/companies/${acmeIberia}`).auth(forged, { type: 'bearer' });

    expect(response.status).toBe(401);
    expect(harness.logger.lines.length).toBeGreaterThan(0);
    for (const line of harness.logger.lines) {
      expect(line).not.toMatch(/[\r\n\u001b]/);
    }
  });

  it('deeply nested JSON gets 400 on the token endpoint', async () => {
    const depth = 3000;
    const body = `{"clientId":"demo-acme-iberia","clientSecret":"x","z":${'['.repeat(depth)}${']'.repeat(depth)}}`;

    const response = await harness.http().post('/oauth/token').set('content-type', 'application/json').send(body);

    expect(response.status).toBe(400);
  });

  it('deeply nested JSON gets 400 on a scoped write', async () => {
    const depth = 3000;
    const body = `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`;

    const response = await harness
      .http()
      .patch(`/companies/${acmeIberia}/employees/${EMPLOYEE}`)
      .auth(harness.tokenFor('demo-acme-iberia'), { type: 'bearer' })
      .set('content-type', 'application/json')
      .send(body);

    expect(response.status).toBe(400);
  });

  it.each(['email', 'legalId', 'name', 'surname'])('PATCH with %s null gets 400', async (field) => {
    const response = await harness
      .http()
      .patch(`/companies/${acmeIberia}/employees/${EMPLOYEE}`)
      .auth(harness.tokenFor('demo-acme-iberia'), { type: 'bearer' })
      .send({ [field]: null });

    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([field]);
  });

  it('form body to the token endpoint gets 415 without echoing it', async () => {
    const response = await harness
      .http()
      .post('/oauth/token')
      .type('form')
      .send(JSON.stringify({ clientId: 'demo-acme-iberia', clientSecret: TEST_CLIENT_SECRET }));

    expect(response.status).toBe(415);
    expect(response.text).not.toContain(TEST_CLIENT_SECRET);
    expect(response.text).not.toContain(TEST_CLIENT_SECRET.slice(0, 8));
  });

  it('malformed JSON gets 400 without quoting the body', async () => {
    const response = await harness.http().post('/oauth/token').set('content-type', 'application/json').send(`"${TEST_CLIENT_SECRET}`);

    expect(response.status).toBe(400);
    expect(response.text).not.toContain(TEST_CLIENT_SECRET.slice(0, 6));
  });

  it('unknown property names with data are not echoed', async () => {
    const response = await harness
      .http()
      .post(`/companies/${acmeIberia}/employees`)
      .auth(harness.tokenFor('demo-acme-iberia'), { type: 'bearer' })
      .send({ email: 'a@b.example', legalId: 'ABC123', name: 'A', surname: 'B', [`{"secret":"${TEST_CLIENT_SECRET}"}`]: 1 });

    expect(response.status).toBe(400);
    expect(response.text).not.toContain(TEST_CLIENT_SECRET);
    expect(response.body.fields).toEqual(['(unnamed field)']);
  });

  it.each([
    ['a target starting with //[', 'OPTIONS //[/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['an absolute target with a bad port', 'OPTIONS http://x:99999/companies HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['a malformed percent escape', `OPTIONS /companies/%E0%A4%A/employees HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
  ])('OPTIONS with %s gets no 5xx', async (_name, bytes) => {
    const statusLine = await sendRaw(port, bytes);

    expect(statusLine).toMatch(/^HTTP\/1\.1 [1-4]\d\d /);
  });

  it('guessing from one address does not lock out another', async () => {
    const wrong = { clientId: 'demo-solo-foods', clientSecret: 'wrong-secret-0123456789' };
    const right = { clientId: 'demo-solo-foods', clientSecret: TEST_CLIENT_SECRET };
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await postFrom(harness.baseUrl as string, '127.0.0.1', wrong)).toBe(401);
    }

    const guesser = await postFrom(harness.baseUrl as string, '127.0.0.1', right);
    const owner = await postFrom(harness.baseUrl as string, '127.0.0.2', right);

    expect(guesser).toBe(429);
    expect(owner).toBe(200);
  });
});

describe('dev issuer with an oversized token request (e2e)', () => {
  it('answers 400 instead of resetting the connection', async () => {
    const harness = await startDemoApp();
    try {
      const response = await fetch(harness.issuer.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&pad=${'x'.repeat(40_000)}`,
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_request', error_description: 'Request body exceeds 16384 bytes' });
    } finally {
      await harness.close();
    }
  });
});
