import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { CobeePrincipal } from '../core/cobee-principal';
import { RequestAuthState } from './request-auth-state';

/** Raised when code reads the company context outside a company-scoped request. */
export class CompanyContextMissingError extends Error {
  constructor(what: string) {
    super(
      `No ${what} in the company context: this code ran outside a request that CompanyScopeGuard allowed. ` +
        'Scope the route with @CompanyScoped() (or a :companyId parameter) and make sure the guards run on it.',
    );
    this.name = 'CompanyContextMissingError';
  }
}

/**
 * The request's company, available to services and repositories without passing it around.
 * `CompanyContextMiddleware` opens the context for each HTTP request, and only the guards
 * fill it, from the verified token and the scope decision. Nothing in the request can set it.
 * Outside an HTTP request (jobs, RPC, WebSocket) there is no context and every getter throws.
 */
@Injectable()
export class CompanyContext {
  private readonly storage = new AsyncLocalStorage<Readonly<RequestAuthState>>();

  /** Runs `callback` with the request's auth state as the context. Internal: the middleware calls it. */
  runWithState<T>(state: Readonly<RequestAuthState>, callback: () => T): T {
    return this.storage.run(state, callback);
  }

  /**
   * The company the current request is scoped to, as a lower-case UUID.
   *
   * @throws CompanyContextMissingError outside a company-scoped request
   */
  get companyId(): string {
    const companyId = this.storage.getStore()?.companyId;
    if (companyId === undefined) {
      throw new CompanyContextMissingError('company');
    }
    return companyId;
  }

  /**
   * The verified client of the current request.
   *
   * @throws CompanyContextMissingError outside an authenticated request
   */
  get principal(): CobeePrincipal {
    const principal = this.storage.getStore()?.principal;
    if (principal === undefined) {
      throw new CompanyContextMissingError('principal');
    }
    return principal;
  }

  /** Returns the scoped company, or undefined outside a company-scoped request. */
  findCompanyId(): string | undefined {
    return this.storage.getStore()?.companyId;
  }
}
