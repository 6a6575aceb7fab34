import { AddressInfo, connect } from 'node:net';
import { DemoAppHarness, startDemoApp, ADAPTERS } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';

const { acmeIberia, soloFoods } = DEMO_IDS.companies;
const ROUTE = `/companies/${acmeIberia}/employees`;

/** A raw HTTP response: the status code, the header lines and the body. */
interface RawResponse {
  readonly status: number;
  readonly headers: readonly string[];
  readonly text: string;
}

/**
 * Tests with bytes that Node's HTTP client refuses to send (CR, LF, NUL, folded lines inside
 * header values). They are written to a TCP socket on loopback as they are.
 */
describe.each(ADAPTERS)('raw HTTP requests with injected bytes on %s (e2e)', (adapter) => {
  let harness: DemoAppHarness;
  let port: number;

  beforeAll(async () => {
    harness = await startDemoApp({ adapter });
    await harness.app.listen(0, '127.0.0.1');
    port = (harness.app.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await harness.close();
  });

  function sendRaw(headerLines: string[], target = ROUTE): Promise<RawResponse> {
    const head = [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headerLines].join('\r\n');
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      // The socket stays open for writing: a client that half-closes makes Node abort requests
      // still in progress. `Connection: close` makes the server close it after the response.
      const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from(`${head}\r\n\r\n`, 'latin1')));
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('latin1');
        const [head] = text.split('\r\n\r\n');
        const [statusLine, ...headers] = head.split('\r\n');
        resolve({ status: Number(statusLine.split(' ')[1]), headers, text });
      });
    });
  }

  function headerValue(response: RawResponse, name: string): string | undefined {
    const prefix = `${name.toLowerCase()}: `;
    return response.headers.find((line) => line.toLowerCase().startsWith(prefix))?.slice(prefix.length);
  }

  function expectNoLeak(response: RawResponse, token: string): void {
    expect(response.status).toBeLessThan(500);
    expect(response.text).not.toContain(token);
    expect(response.text).not.toContain(token.split('.')[2]);
    expect(harness.logger.text).not.toContain(token);
    expect(response.headers.some((line) => line.toLowerCase().startsWith('x-injected'))).toBe(false);
  }

  it('well-formed raw request is accepted', async () => {
    const response = await sendRaw([`Authorization: Bearer ${harness.tokenFor('demo-acme-iberia')}`]);

    expect(response.status).toBe(200);
  });

  it.each([
    ['a bare CR before an injected header', (token: string) => [`Authorization: Bearer ${token}\rX-Injected: 1`]],
    ['a bare LF before an injected header', (token: string) => [`Authorization: Bearer ${token}\nX-Injected: 1`]],
    ['a CR at the end of the token', (token: string) => [`Authorization: Bearer ${token}\r`]],
    ['a NUL inside the token', (token: string) => [`Authorization: Bearer ${token.slice(0, 10)}\u0000${token.slice(10)}`]],
    ['a folded continuation line', (token: string) => ['Authorization: Bearer', ` ${token}`]],
    ['a space before the colon', (token: string) => [`Authorization : Bearer ${token}`]],
  ])('header with %s gets 400 from the HTTP parser', async (_name, lines) => {
    const token = harness.tokenFor('demo-acme-iberia');

    const response = await sendRaw(lines(token));

    expect(response.status).toBe(400);
    expectNoLeak(response, token);
  });

  it('CRLF that adds a second Authorization header gets 400 invalid_request', async () => {
    const token = harness.tokenFor('demo-acme-iberia');
    const other = harness.tokenFor('demo-solo-foods');

    const response = await sendRaw([`Authorization: Bearer ${token}\r\nAuthorization: Bearer ${other}`]);

    expect(response.status).toBe(400);
    expect(headerValue(response, 'WWW-Authenticate')).toBe(
      'Bearer realm="api", error="invalid_request", error_description="Send exactly one Authorization header"',
    );
    expectNoLeak(response, token);
    expectNoLeak(response, other);
  });

  it('one hundred Authorization headers get 400 invalid_request', async () => {
    const token = harness.tokenFor('demo-acme-iberia');
    const copies = Array.from({ length: 99 }, (_, index) => `Authorization: Bearer copy-${index}`);

    const response = await sendRaw([`Authorization: Bearer ${token}`, ...copies]);

    expect(response.status).toBe(400);
    expect(headerValue(response, 'WWW-Authenticate')).toContain('error="invalid_request"');
    expectNoLeak(response, token);
  });

  it('CRLF that adds a company header for another company gets 400', async () => {
    const token = harness.tokenFor('demo-acme-iberia');

    const response = await sendRaw([`Authorization: Bearer ${token}\r\nX-Company-Id: ${soloFoods}`]);

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text.split('\r\n\r\n')[1]).message).toBe(
      'The request names more than one company or repeats a company parameter',
    );
    expectNoLeak(response, token);
  });

  it('Latin-1 bytes in the token get 400 invalid_request', async () => {
    const token = harness.tokenFor('demo-acme-iberia');

    const response = await sendRaw([`Authorization: Bearer ${token}\u00e9\u00ff`]);

    expect(response.status).toBe(400);
    expect(headerValue(response, 'WWW-Authenticate')).toBe(
      'Bearer realm="api", error="invalid_request", error_description="The Authorization header must be Bearer followed by one token"',
    );
    expectNoLeak(response, token);
  });

  it('encoded CRLF in an access_token query field gets 400 invalid_request', async () => {
    const token = harness.tokenFor('demo-acme-iberia');

    const response = await sendRaw([`Authorization: Bearer ${token}`], `${ROUTE}?access_token=%0d%0aX-Injected:%201`);

    expect(response.status).toBe(400);
    expect(headerValue(response, 'WWW-Authenticate')).toBe(
      'Bearer realm="api", error="invalid_request", error_description="Send the access token in the Authorization header only"',
    );
    expectNoLeak(response, token);
  });

  it('encoded CRLF in the company path gets 400', async () => {
    const token = harness.tokenFor('demo-acme-iberia');

    const response = await sendRaw([`Authorization: Bearer ${token}`], '/companies/%0d%0aX-Injected:%201/employees');

    expect(response.status).toBe(400);
    expectNoLeak(response, token);
  });
});
