import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import { CLIENT_ID_PATTERN } from './token-request.dto';

/** Name of the throttler that counts failed token requests. */
export const FAILED_TOKEN_REQUESTS = 'failed-token-requests';

/** Request property with the attempt this request reserved, for {@link FailedAttemptsInterceptor} to release. */
export const RESERVED_ATTEMPT = Symbol('RESERVED_ATTEMPT');

/** A request that may carry a reserved attempt. */
export interface AttemptRequest {
  body?: unknown;
  [RESERVED_ATTEMPT]?: { readonly key: string; readonly throttlerName: string };
}

/**
 * Rate-limits `POST /oauth/token` per client id, counting failed attempts only.
 *
 * The tracker is the `clientId` of the body, so one client id's failures never block another
 * one. Each request reserves an attempt before the credentials are checked, and
 * `FailedAttemptsInterceptor` releases it unless the outcome is 401 Invalid credentials. So
 * concurrent guesses count while they are in flight, and successful requests do not count.
 * A request whose body has no valid client id is not counted, because validation rejects it
 * with 400 before the issuer is contacted.
 */
@Injectable()
export class FailedAttemptsGuard extends ThrottlerGuard {
  protected override async handleRequest(requestProps: ThrottlerRequest): Promise<boolean> {
    const { req } = this.getRequestResponse(requestProps.context);
    const request = req as AttemptRequest;
    const clientId = clientIdOf(request.body);
    if (clientId === undefined) {
      return true;
    }

    const tracker = `client:${clientId}`;
    const throttlerName = requestProps.throttler.name ?? 'default';
    const allowed = await super.handleRequest({ ...requestProps, getTracker: () => tracker });
    request[RESERVED_ATTEMPT] = { key: requestProps.generateKey(requestProps.context, tracker, throttlerName), throttlerName };
    return allowed;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, 'Retry-After', detail.timeToBlockExpire);
    this.logger.debug(
      `Rejected a token request for ${detail.tracker} with 429: ${detail.limit} failed attempts within ${detail.ttl / 1000} s, blocked for ${detail.timeToBlockExpire} s more`,
    );
    throw new ThrottlerException('Too many failed attempts for this client id; retry after the number of seconds in Retry-After');
  }
}

function clientIdOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const clientId = (body as { clientId?: unknown }).clientId;
  return typeof clientId === 'string' && CLIENT_ID_PATTERN.test(clientId) ? clientId : undefined;
}
