import { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, NestMiddleware } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { match, MatchFunction } from 'path-to-regexp';
import { extractBearerToken } from '../core/bearer-token.extractor';
import { CobeeAuthError, InsufficientScopeError } from '../core/cobee-auth.errors';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { toHttpException } from './cobee-auth.exceptions';
import { COBEE_AUTH_CONFIG } from './cobee-auth.tokens';
import { CompanyAccessService } from './company-access.service';
import { collectCompanyReferences } from './company-reference.collector';
import { DEFAULT_COMPANY_PARAM } from './decorators/company-scoped.decorator';
import { AuditedRoute, RouteAuditService } from './route-audit.service';
import { TokenVerifier } from './token-verifier.service';

interface CompiledRoute {
  readonly route: AuditedRoute;
  readonly match: MatchFunction<Record<string, string | string[]>>;
}

type MiddlewareRequest = IncomingMessage & { originalUrl?: string };

/**
 * Authorises `OPTIONS` requests to scoped routes the way `GET` is authorised. Neither Express
 * nor Fastify routes `OPTIONS` to a Nest handler, so the guards never see it: Express responds
 * to it by itself with the route's methods. This middleware runs first and applies the same token,
 * scope and company checks as the path's `GET` route (or its first route), then responds 204
 * with `Allow`. CORS preflight requests (`Origin` plus `Access-Control-Request-Method`) pass
 * through untouched, because browsers never send credentials with them.
 */
@Injectable()
export class OptionsRequestMiddleware implements NestMiddleware {
  private readonly logger = new Logger(OptionsRequestMiddleware.name);
  private compiledRoutes: CompiledRoute[] | undefined;

  constructor(
    private readonly routeAudit: RouteAuditService,
    private readonly verifier: TokenVerifier,
    private readonly access: CompanyAccessService,
    private readonly applicationConfig: ApplicationConfig,
    @Inject(COBEE_AUTH_CONFIG) private readonly config: CobeeAuthConfig,
  ) {}

  async use(request: MiddlewareRequest, response: ServerResponse, next: (error?: unknown) => void): Promise<void> {
    if (request.method !== 'OPTIONS' || isCorsPreflight(request)) {
      next();
      return;
    }

    let target: RequestTarget;
    let matches: Array<CompiledRoute & { params: Record<string, unknown> }>;
    try {
      target = parseRequestTarget(request.originalUrl ?? request.url ?? '/');
      matches = this.findRoutes(target.pathname);
    } catch {
      this.respond(response, 400, { statusCode: 400, error: 'Bad Request', message: 'The request target is not a valid path' });
      return;
    }
    const model = matches.find((candidate) => candidate.route.method === 'GET') ?? matches[0];
    if (model === undefined || model.route.isPublic) {
      next();
      return;
    }

    try {
      await this.authorize(request, target.query, model);
    } catch (error) {
      if (!(error instanceof CobeeAuthError)) {
        next(error);
        return;
      }
      this.reject(response, error, model.route.label);
      return;
    }
    const methods = new Set(matches.map((candidate) => candidate.route.method));
    if (methods.has('GET')) {
      methods.add('HEAD');
    }
    methods.add('OPTIONS');
    response.writeHead(204, { Allow: [...methods].join(', ') });
    response.end();
  }

  private async authorize(
    request: MiddlewareRequest,
    query: Record<string, string | string[]>,
    model: CompiledRoute & { params?: Record<string, unknown> },
  ): Promise<void> {
    const principal = await this.verifier.verify(
      extractBearerToken({ rawHeaders: request.rawHeaders, query, body: undefined }),
    );
    const required = model.route.requiredScopes;
    if (required !== undefined && !required.every((scope) => principal.scopes.includes(scope))) {
      throw new InsufficientScopeError(required);
    }

    const references = collectCompanyReferences({ headers: {}, rawHeaders: request.rawHeaders, query }, this.config);
    if (model.route.scope?.mode === 'unscoped') {
      await this.access.authorizeUnscoped(principal, references, model.route.label);
      return;
    }
    const param = model.route.scope?.param ?? DEFAULT_COMPANY_PARAM;
    await this.access.authorizeScoped(
      principal,
      model.params ?? {},
      param,
      `path parameter "${param}"`,
      references,
      model.route.label,
    );
  }

  private findRoutes(pathname: string): Array<CompiledRoute & { params: Record<string, unknown> }> {
    this.compiledRoutes ??= this.compileRoutes();
    const found: Array<CompiledRoute & { params: Record<string, unknown> }> = [];
    for (const compiled of this.compiledRoutes) {
      const result = compiled.match(pathname);
      if (result !== false) {
        found.push({ ...compiled, params: result.params });
      }
    }
    return found;
  }

  private compileRoutes(): CompiledRoute[] {
    const prefix = this.applicationConfig.getGlobalPrefix().replace(/^\/+|\/+$/g, '');
    return this.routeAudit.listRoutes().flatMap((route) =>
      route.paths.map((path) => ({
        route,
        match: match<Record<string, string | string[]>>(prefix === '' ? path : `/${prefix}${path}`, {
          decode: decodeURIComponent,
          trailing: true,
        }),
      })),
    );
  }

  private reject(response: ServerResponse, error: CobeeAuthError, route: string): void {
    const exception = toHttpException(error, this.config.realm, this.config.companyDeniedStatus);
    this.logger.debug(`Rejected OPTIONS on ${route} with ${exception.getStatus()} ${error.code}`);
    this.respond(response, exception.getStatus(), exception.getResponse(), exception.headers);
  }

  private respond(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    });
    response.end(text);
  }
}

/** The path and query of a request target. */
interface RequestTarget {
  readonly pathname: string;
  readonly query: Record<string, string | string[]>;
}

/**
 * Splits a request target into path and query without reading anything as a host: `//x/y` is
 * the path `//x/y`, as the router sees it. The absolute form (`http://host/path`) is read with
 * the URL parser, as the router does.
 *
 * @throws TypeError for an absolute-form target that is not a valid URL
 */
function parseRequestTarget(target: string): RequestTarget {
  if (!target.startsWith('/')) {
    const url = new URL(target);
    return { pathname: url.pathname, query: queryObject(url.searchParams) };
  }
  const separator = target.indexOf('?');
  return separator < 0
    ? { pathname: target, query: {} }
    : { pathname: target.slice(0, separator), query: queryObject(new URLSearchParams(target.slice(separator + 1))) };
}

function isCorsPreflight(request: IncomingMessage): boolean {
  return request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined;
}

/** Parses a query string into an object whose repeated keys become arrays, as Express and Fastify do. */
function queryObject(searchParams: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of searchParams) {
    const existing = query[name];
    query[name] = existing === undefined ? value : ([] as string[]).concat(existing, value);
  }
  return query;
}
