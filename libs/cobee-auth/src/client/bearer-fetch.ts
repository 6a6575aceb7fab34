import { AccessTokenSource } from './cobee-token.client';
import { isInvalidTokenChallenge } from './www-authenticate.parser';

/** Options of {@link createBearerFetch}. */
export interface BearerFetchOptions {
  /**
   * The API's base URL, for example `https://api.cobee.io/v3/`. Relative request URLs are
   * resolved against it, and the token is sent only to its origin. Required.
   */
  readonly baseUrl: string;
  /** The `fetch` implementation. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** A `fetch` that adds the bearer token. It has the signature of the global `fetch`. */
export type BearerFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Wraps `fetch` so that each request carries `Authorization: Bearer <token>` from `tokens`
 * (an `Authorization` header set by the caller is replaced).
 *
 * When the API responds 401 with a Bearer challenge whose `error` is `invalid_token`, the
 * wrapper drops that token, gets a new one and sends the request once more. The second
 * response is returned as it is. Other 401 responses and 403 responses are returned unchanged.
 *
 * The token is sent only to the origin of `baseUrl`: a request to any other origin is
 * rejected with a TypeError before anything is sent. When Node's fetch (undici, Node 20)
 * follows a redirect to another origin, it drops the `Authorization` header itself.
 *
 * NOTE: to replay the request, the wrapper keeps a copy of the body until the first response
 * arrives, so a streamed upload is held in memory once.
 */
export function createBearerFetch(tokens: AccessTokenSource, options: BearerFetchOptions): BearerFetch {
  const base = parseBaseUrl(options.baseUrl);
  const fetchImplementation = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));

  return async (input, init) => {
    const original = toRequest(input, init, base);
    if (new URL(original.url).origin !== base.origin) {
      throw new TypeError(
        `Refusing to send the access token to ${new URL(original.url).origin}: this fetch is bound to ${base.origin}. ` +
          'Use a plain fetch for other hosts.',
      );
    }

    const firstToken = await tokens.getAccessToken();
    const response = await fetchImplementation(withBearer(original.clone(), firstToken));
    if (response.status !== 401 || !isInvalidTokenChallenge(response.headers.get('www-authenticate'))) {
      return response;
    }

    await response.body?.cancel();
    tokens.invalidate(firstToken);
    const secondToken = await tokens.getAccessToken();
    return fetchImplementation(withBearer(original, secondToken));
  };
}

function parseBaseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`createBearerFetch option "baseUrl" must be an absolute URL (got ${JSON.stringify(value)}).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`createBearerFetch option "baseUrl" must be an http or https URL (got ${JSON.stringify(value)}).`);
  }
  return url;
}

function toRequest(input: string | URL | Request, init: RequestInit | undefined, base: URL): Request {
  if (input instanceof Request) {
    return init === undefined ? input : new Request(input, init);
  }
  return new Request(new URL(input, base), init);
}

function withBearer(request: Request, token: string): Request {
  const headers = new Headers(request.headers);
  headers.set('authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}
