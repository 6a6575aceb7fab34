import { IncomingMessage } from 'node:http';
import { Injectable, NestMiddleware } from '@nestjs/common';
import { CompanyContext } from './company-context.service';
import { authStateOf } from './request-auth-state';

/**
 * Opens the company context for each HTTP request, before the guards run, so that the rest
 * of the request (guards, pipes, handler, services) shares the state the guards fill in.
 * A middleware costs less per request than an interceptor, which Nest wraps in async
 * resources on every call.
 */
@Injectable()
export class CompanyContextMiddleware implements NestMiddleware {
  constructor(private readonly companyContext: CompanyContext) {}

  use(request: IncomingMessage, _response: unknown, next: () => void): void {
    this.companyContext.runWithState(authStateOf(request), next);
  }
}
