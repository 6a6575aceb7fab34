import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { fetchJwks, JwksFetchError, JwksFetchLimits } from './jwks.fetcher';

const LIMITS: JwksFetchLimits = { timeoutMs: 2000, maxResponseBytes: 4096, maxKeys: 3 };

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A loopback HTTP server whose handler each test replaces. It tracks open sockets. */
class TestServer {
  handler: Handler = (_request, response) => response.end('{"keys":[]}');
  requestCount = 0;
  readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      this.requestCount++;
      this.handler(request, response);
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function countResources(kind: string): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === kind).length;
}

/** Lets pending close events and cleared timers settle before resources are counted. */
async function settle(): Promise<void> {
  for (let index = 0; index < 5; index++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Records the timers this test file's code creates and clears. Other suites in the same
 * process create timers too, so a process-wide timer count would not be reliable.
 */
function trackTimers(): { readonly pending: () => number; readonly restore: () => void } {
  const created = new Set<unknown>();
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  const setSpy = jest.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, delay?: number) => {
    const timer = realSetTimeout(() => {
      created.delete(timer);
      callback();
    }, delay);
    created.add(timer);
    return timer;
  }) as unknown as typeof setTimeout);
  const clearSpy = jest.spyOn(globalThis, 'clearTimeout').mockImplementation((timer) => {
    created.delete(timer);
    realClearTimeout(timer);
  });
  return {
    pending: () => created.size,
    restore: () => {
      setSpy.mockRestore();
      clearSpy.mockRestore();
    },
  };
}

describe('fetchJwks', () => {
  const server = new TestServer();

  beforeAll(() => server.start());
  afterAll(() => server.stop());

  beforeEach(() => {
    server.requestCount = 0;
  });

  it('returns the keys of a valid key set', async () => {
    server.handler = (_request, response) => response.end(JSON.stringify({ keys: [{ kid: 'a' }, { kid: 'b' }] }));

    const keySet = await fetchJwks(server.url, LIMITS);

    expect(keySet.keys).toEqual([{ kid: 'a' }, { kid: 'b' }]);
  });

  it('sends no keep-alive connection', async () => {
    let connectionHeader: string | undefined;
    server.handler = (request, response) => {
      connectionHeader = request.headers.connection;
      response.end('{"keys":[]}');
    };

    await fetchJwks(server.url, LIMITS);
    await settle();

    expect(connectionHeader).toBe('close');
    expect(server.sockets.size).toBe(0);
  });

  const failures: Array<[string, Handler, RegExp]> = [
    ['HTTP 500', (_request, response) => response.writeHead(500).end('{"keys":[]}'), /returned HTTP 500/],
    ['HTTP 503', (_request, response) => response.writeHead(503).end(), /returned HTTP 503/],
    ['redirect', (_request, response) => response.writeHead(302, { location: '/other' }).end(), /returned HTTP 302/],
    ['body that is not JSON', (_request, response) => response.end('<html>'), /is not JSON/],
    ['JSON without keys array', (_request, response) => response.end('{"keys":{}}'), /no "keys" array/],
    ['JSON null', (_request, response) => response.end('null'), /no "keys" array/],
    [
      'declared length over the limit',
      (_request, response) => {
        response.writeHead(200, { 'content-length': String(LIMITS.maxResponseBytes + 1) });
        response.end(' '.repeat(LIMITS.maxResponseBytes + 1));
      },
      /declares 4097 bytes, more than the limit of 4096/,
    ],
    [
      'chunked body over the limit',
      (_request, response) => {
        response.write(`{"keys":[${'0,'.repeat(LIMITS.maxResponseBytes)}`);
        response.end('0]}');
      },
      /exceeds the limit of 4096 bytes/,
    ],
    [
      'more keys than the limit',
      (_request, response) => response.end(JSON.stringify({ keys: [{}, {}, {}, {}] })),
      /has 4 keys, more than the limit of 3/,
    ],
    ['connection closed mid-body', (request) => request.socket.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"keys"'), /closed|aborted|socket hang up/],
  ];

  it.each(failures)('%s is a JwksFetchError', async (_name, handler, message) => {
    server.handler = handler;

    const outcome = fetchJwks(server.url, LIMITS);

    await expect(outcome).rejects.toBeInstanceOf(JwksFetchError);
    await expect(outcome).rejects.toThrow(message);
  });

  it('refused connection is a JwksFetchError', async () => {
    const closed = new TestServer();
    await closed.start();
    const url = closed.url;
    await closed.stop();

    await expect(fetchJwks(url, LIMITS)).rejects.toThrow(/Key set request failed: connect ECONNREFUSED/);
  });

  describe('server that never responds', () => {
    beforeEach(() => {
      server.handler = () => undefined;
    });

    it('times out after the limit', async () => {
      const startedAt = Date.now();

      await expect(fetchJwks(server.url, { ...LIMITS, timeoutMs: 300 })).rejects.toThrow(
        'Key set request timed out after 300 ms',
      );

      const elapsed = Date.now() - startedAt;
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(1300);
      expect(server.requestCount).toBe(1);
    });

    it('leaves no socket or timer after a timeout', async () => {
      await settle();
      const socketsBefore = countResources('TCPSocketWrap');
      const timers = trackTimers();

      try {
        await expect(fetchJwks(server.url, { ...LIMITS, timeoutMs: 200 })).rejects.toThrow(/timed out/);
        await settle();
      } finally {
        timers.restore();
      }

      expect(countResources('TCPSocketWrap')).toBe(socketsBefore);
      expect(timers.pending()).toBe(0);
      expect(server.sockets.size).toBe(0);
    });

    it('abort signal ends the request at once', async () => {
      const controller = new AbortController();
      const timers = trackTimers();

      try {
        const outcome = fetchJwks(server.url, { ...LIMITS, timeoutMs: 10_000 }, controller.signal);
        await new Promise((resolve) => setImmediate(resolve));
        controller.abort();
        await expect(outcome).rejects.toThrow('Key set request was aborted');
        await settle();
      } finally {
        timers.restore();
      }

      expect(timers.pending()).toBe(0);
      expect(server.sockets.size).toBe(0);
    });
  });
});
