import { Agent, get } from 'node:http';

/** One response of a burst: status, the headers the key tests check, and the time it took. */
export interface BurstResponse {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly wwwAuthenticate: string | undefined;
  readonly body: string;
  readonly elapsedMs: number;
}

/** A GET request with a bearer token. */
export interface BurstRequest {
  readonly path: string;
  readonly token: string;
}

/**
 * Sends every request at once over one keep-alive agent with a socket per request, so they
 * reach the server concurrently, and resolves when every response has ended. Supertest opens
 * a listener per request, which does not scale to a thousand concurrent requests.
 *
 * @param baseUrl `http://127.0.0.1:<port>` of a listening application
 */
export async function sendBurst(baseUrl: string, requests: readonly BurstRequest[]): Promise<BurstResponse[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: requests.length });
  try {
    return await Promise.all(requests.map((request) => sendOne(agent, baseUrl, request)));
  } finally {
    agent.destroy();
  }
}

function sendOne(agent: Agent, baseUrl: string, request: BurstRequest): Promise<BurstResponse> {
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const outgoing = get(`${baseUrl}${request.path}`, { agent, headers: { authorization: `Bearer ${request.token}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          retryAfter: response.headers['retry-after'],
          wwwAuthenticate: response.headers['www-authenticate'],
          body: Buffer.concat(chunks).toString('utf8'),
          elapsedMs: Date.now() - startedAt,
        }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
  });
}

/** Counts responses by status, for assertions such as `{ 200: 1000 }`. */
export function countStatuses(responses: readonly BurstResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const response of responses) {
    counts[response.status] = (counts[response.status] ?? 0) + 1;
  }
  return counts;
}
