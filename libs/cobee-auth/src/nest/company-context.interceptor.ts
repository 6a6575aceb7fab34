import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { CompanyContext } from './company-context.service';
import { peekAuthState, requestOf } from './request-auth-state';

/**
 * Runs each handler, and the pipes before it, inside the company context that the guards
 * recorded on the request. Interceptors run after guards, so the context is final here.
 */
@Injectable()
export class CompanyContextInterceptor implements NestInterceptor {
  constructor(private readonly companyContext: CompanyContext) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const state = peekAuthState(requestOf(context));
    const snapshot = { principal: state?.principal, companyId: state?.companyId };
    return new Observable((subscriber) =>
      this.companyContext.run(snapshot, () => next.handle().subscribe(subscriber)),
    );
  }
}
