import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, tap, throwError } from 'rxjs';
import { FailedAttemptStore } from './failed-attempt.store';
import { AttemptRequest, RESERVED_ATTEMPTS } from './failed-attempts.guard';
import { InvalidCredentialsException } from './token-endpoint.exceptions';

/**
 * Releases the attempts that `FailedAttemptsGuard` reserved, unless the request ended in
 * 401 Invalid credentials. Validation errors (400), issuer outages (503) and successes
 * therefore do not count against the client id. The release happens before the response is
 * written, so a client's next request is checked against the updated count.
 */
@Injectable()
export class FailedAttemptsInterceptor implements NestInterceptor {
  constructor(private readonly store: FailedAttemptStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AttemptRequest>();
    const release = (): void => {
      const reserved = request[RESERVED_ATTEMPTS] ?? [];
      request[RESERVED_ATTEMPTS] = undefined;
      for (const attempt of reserved) {
        this.store.release(attempt.key, attempt.throttlerName);
      }
    };

    return next.handle().pipe(
      tap(() => release()),
      catchError((error: unknown) => {
        if (!(error instanceof InvalidCredentialsException)) {
          release();
        }
        return throwError(() => error);
      }),
    );
  }
}
