import { CanActivate, INestApplicationContext, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ApplicationConfig, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { CobeeAuthGuard } from '../nest/cobee-auth.guard';
import { COBEE_AUTH_CONFIG, COMPANY_SCOPED_METADATA, PUBLIC_ROUTE_METADATA, REQUIRED_SCOPES_METADATA } from '../nest/cobee-auth.tokens';
import { CompanyScopeMetadata, DEFAULT_COMPANY_PARAM } from '../nest/decorators/company-scoped.decorator';
import { GLOBAL_GUARDS_ENABLED } from '../nest/route-audit.service';
import { API_COBEE_AUTH_METADATA, ApiCobeeAuth } from './cobee-auth-api.decorator';

/** One route that `documentCobeeAuthRoutes()` documented. */
export interface DocumentedRoute {
  /** `Controller.handler`. */
  readonly handler: string;
  readonly scopes: readonly string[];
  /** The company route parameter, or null for an `@Unscoped()` route. */
  readonly companyParam: string | null;
}

/**
 * Applies `@ApiCobeeAuth()` to every controller route that `CobeeAuthGuard` protects (through
 * `globalGuards`, `app.useGlobalGuards()` or `@UseGuards()`), with the route's
 * `@RequiredScopes()`, its company parameter and the module's `companyDeniedStatus`.
 * `@Public()` routes and routes that already carry `@ApiCobeeAuth()` are left as they are.
 *
 * Call it after the application is created and before `SwaggerModule.createDocument()`. The
 * metadata is written on the controller classes, so a second call finds every route done.
 *
 * @returns the routes it documented
 */
export function documentCobeeAuthRoutes(app: INestApplicationContext): DocumentedRoute[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const scanner = app.get(MetadataScanner, { strict: false });
  const reflector = app.get(Reflector, { strict: false });
  const config = app.get<CobeeAuthConfig>(COBEE_AUTH_CONFIG, { strict: false });
  const globalGuards = app.get<boolean>(GLOBAL_GUARDS_ENABLED, { strict: false });
  const appGuards = app.get(ApplicationConfig, { strict: false }).getGlobalGuards() as unknown[];
  const authEverywhere = globalGuards || appGuards.some((guard) => guard instanceof CobeeAuthGuard);

  const documented: DocumentedRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as Type<unknown> | undefined;
    if (controller === undefined || wrapper.instance === undefined || wrapper.instance === null) {
      continue;
    }
    const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    const controllerGuards = (Reflect.getMetadata(GUARDS_METADATA, controller) ?? []) as unknown[];

    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, methodName);
      const handler = descriptor?.value as ((...args: unknown[]) => unknown) | undefined;
      if (descriptor === undefined || handler === undefined || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) {
        continue;
      }
      const targets = [handler, controller];
      if (
        reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_METADATA, targets) === true ||
        reflector.getAllAndOverride<boolean>(API_COBEE_AUTH_METADATA, targets) === true
      ) {
        continue;
      }
      const routeGuards = [...controllerGuards, ...((Reflect.getMetadata(GUARDS_METADATA, handler) ?? []) as unknown[])];
      if (!authEverywhere && !usesGuard(routeGuards, CobeeAuthGuard)) {
        continue;
      }

      const scopes = reflector.getAllAndOverride<readonly string[] | undefined>(REQUIRED_SCOPES_METADATA, targets) ?? [];
      const scope = reflector.getAllAndOverride<CompanyScopeMetadata | undefined>(COMPANY_SCOPED_METADATA, targets);
      const companyParam = companyParameterOf(scope, routePaths(controller, handler));
      ApiCobeeAuth({ scopes, companyParam, companyDeniedStatus: config.companyDeniedStatus })(prototype, methodName, descriptor);
      documented.push({ handler: `${controller.name}.${methodName}`, scopes, companyParam });
    }
  }
  return documented;
}

/** Returns the company parameter of a route: from `@CompanyScoped()`, none for `@Unscoped()`, else `companyId` when the path has it. */
function companyParameterOf(scope: CompanyScopeMetadata | undefined, paths: readonly string[]): string | null {
  if (scope?.mode === 'unscoped') {
    return null;
  }
  if (scope?.mode === 'scoped') {
    return scope.param;
  }
  return paths.some((path) => path.includes(`:${DEFAULT_COMPANY_PARAM}`)) ? DEFAULT_COMPANY_PARAM : null;
}

function routePaths(controller: Type<unknown>, handler: (...args: unknown[]) => unknown): string[] {
  const bases = toList(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined);
  const paths = toList(Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined);
  return bases.flatMap((base) => paths.map((path) => `/${base}/${path}`));
}

function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) {
    return [''];
  }
  return Array.isArray(value) ? value : [value];
}

function usesGuard(guards: readonly unknown[], guardClass: Type<CanActivate>): boolean {
  return guards.some(
    (guard) =>
      guard === guardClass ||
      guard instanceof guardClass ||
      (typeof guard === 'function' && (guard as { prototype?: unknown }).prototype instanceof guardClass),
  );
}
