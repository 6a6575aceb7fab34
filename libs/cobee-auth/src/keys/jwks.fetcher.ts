import * as http from 'node:http';
import * as https from 'node:https';

/** Limits applied to one key-set request. */
export interface JwksFetchLimits {
  /** Time allowed for the whole request, from connect to the last byte, in milliseconds. */
  readonly timeoutMs: number;
  /** Largest accepted response body, in bytes. */
  readonly maxResponseBytes: number;
  /** Most keys accepted in the `keys` array. */
  readonly maxKeys: number;
}

/** A key-set request failed: network error, timeout, HTTP error, or a body that is not a usable key set. */
export class JwksFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwksFetchError';
  }
}

/**
 * Downloads a JSON Web Key Set with Node's HTTP client. The request uses no connection pool,
 * so nothing stays open after it ends, and it is destroyed when the timeout passes, the body
 * grows past the limit, or `signal` aborts. Redirects are not followed.
 *
 * @throws JwksFetchError for every kind of failure
 */
export function fetchJwks(uri: string, limits: JwksFetchLimits, signal?: AbortSignal): Promise<{ keys: unknown[] }> {
  return new Promise((resolve, reject) => {
    const url = new URL(uri);
    const transport = url.protocol === 'https:' ? https : http;
    let settled = false;

    const fail = (message: string): void => {
      if (!settled) {
        settled = true;
        reject(new JwksFetchError(message));
      }
      request.destroy();
    };

    const request = transport.get(
      url,
      { agent: false, headers: { accept: 'application/json, application/jwk-set+json' } },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          response.resume();
          fail(`Key set request returned HTTP ${status}`);
          return;
        }
        const declaredLength = Number(response.headers['content-length']);
        if (declaredLength > limits.maxResponseBytes) {
          fail(`Key set response declares ${declaredLength} bytes, more than the limit of ${limits.maxResponseBytes}`);
          return;
        }

        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limits.maxResponseBytes) {
            fail(`Key set response exceeds the limit of ${limits.maxResponseBytes} bytes`);
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          if (settled) {
            return;
          }
          try {
            const keySet = parseKeySet(Buffer.concat(chunks).toString('utf8'), limits.maxKeys);
            settled = true;
            resolve(keySet);
          } catch (error) {
            fail((error as Error).message);
          }
        });
        response.on('error', (error) => fail(`Key set response failed: ${error.message}`));
      },
    );

    const timer = setTimeout(() => fail(`Key set request timed out after ${limits.timeoutMs} ms`), limits.timeoutMs);
    const onAbort = (): void => fail('Key set request was aborted');
    signal?.addEventListener('abort', onAbort, { once: true });

    request.on('error', (error) => fail(`Key set request failed: ${error.message}`));
    request.on('close', () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fail('Key set connection closed before the response ended');
    });
  });
}

function parseKeySet(text: string, maxKeys: number): { keys: unknown[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new JwksFetchError('Key set response is not JSON');
  }
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) {
    throw new JwksFetchError('Key set response has no "keys" array');
  }
  if (keys.length > maxKeys) {
    throw new JwksFetchError(`Key set has ${keys.length} keys, more than the limit of ${maxKeys}`);
  }
  return { keys };
}
