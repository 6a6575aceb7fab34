import { ExecutionContext, Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ALLOWED_CONTEXTS_METADATA,
  COMPANY_SCOPED_METADATA,
  PUBLIC_ROUTE_METADATA,
  REQUIRED_SCOPES_METADATA,
} from './cobee-auth.tokens';
import { CompanyScopeMetadata } from './decorators/company-scoped.decorator';

/** The library's metadata of one handler, with handler-level values overriding class-level ones. */
export interface RouteAuthMetadata {
  readonly isPublic: boolean;
  readonly allowedContexts: readonly string[];
  readonly requiredScopes: readonly string[] | undefined;
  readonly scope: CompanyScopeMetadata | undefined;
}

/**
 * Read once per handler and class: metadata is fixed once the application has started, and
 * the guards need it on every request. Keyed by class and handler together, because a
 * subclass controller can inherit a handler and carry other class-level metadata.
 */
const cache = new WeakMap<Type<unknown>, WeakMap<object, RouteAuthMetadata>>();

/** Returns the library's metadata for the handler of an execution context. */
export function routeMetadataOf(context: ExecutionContext, reflector: Reflector): RouteAuthMetadata {
  const controller = context.getClass();
  const handler = context.getHandler();
  let byHandler = cache.get(controller);
  if (byHandler === undefined) {
    byHandler = new WeakMap();
    cache.set(controller, byHandler);
  }

  let metadata = byHandler.get(handler);
  if (metadata === undefined) {
    const targets = [handler, controller];
    metadata = Object.freeze({
      isPublic: reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE_METADATA, targets) === true,
      allowedContexts: reflector.getAllAndOverride<readonly string[] | undefined>(ALLOWED_CONTEXTS_METADATA, targets) ?? [],
      requiredScopes: reflector.getAllAndOverride<readonly string[] | undefined>(REQUIRED_SCOPES_METADATA, targets),
      scope: reflector.getAllAndOverride<CompanyScopeMetadata | undefined>(COMPANY_SCOPED_METADATA, targets),
    });
    byHandler.set(handler, metadata);
  }
  return metadata;
}
