import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  CobeeAuthError,
  CompanyReferenceConflictError,
  CompanyScopeUnresolvedError,
  MissingTokenError,
} from '../core/cobee-auth.errors';
import { CobeePrincipal } from '../core/cobee-principal';
import { normalizeCompanyId } from '../core/company-id';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { COBEE_AUTH_CONFIG, COMPANY_SCOPED_METADATA } from './cobee-auth.tokens';
import { CompanyAccessService } from './company-access.service';
import { collectCompanyReferences, CompanyReference } from './company-reference.collector';
import { CompanyScopeMetadata, DEFAULT_COMPANY_PARAM } from './decorators/company-scoped.decorator';
import { classifyContext, handlerLabel, toRejection } from './guarded-request';
import { HttpRequestLike, peekAuthState } from './request-auth-state';

/**
 * Enforces the company scope. It runs after `CobeeAuthGuard` and:
 *
 * 1. finds the route's company: the route parameter named by `@CompanyScoped()`, or
 *    `companyId`; for GraphQL, the resolver argument of that name;
 * 2. collects every other place the request names a company (query string, body, company
 *    header, in any spelling of the field name) and requires them all to name the same one,
 *    or answers 400;
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
        await this.checkUnscopedReferences(context, principal, references);
        state.unscoped = true;
        return true;
      }

      const companyId = this.resolveCompany(context, target.request, scope.param, references);
      await this.access.checkAccess(principal, companyId, handlerLabel(context));
      state.companyId = companyId;
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
    const metadata = this.reflector.getAllAndOverride<CompanyScopeMetadata | undefined>(COMPANY_SCOPED_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
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

  /**
   * Normalises the route's company and every other company reference, and requires them to agree.
   *
   * @throws CompanyScopeUnresolvedError when the configured parameter does not exist on the route
   * @throws InvalidCompanyIdError when a reference is not a UUID
   * @throws CompanyReferenceConflictError when references name different companies
   */
  protected resolveCompany(
    context: ExecutionContext,
    request: HttpRequestLike,
    param: string,
    references: readonly CompanyReference[],
  ): string {
    const parameters = this.routeParameters(context, request);
    if (!Object.hasOwn(parameters, param) || parameters[param] === undefined) {
      this.logger.error(
        `${handlerLabel(context)} is scoped by the route parameter "${param}", which the route does not have; the request is denied`,
      );
      throw new CompanyScopeUnresolvedError(`${handlerLabel(context)} has no "${param}" parameter`);
    }

    const source = context.getType<string>() === 'graphql' ? `argument "${param}"` : `path parameter "${param}"`;
    const companyId = normalizeCompanyId(parameters[param], source);
    for (const reference of references) {
      if (normalizeCompanyId(reference.value, reference.source) !== companyId) {
        throw new CompanyReferenceConflictError(
          `The ${reference.source} names another company than the ${source}`,
        );
      }
    }
    return companyId;
  }

  /** On `@Unscoped()` routes, requires every company the request names to be one company in scope. */
  protected async checkUnscopedReferences(
    context: ExecutionContext,
    principal: CobeePrincipal,
    references: readonly CompanyReference[],
  ): Promise<void> {
    const companyIds = new Set(references.map((reference) => normalizeCompanyId(reference.value, reference.source)));
    if (companyIds.size > 1) {
      throw new CompanyReferenceConflictError('The request names more than one company');
    }
    for (const companyId of companyIds) {
      await this.access.checkAccess(principal, companyId, handlerLabel(context));
    }
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
