import { CanActivate, Inject, Injectable, Logger, OnApplicationBootstrap, RequestMethod, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';

import { ApplicationConfig, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { CobeeAuthConfigurationError } from '../options/cobee-auth-options.validator';
import { CobeeAuthGuard } from './cobee-auth.guard';
import {
  COBEE_AUTH_CONFIG,
  COMPANY_SCOPED_METADATA,
  PUBLIC_ROUTE_METADATA,
  REQUIRED_SCOPES_METADATA,
} from './cobee-auth.tokens';
import { CompanyScopeGuard } from './company-scope.guard';
import { CompanyScopeMetadata, DEFAULT_COMPANY_PARAM } from './decorators/company-scoped.decorator';

/** Injection token of the `globalGuards` module extra. Internal. */
export const GLOBAL_GUARDS_ENABLED = Symbol('COBEE_AUTH:GLOBAL_GUARDS_ENABLED');

/** One HTTP route, with what the audit found on it. */
export interface AuditedRoute {
  readonly label: string;
  /** The HTTP method name, for example `GET`, or `ALL`. */
  readonly method: string;
  /** Full paths (controller path joined with the method path), without the global prefix. */
  readonly paths: readonly string[];
  readonly isPublic: boolean;
  readonly scope: CompanyScopeMetadata | undefined;
  readonly requiredScopes: readonly string[] | undefined;
  readonly problem: string | undefined;
}

const ROUTE_PARAMETER = /:([A-Za-z0-9_]+)/g;

/**
 * Checks every HTTP route at start-up so that none is left open by mistake:
 *
 * - with global guards, every route must be company-scoped (`@CompanyScoped()` or a
 *   `:companyId` parameter), `@Unscoped()` or `@Public()`;
 * - a scoped route's company parameter must exist in its path;
 * - a route that runs one of the two guards must run the other too (or be `@Unscoped()`);
 * - scope metadata on a route that no guard protects is reported;
 * - a guard class handed to `app.useGlobalGuards()` instead of an instance is reported,
 *   because Nest skips such a guard silently and leaves every route open.
 *
 * With `routeAudit: 'error'` (the default) problems stop the application; with `'warn'` they are logged.
 * GraphQL resolvers are not audited.
 */
@Injectable()
export class RouteAuditService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RouteAuditService.name);

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly metadataScanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly applicationConfig: ApplicationConfig,
    @Inject(COBEE_AUTH_CONFIG) private readonly config: CobeeAuthConfig,
    @Inject(GLOBAL_GUARDS_ENABLED) private readonly globalGuards: boolean,
  ) {}

  onApplicationBootstrap(): void {
    const problems = this.findProblems();
    if (problems.length === 0) {
      this.logger.log(`Route audit passed (${this.globalGuards ? 'global guards' : 'per-route guards'})`);
      return;
    }
    const message =
      `CobeeAuthModule route audit found ${problems.length} problem(s):\n` +
      problems.map((problem) => `  - ${problem}`).join('\n') +
      '\nScope each route with @CompanyScoped() or a :companyId parameter, or mark it @Unscoped() or @Public().' +
      ' Set routeAudit: "warn" to log these problems instead of stopping.';
    if (this.config.routeAudit === 'error') {
      throw new CobeeAuthConfigurationError(message);
    }
    this.logger.warn(message);
  }

  /** Lists every problem found, one sentence each. */
  findProblems(): string[] {
    const problems: string[] = [];
    const appGuards = this.applicationConfig.getGlobalGuards() as unknown[];
    for (const guardClass of [CobeeAuthGuard, CompanyScopeGuard]) {
      if (appGuards.includes(guardClass)) {
        problems.push(
          `${guardClass.name} was passed to app.useGlobalGuards() as a class, which Nest ignores; use CobeeAuthModule.forRoot({ globalGuards: true }) instead`,
        );
      }
    }
    for (const route of this.listRoutes(appGuards)) {
      if (route.problem !== undefined) {
        problems.push(route.problem);
      }
    }
    return problems;
  }

  /** Lists every controller route with the problem found on it, if any. */
  listRoutes(appGuards: unknown[] = this.applicationConfig.getGlobalGuards() as unknown[]): AuditedRoute[] {
    const routes: AuditedRoute[] = [];
    const globalAuth = this.globalGuards || appGuards.some((guard) => guard instanceof CobeeAuthGuard);
    const globalScope = this.globalGuards || appGuards.some((guard) => guard instanceof CompanyScopeGuard);

    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Type<unknown> | undefined;
      if (controller === undefined || wrapper.instance === undefined || wrapper.instance === null) {
        continue;
      }
      const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
      const controllerPaths = toList(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined);
      const controllerGuards = (Reflect.getMetadata(GUARDS_METADATA, controller) ?? []) as unknown[];

      for (const methodName of this.metadataScanner.getAllMethodNames(prototype)) {
        const handler = prototype[methodName] as (...args: unknown[]) => unknown;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (requestMethod === undefined) {
          continue;
        }
        const methodPaths = toList(Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined);
        const paths = controllerPaths.flatMap((base) => methodPaths.map((path) => joinPaths(base, path)));
        const guards = [...controllerGuards, ...((Reflect.getMetadata(GUARDS_METADATA, handler) ?? []) as unknown[])];
        const label = `${controller.name}.${methodName} (${RequestMethod[requestMethod]} ${paths.join(', ')})`;

        const targets = [handler, controller];
        const problem = this.checkRoute(label, handler, controller, paths, {
          auth: globalAuth || usesGuard(guards, CobeeAuthGuard),
          scope: globalScope || usesGuard(guards, CompanyScopeGuard),
        });
        routes.push({
          label,
          method: RequestMethod[requestMethod],
          paths,
          isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_METADATA, targets) === true,
          scope: this.reflector.getAllAndOverride<CompanyScopeMetadata | undefined>(COMPANY_SCOPED_METADATA, targets),
          requiredScopes: this.reflector.getAllAndOverride<readonly string[] | undefined>(REQUIRED_SCOPES_METADATA, targets),
          problem,
        });
      }
    }
    return routes;
  }

  private checkRoute(
    label: string,
    handler: (...args: unknown[]) => unknown,
    controller: Type<unknown>,
    paths: readonly string[],
    guarded: { auth: boolean; scope: boolean },
  ): string | undefined {
    const targets = [handler, controller];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_METADATA, targets) === true) {
      return undefined;
    }
    const scope = this.reflector.getAllAndOverride<CompanyScopeMetadata | undefined>(COMPANY_SCOPED_METADATA, targets);

    if (!guarded.auth && !guarded.scope) {
      return scope === undefined
        ? undefined
        : `${label} has @${scope.mode === 'scoped' ? 'CompanyScoped' : 'Unscoped'}() but neither CobeeAuthGuard nor CompanyScopeGuard runs on it`;
    }
    if (!guarded.auth) {
      return `${label} runs CompanyScopeGuard without CobeeAuthGuard, so every request to it is denied`;
    }
    if (scope?.mode === 'unscoped') {
      return undefined;
    }
    if (!guarded.scope) {
      return `${label} runs CobeeAuthGuard without CompanyScopeGuard; add CompanyScopeGuard or mark the route @Unscoped()`;
    }

    const parameters = paths.map(routeParameters);
    if (scope === undefined) {
      return parameters.every((names) => names.has(DEFAULT_COMPANY_PARAM))
        ? undefined
        : `${label} is neither company-scoped (@CompanyScoped() or a :${DEFAULT_COMPANY_PARAM} parameter), @Unscoped() nor @Public()`;
    }
    return parameters.every((names) => names.has(scope.param))
      ? undefined
      : `${label} is scoped by the route parameter "${scope.param}", which its path does not have`;
  }
}

function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) {
    return ['/'];
  }
  return Array.isArray(value) ? value : [value];
}

function joinPaths(base: string, path: string): string {
  const joined = `/${base}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

function routeParameters(path: string): Set<string> {
  return new Set([...path.matchAll(ROUTE_PARAMETER)].map((match) => match[1]));
}

function usesGuard(guards: readonly unknown[], guardClass: Type<CanActivate>): boolean {
  return guards.some(
    (guard) =>
      guard === guardClass ||
      guard instanceof guardClass ||
      (typeof guard === 'function' && (guard as { prototype?: unknown }).prototype instanceof guardClass),
  );
}
