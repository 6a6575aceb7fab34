import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  CompanyAccessDeniedError,
  CompanyReferenceConflictError,
  CompanyScopeUnresolvedError,
} from '../core/cobee-auth.errors';
import { CobeePrincipal } from '../core/cobee-principal';
import { normalizeCompanyId } from '../core/company-id';
import { loggableText } from '../core/loggable-text';
import { CompanyAccessDecision, CompanyRecord, decideCompanyAccess } from '../core/company-scope.policy';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { toHttpException } from './cobee-auth.exceptions';
import { COBEE_AUTH_CONFIG } from './cobee-auth.tokens';
import { CompanyDirectory } from './company-directory';
import { CompanyReference } from './company-reference.collector';

interface CachedCompany {
  readonly record: CompanyRecord | undefined;
  readonly expiresAt: number;
}

/**
 * Applies the company-scope rule with the application's `CompanyDirectory`, caching the
 * directory's results (found and not found alike) for `companyDirectoryCacheTtlSeconds`, so
 * a company that leaves a corporation stops being reachable through it within that time.
 */
@Injectable()
export class CompanyAccessService implements OnModuleInit {
  private readonly logger = new Logger(CompanyAccessService.name);
  private readonly cache = new Map<string, CachedCompany>();
  private directory: CompanyDirectory | undefined;

  constructor(
    @Inject(COBEE_AUTH_CONFIG) private readonly config: CobeeAuthConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    try {
      this.directory = this.moduleRef.get(CompanyDirectory, { strict: false });
    } catch {
      this.directory = undefined;
    }
    if (this.directory === undefined) {
      this.logger.log('No CompanyDirectory provider found: each token reaches only its own company');
    } else {
      this.logger.log(`Using ${this.directory.constructor.name} as the company directory`);
    }
  }

  /**
   * Applies the scope rule to one company, for handlers that act on a second company (for
   * example the target of a transfer). A denial gets the same status and body as a denial
   * by `CompanyScopeGuard`.
   *
   * @param principal the verified client
   * @param companyId the canonical id of the company
   * @param route the handler, for the warning logged on a denial
   * @throws CobeeForbiddenException (or CobeeNotFoundException with `companyDeniedStatus: 404`)
   *   when the company is outside the scope or does not exist
   */
  async assertAccess(principal: CobeePrincipal, companyId: string, route: string): Promise<CompanyAccessDecision> {
    try {
      return await this.checkAccess(principal, companyId, route);
    } catch (error) {
      if (error instanceof CompanyAccessDeniedError) {
        throw toHttpException(error, this.config.realm, this.config.companyDeniedStatus);
      }
      throw error;
    }
  }

  /**
   * Applies the scope rule to one company.
   *
   * @param principal the verified client
   * @param companyId the canonical id of the requested company
   * @param route the handler, for the warning logged on a denial
   * @throws CompanyAccessDeniedError when the company is outside the scope or does not exist
   */
  async checkAccess(principal: CobeePrincipal, companyId: string, route: string): Promise<CompanyAccessDecision> {
    // A token without a corporation reaches its own company only, so the directory has nothing
    // to add. Skipping it also keeps unknown and foreign ids equally fast for such tokens.
    const record =
      this.directory === undefined || principal.corporationId === undefined ? 'no-directory' : await this.findCompany(companyId);
    const decision = decideCompanyAccess(principal, companyId, record);
    if (!decision.allowed) {
      this.logger.warn(
        `Cross-company request denied (${decision.reason}): client ${loggableText(principal.clientId)} of company ${principal.companyId}` +
          `${principal.corporationId === undefined ? '' : ` in corporation ${principal.corporationId}`}` +
          ` requested company ${companyId} on ${route}`,
      );
      throw new CompanyAccessDeniedError(`Company ${companyId} is not reachable by client ${loggableText(principal.clientId)}`, companyId);
    }
    return decision;
  }

  /**
   * Resolves and authorises the company of a scoped request: the route's company parameter,
   * normalised, must agree with every other company reference, and must pass the scope rule.
   *
   * @param principal the verified client
   * @param parameters the route parameters (or GraphQL arguments)
   * @param param the name of the parameter that contains the company id
   * @param parameterSource how to name that parameter in messages, for example `path parameter "companyId"`
   * @param references every other place the request names a company
   * @param route the handler, for log lines
   * @returns the canonical company id
   * @throws CompanyScopeUnresolvedError when the parameter is missing
   * @throws InvalidCompanyIdError when a reference is not a UUID
   * @throws CompanyReferenceConflictError when references name different companies
   * @throws CompanyAccessDeniedError when the company is outside the scope or does not exist
   */
  async authorizeScoped(
    principal: CobeePrincipal,
    parameters: Readonly<Record<string, unknown>>,
    param: string,
    parameterSource: string,
    references: readonly CompanyReference[],
    route: string,
  ): Promise<string> {
    if (!Object.hasOwn(parameters, param) || parameters[param] === undefined) {
      this.logger.error(`${route} is scoped by the parameter "${param}", which the route does not have; the request is denied`);
      throw new CompanyScopeUnresolvedError(`${route} has no "${param}" parameter`);
    }

    const companyId = normalizeCompanyId(parameters[param], parameterSource);
    for (const reference of references) {
      if (normalizeCompanyId(reference.value, reference.source) !== companyId) {
        throw new CompanyReferenceConflictError(`The ${reference.source} names another company than the ${parameterSource}`);
      }
    }
    await this.checkAccess(principal, companyId, route);
    return companyId;
  }

  /**
   * Authorises the company references of an unscoped request: they must all name one
   * company, and that company must pass the scope rule.
   *
   * @throws InvalidCompanyIdError, CompanyReferenceConflictError or CompanyAccessDeniedError
   */
  async authorizeUnscoped(principal: CobeePrincipal, references: readonly CompanyReference[], route: string): Promise<void> {
    const companyIds = new Set(references.map((reference) => normalizeCompanyId(reference.value, reference.source)));
    if (companyIds.size > 1) {
      throw new CompanyReferenceConflictError('The request names more than one company');
    }
    for (const companyId of companyIds) {
      await this.checkAccess(principal, companyId, route);
    }
  }

  /** Drops cached directory answers, for one company or for all, for example after a company changes corporation. */
  invalidate(companyId?: string): void {
    if (companyId === undefined) {
      this.cache.clear();
    } else {
      this.cache.delete(companyId);
    }
  }

  private async findCompany(companyId: string): Promise<CompanyRecord | undefined> {
    const now = this.config.clock();
    const cached = this.cache.get(companyId);
    if (cached !== undefined && cached.expiresAt > now) {
      return cached.record;
    }

    const found = await (this.directory as CompanyDirectory).findCompany(companyId);
    const record =
      found === null || found === undefined
        ? undefined
        : { id: found.id.toLowerCase(), corporationId: found.corporationId?.toLowerCase() ?? null };

    if (this.config.companyDirectoryCacheTtlMs > 0) {
      this.cache.delete(companyId);
      this.cache.set(companyId, { record, expiresAt: now + this.config.companyDirectoryCacheTtlMs });
      if (this.cache.size > this.config.companyDirectoryCacheSize) {
        this.cache.delete(this.cache.keys().next().value as string);
      }
    }
    return record;
  }
}
