import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CobeeAuthError, CompanyScopeUnresolvedError, MissingTokenError } from '../core/cobee-auth.errors';
import { CobeePrincipal } from '../core/cobee-principal';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { COBEE_AUTH_CONFIG } from './cobee-auth.tokens';
import { CompanyAccessService } from './company-access.service';
import { collectCompanyReferences } from './company-reference.collector';
import { CompanyScopeMetadata, DEFAULT_COMPANY_PARAM } from './decorators/company-scoped.decorator';
import { classifyContext, handlerLabel, toRejection } from './guarded-request';
import { HttpRequestLike, peekAuthState } from './request-auth-state';
import { routeMetadataOf } from './route-metadata';

/**
 * Enforces the company scope. It runs after `CobeeAuthGuard` and:
 *
 * 1. finds the route's company: the route parameter named by `@CompanyScoped()`, or
 *    `companyId`; for GraphQL, the resolver argument of that name;
 * 2. collects every other place the request names a company (query string, body, company
 *    header, in any spelling of the field name) and requires them all to name the same one,
 *    or rejects the request with 400;
 * 3. allows the request only if that company is in the token's scope (`CompanyAccessService`),
 *    and records it for `@CurrentCompany()` and the company context.
 *
 * `@Unscoped()` routes skip step 1, but every company they name must still be in scope. A
 * route with no scope metadata and no `companyId` parameter is denied, as is a request whose
 * principal is missing because `CobeeAuthGuard` did not run first.
 */
@Injectable()
export class CompanyScopeGuard implements CanActivate {
  protected readonly logger = new Logger(CompanyScopeGuard.name);

  constructor(
    protected readonly reflector: Reflector,
    protected readonly access: CompanyAccessService,
    @Inject(COBEE_AUTH_CONFIG) protected readonly config: CobeeAuthConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    let principal: CobeePrincipal | undefined;
    try {
      const target = classifyContext(context, this.reflector);
      if (target.kind !== 'request') {
        return true;
      }
      const state = peekAuthState(target.request);
      principal = state?.principal;
      if (state === undefined || principal === undefined) {
        this.logger.error(`CompanyScopeGuard ran before CobeeAuthGuard on ${handlerLabel(context)}; the request is denied`);
        throw new MissingTokenError();
      }

      const scope = this.getScope(context, target.request);
      const references = collectCompanyReferences(target.request, this.config);
      if (scope.mode === 'unscoped') {
        await this.access.authorizeUnscoped(principal, references, handlerLabel(context));
        state.unscoped = true;
        return true;
      }

      const source = context.getType<string>() === 'graphql' ? `argument "${scope.param}"` : `path parameter "${scope.param}"`;
      state.companyId = await this.access.authorizeScoped(
        principal,
        this.routeParameters(context, target.request),
        scope.param,
        source,
        references,
        handlerLabel(context),
      );
      return true;
    } catch (error) {
      if (error instanceof CobeeAuthError && principal !== undefined) {
        error.clientId = principal.clientId;
        error.clientIdVerified = true;
      }
      throw toRejection(context, error, this.config, this.logger);
    }
  }

  /**
   * Reads the route's scope metadata. Without metadata, a route whose parameters include
   * `companyId` is scoped by it; any other route is denied.
   */
  protected getScope(context: ExecutionContext, request: HttpRequestLike): CompanyScopeMetadata {
    const metadata = routeMetadataOf(context, this.reflector).scope;
    if (metadata !== undefined) {
      return metadata;
    }
    if (Object.hasOwn(this.routeParameters(context, request), DEFAULT_COMPANY_PARAM)) {
      return { mode: 'scoped', param: DEFAULT_COMPANY_PARAM };
    }
    throw new CompanyScopeUnresolvedError(
      `${handlerLabel(context)} has no @CompanyScoped(), @Unscoped() or @Public() metadata and no "${DEFAULT_COMPANY_PARAM}" parameter`,
    );
  }

  /** Route parameters for HTTP, resolver arguments for GraphQL. */
  protected routeParameters(context: ExecutionContext, request: HttpRequestLike): Record<string, unknown> {
    if (context.getType<string>() === 'graphql') {
      const args = context.getArgByIndex<unknown>(1);
      return typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {};
    }
    return request.params ?? {};
  }
}
