import { ExecutionContext, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CobeeAuthError, ContextNotSupportedError } from '../core/cobee-auth.errors';
import { loggableText } from '../core/loggable-text';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { toHttpException } from './cobee-auth.exceptions';
import { HttpRequestLike, requestOf } from './request-auth-state';
import { routeMetadataOf } from './route-metadata';

/** The kind of target a guard has in an execution context. */
export type GuardTarget =
  | { readonly kind: 'public' }
  | { readonly kind: 'opted-in' }
  | { readonly kind: 'request'; readonly request: HttpRequestLike };

const PUBLIC_TARGET: GuardTarget = Object.freeze({ kind: 'public' });
const OPTED_IN_TARGET: GuardTarget = Object.freeze({ kind: 'opted-in' });

/**
 * Classifies an execution context for the guards: a `@Public()` handler, an RPC or WebSocket
 * handler that opted in with `@AllowContexts()`, or an HTTP or GraphQL request to check.
 *
 * @throws ContextNotSupportedError for RPC and WebSocket calls that did not opt in, for
 *   unknown context types, and for GraphQL calls without a request in their context
 */
export function classifyContext(context: ExecutionContext, reflector: Reflector): GuardTarget {
  const metadata = routeMetadataOf(context, reflector);
  if (metadata.isPublic) {
    return PUBLIC_TARGET;
  }

  const type = context.getType<string>();
  if (type === 'rpc' || type === 'ws') {
    if (metadata.allowedContexts.includes(type)) {
      return OPTED_IN_TARGET;
    }
    throw new ContextNotSupportedError(type);
  }

  const request = type === 'http' || type === 'graphql' ? requestOf(context) : undefined;
  if (request === undefined) {
    throw new ContextNotSupportedError(type);
  }
  return { kind: 'request', request };
}

/** `Controller.handler`, for log lines; built from class and method names, never from request input. */
export function handlerLabel(context: ExecutionContext): string {
  return `${context.getClass().name}.${context.getHandler().name}`;
}

/**
 * Turns a rejection into the exception the client receives: sets its headers on the HTTP
 * response, logs the reason at debug level, and returns it for the guard to throw. Errors
 * that are not the library's are logged as errors and returned unchanged, so they end as 500.
 */
export function toRejection(
  context: ExecutionContext,
  error: unknown,
  config: Pick<CobeeAuthConfig, 'realm' | 'companyDeniedStatus'>,
  logger: Logger,
): unknown {
  if (!(error instanceof CobeeAuthError)) {
    logger.error(
      `Unexpected error while authorising ${handlerLabel(context)}: ${error instanceof Error ? error.message : String(error)}`,
      error instanceof Error ? error.stack : undefined,
    );
    return error;
  }

  const exception = toHttpException(error, config.realm, config.companyDeniedStatus);
  setResponseHeaders(context, exception.headers);
  logger.debug(
    `Rejected ${handlerLabel(context)} with ${exception.getStatus()} ${error.code}: ${loggableMessage(error.message)}` +
      ` (${error.clientIdVerified ? 'client' : 'claimed client'} ${error.clientId === undefined ? 'unknown' : loggableText(error.clientId)})`,
  );
  return exception;
}

interface HeaderWriter {
  setHeader?(name: string, value: string): void;
  header?(name: string, value: string): void;
  raw?: unknown;
  headersSent?: boolean;
}

function setResponseHeaders(context: ExecutionContext, headers: Readonly<Record<string, string>>): void {
  if (context.getType() !== 'http') {
    return;
  }
  const response = context.switchToHttp().getResponse<HeaderWriter>();
  for (const [name, value] of Object.entries(headers)) {
    if (response.raw !== undefined && typeof response.header === 'function') {
      response.header(name, value);
    } else if (typeof response.setHeader === 'function' && response.headersSent !== true) {
      response.setHeader(name, value);
    }
  }
}

/** Keeps a library error message to one line; the messages are the library's own text, but some quote request values. */
function loggableMessage(message: string): string {
  return message.replace(/[\x00-\x1f\x7f-\x9f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
