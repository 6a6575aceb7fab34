import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import { FailedAttemptStore } from './failed-attempt.store';
import { CLIENT_ID_PATTERN } from './token-request.dto';

/** Name of the throttler that counts failed token requests per client id and source address. */
export const FAILED_TOKEN_REQUESTS = 'failed-token-requests';

/** Name of the throttler that counts failed token requests per client id, from every source. */
export const FAILED_TOKEN_REQUESTS_PER_CLIENT = 'failed-token-requests-per-client';

/** Request property with the attempts this request reserved, for {@link FailedAttemptsInterceptor} to release. */
export const RESERVED_ATTEMPTS = Symbol('RESERVED_ATTEMPTS');

/** One attempt reserved in one throttler. */
export interface ReservedAttempt {
  readonly key: string;
  readonly throttlerName: string;
}

/** A request that may carry reserved attempts. */
export interface AttemptRequest {
  body?: unknown;
  ip?: string;
  socket?: { remoteAddress?: string };
  raw?: { socket?: { remoteAddress?: string } };
  [RESERVED_ATTEMPTS]?: ReservedAttempt[];
}

/**
 * Rate-limits `POST /oauth/token` per client id, counting failed attempts only, with two
 * throttlers:
 *
 * - per client id and source address (5 in 60 s by default): a guesser is blocked without
 *   locking the client id out for its owner, who calls from another address;
 * - per client id from every source (50 in 60 s by default): a ceiling for guessing spread over
 *   many addresses, which does lock the client id out until the block ends.
 *
 * Each request reserves an attempt in both before the credentials are checked, and
 * `FailedAttemptsInterceptor` releases them unless the outcome is 401 Invalid credentials. So
 * concurrent guesses count while they are in flight, and successful requests do not count.
 * A request whose body has no valid client id is not counted, because validation rejects it
 * with 400 before the issuer is contacted.
 */
@Injectable()
export class FailedAttemptsGuard extends ThrottlerGuard {
  /** The storage the module registers; only `FailedAttemptStore` can release an attempt. */
  private get storage(): FailedAttemptStore {
    return this.storageService as FailedAttemptStore;
  }

  protected override async handleRequest(requestProps: ThrottlerRequest): Promise<boolean> {
    const { req } = this.getRequestResponse(requestProps.context);
    const request = req as AttemptRequest;
    const clientId = clientIdOf(request.body);
    if (clientId === undefined) {
      return true;
    }

    const throttlerName = requestProps.throttler.name ?? 'default';
    const tracker =
      throttlerName === FAILED_TOKEN_REQUESTS_PER_CLIENT ? `client:${clientId}` : `client:${clientId}|source:${sourceOf(request)}`;
    const allowed = await super.handleRequest({ ...requestProps, getTracker: () => tracker });
    const reserved = request[RESERVED_ATTEMPTS] ?? [];
    reserved.push({ key: requestProps.generateKey(requestProps.context, tracker, throttlerName), throttlerName });
    request[RESERVED_ATTEMPTS] = reserved;
    return allowed;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const { req, res } = this.getRequestResponse(context);
    // A blocked request never reaches the interceptor, so it takes back what it reserved in
    // the other throttler here: a request that was not attempted must not count as a failure.
    this.releaseReserved(req as AttemptRequest);
    this.setResponseHeader(res, 'Retry-After', detail.timeToBlockExpire);
    this.logger.debug(
      `Rejected a token request for ${detail.tracker} with 429: ${detail.limit} failed attempts within ${detail.ttl / 1000} s, blocked for ${detail.timeToBlockExpire} s more`,
    );
    throw new ThrottlerException('Too many failed attempts for this client id; retry after the number of seconds in Retry-After');
  }

  private releaseReserved(request: AttemptRequest): void {
    const reserved = request[RESERVED_ATTEMPTS] ?? [];
    request[RESERVED_ATTEMPTS] = undefined;
    for (const attempt of reserved) {
      this.storage.release(attempt.key, attempt.throttlerName);
    }
  }
}

/** The peer address of the connection; proxies are not trusted, so forwarded headers play no part. */
function sourceOf(request: AttemptRequest): string {
  return request.ip ?? request.socket?.remoteAddress ?? request.raw?.socket?.remoteAddress ?? 'unknown';
}

function clientIdOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const clientId = (body as { clientId?: unknown }).clientId;
  return typeof clientId === 'string' && CLIENT_ID_PATTERN.test(clientId) ? clientId : undefined;
}
