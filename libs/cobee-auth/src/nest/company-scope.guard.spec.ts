import { ExecutionContext, HttpException, Logger } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { CobeePrincipal } from '../core/cobee-principal';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { CompanyAccessService } from './company-access.service';
import { CompanyRecord } from '../core/company-scope.policy';
import { CompanyDirectory } from './company-directory';
import { CompanyScopeGuard } from './company-scope.guard';
import { CompanyScoped, Unscoped } from './decorators/company-scoped.decorator';
import { AllowContexts } from './decorators/allow-contexts.decorator';
import { Public } from './decorators/public.decorator';
import { authStateOf, HttpRequestLike, peekAuthState } from './request-auth-state';

const OWN = '5e9e9701-9883-447d-9884-46e75993e33b';
const SIBLING = '2c4b6f0e-7d1a-4f3b-8e2c-5a6b7c8d9e0f';
const STRANGER = '7f3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const GROUP = '9b1d7c3e-0c5a-4e7b-9a41-1f2e3d4c5b6a';

class Routes {
  defaultParam(): void {}

  @CompanyScoped({ param: 'id' })
  namedParam(): void {}

  @Unscoped()
  list(): void {}

  @Public()
  open(): void {}

  @AllowContexts('rpc')
  rpc(): void {}
}

class Directory extends CompanyDirectory {
  readonly companies = new Map<string, string | null>([
    [OWN, GROUP],
    [SIBLING, GROUP],
    [STRANGER, null],
  ]);

  findCompany(companyId: string): Promise<CompanyRecord | null> {
    const corporationId = this.companies.get(companyId);
    return Promise.resolve(corporationId === undefined ? null : { id: companyId, corporationId });
  }
}

function principal(overrides: Partial<CobeePrincipal> = {}): CobeePrincipal {
  return {
    clientId: 'partner',
    subject: 'partner@clients',
    companyId: OWN,
    corporationId: undefined,
    grantType: 'client-credentials',
    scopes: [],
    expiresAt: 0,
    claims: {},
    ...overrides,
  };
}

/** Builds a request the authentication guard passed, or, with `null`, one it never saw. */
function httpRequest(parts: Partial<HttpRequestLike> = {}, who: CobeePrincipal | null = principal()): HttpRequestLike {
  const request: HttpRequestLike = { headers: {}, rawHeaders: [], params: {}, query: {}, body: undefined, ...parts };
  if (who !== null) {
    authStateOf(request).principal = who;
  }
  return request;
}

function httpContext(handler: keyof Routes, request: HttpRequestLike): ExecutionContext {
  const response = { setHeader: jest.fn(), headersSent: false };
  const context = new ExecutionContextHost([request, response, () => undefined], Routes, Routes.prototype[handler]);
  context.setType('http');
  return context;
}

function graphqlContext(handler: keyof Routes, args: unknown, request: HttpRequestLike): ExecutionContext {
  const context = new ExecutionContextHost([{}, args, { req: request }, {}], Routes, Routes.prototype[handler]);
  context.setType('graphql');
  return context;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof HttpException ? error.getStatus() : undefined;
}

describe('CompanyScopeGuard', () => {
  let config: CobeeAuthConfig;
  let guard: CompanyScopeGuard;

  function build(directory: CompanyDirectory | undefined, overrides: Partial<CobeeAuthConfig> = {}): CompanyScopeGuard {
    config = {
      realm: 'api',
      companyDeniedStatus: 403,
      companyIdField: 'companyId',
      companyIdHeader: 'x-company-id',
      companyDirectoryCacheTtlMs: 60_000,
      companyDirectoryCacheSize: 100,
      clock: () => 0,
      ...overrides,
    } as CobeeAuthConfig;
    const moduleRef = {
      get: () => {
        if (directory === undefined) {
          throw new Error('not found');
        }
        return directory;
      },
    } as unknown as ModuleRef;
    const access = new CompanyAccessService(config, moduleRef);
    access.onModuleInit();
    return new CompanyScopeGuard(new Reflector(), access, config);
  }

  async function rejection(context: ExecutionContext): Promise<unknown> {
    return guard.canActivate(context).then(
      () => {
        throw new Error('the guard allowed the request');
      },
      (error: unknown) => error,
    );
  }

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  afterAll(() => {
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']);
  });

  beforeEach(() => {
    guard = build(new Directory());
  });

  describe('on HTTP', () => {
    it('allows the own company and records it', async () => {
      const request = httpRequest({ params: { companyId: OWN.toUpperCase() } });

      await expect(guard.canActivate(httpContext('defaultParam', request))).resolves.toBe(true);
      expect(peekAuthState(request)?.companyId).toBe(OWN);
      expect(peekAuthState(request)?.unscoped).toBeUndefined();
    });

    it('denies another company with 403', async () => {
      const error = await rejection(httpContext('defaultParam', httpRequest({ params: { companyId: STRANGER } })));

      expect(statusOf(error)).toBe(403);
    });

    it('denies an unknown company like a foreign one', async () => {
      const corporate = principal({ corporationId: GROUP });
      const unknown = '00000000-0000-4000-8000-000000000000';

      const foreign = await rejection(httpContext('defaultParam', httpRequest({ params: { companyId: STRANGER } }, corporate)));
      const missing = await rejection(httpContext('defaultParam', httpRequest({ params: { companyId: unknown } }, corporate)));

      expect(statusOf(foreign)).toBe(403);
      expect(statusOf(missing)).toBe(403);
      expect((missing as HttpException).getResponse()).toEqual((foreign as HttpException).getResponse());
    });

    it('answers denials with 404 when configured', async () => {
      guard = build(new Directory(), { companyDeniedStatus: 404 });

      const error = await rejection(httpContext('defaultParam', httpRequest({ params: { companyId: STRANGER } })));

      expect(statusOf(error)).toBe(404);
    });

    it('allows a sibling company to a corporation token', async () => {
      const request = httpRequest({ params: { companyId: SIBLING } }, principal({ corporationId: GROUP }));

      await expect(guard.canActivate(httpContext('defaultParam', request))).resolves.toBe(true);
      expect(peekAuthState(request)?.companyId).toBe(SIBLING);
    });

    it('denies a sibling company without a directory', async () => {
      guard = build(undefined);
      const request = httpRequest({ params: { companyId: SIBLING } }, principal({ corporationId: GROUP }));

      expect(statusOf(await rejection(httpContext('defaultParam', request)))).toBe(403);
    });

    it('reads the parameter a route names', async () => {
      const request = httpRequest({ params: { id: OWN, companyId: STRANGER } });

      await expect(guard.canActivate(httpContext('namedParam', request))).resolves.toBe(true);
      expect(peekAuthState(request)?.companyId).toBe(OWN);
    });

    it('denies a route whose named parameter is missing', async () => {
      const request = httpRequest({ params: { companyId: OWN } });

      expect(statusOf(await rejection(httpContext('namedParam', request)))).toBe(403);
      expect(peekAuthState(request)?.companyId).toBeUndefined();
    });

    it('denies a route without metadata or companyId parameter', async () => {
      const error = await rejection(httpContext('defaultParam', httpRequest({ params: { id: OWN } })));

      expect(statusOf(error)).toBe(403);
    });

    it('denies a request without parameters', async () => {
      const error = await rejection(httpContext('defaultParam', httpRequest({ params: undefined })));

      expect(statusOf(error)).toBe(403);
    });

    it('rejects a path id that is not a UUID with 400', async () => {
      const error = await rejection(httpContext('defaultParam', httpRequest({ params: { companyId: `{${OWN}}` } })));

      expect(statusOf(error)).toBe(400);
    });

    it.each([
      ['query', { query: { companyId: STRANGER } }],
      ['body', { body: { companyId: STRANGER } }],
      ['header', { rawHeaders: ['X-Company-Id', STRANGER] }],
    ])('rejects another company in the %s with 400', async (_name, parts) => {
      const request = httpRequest({ params: { companyId: OWN }, ...parts });

      expect(statusOf(await rejection(httpContext('defaultParam', request)))).toBe(400);
      expect(peekAuthState(request)?.companyId).toBeUndefined();
    });

    it('allows the same company named in every place', async () => {
      const request = httpRequest({
        params: { companyId: OWN },
        query: { companyId: OWN.toUpperCase() },
        body: { company_id: OWN },
        rawHeaders: ['X-Company-Id', OWN],
      });

      await expect(guard.canActivate(httpContext('defaultParam', request))).resolves.toBe(true);
    });

    it('denies a request the authentication guard did not see with 401', async () => {
      const error = await rejection(httpContext('defaultParam', httpRequest({ params: { companyId: OWN } }, null)));

      expect(statusOf(error)).toBe(401);
    });

    it('denies a request whose state has no principal with 401', async () => {
      const request = httpRequest({ params: { companyId: OWN } }, null);
      authStateOf(request).companyId = OWN;

      expect(statusOf(await rejection(httpContext('defaultParam', request)))).toBe(401);
    });

    it('explains a denial in the body', async () => {
      const error = await rejection(httpContext('defaultParam', httpRequest({ params: { companyId: STRANGER } })));

      expect((error as HttpException).getResponse()).toMatchObject({ statusCode: 403, message: "The requested company is not in the token's scope" });
    });

    it('passes a public route without a principal', async () => {
      await expect(guard.canActivate(httpContext('open', httpRequest({}, null)))).resolves.toBe(true);
    });
  });

  describe('on unscoped routes', () => {
    it('allows a request that names no company', async () => {
      const request = httpRequest();

      await expect(guard.canActivate(httpContext('list', request))).resolves.toBe(true);
      expect(peekAuthState(request)?.unscoped).toBe(true);
      expect(peekAuthState(request)?.companyId).toBeUndefined();
    });

    it('allows a named company in scope', async () => {
      await expect(guard.canActivate(httpContext('list', httpRequest({ query: { companyId: OWN } })))).resolves.toBe(true);
    });

    it('denies a named company out of scope', async () => {
      const request = httpRequest({ query: { companyId: STRANGER } });

      expect(statusOf(await rejection(httpContext('list', request)))).toBe(403);
      expect(peekAuthState(request)?.unscoped).toBeUndefined();
    });

    it('rejects two different companies with 400', async () => {
      const error = await rejection(httpContext('list', httpRequest({ query: { companyId: OWN }, body: { companyId: SIBLING } })));

      expect(statusOf(error)).toBe(400);
    });
  });

  describe('on other contexts', () => {
    it('scopes a GraphQL resolver by its argument', async () => {
      const request = httpRequest({ params: { companyId: STRANGER } });

      await expect(guard.canActivate(graphqlContext('defaultParam', { companyId: OWN }, request))).resolves.toBe(true);
      expect(peekAuthState(request)?.companyId).toBe(OWN);
    });

    it('denies a GraphQL resolver for another company', async () => {
      const error = await rejection(graphqlContext('defaultParam', { companyId: STRANGER }, httpRequest({ params: { companyId: OWN } })));

      expect(statusOf(error)).toBe(403);
    });

    it.each([
      ['no arguments', undefined],
      ['null arguments', null],
      ['a string', OWN],
    ])('denies a GraphQL resolver with %s', async (_name, args) => {
      const error = await rejection(graphqlContext('defaultParam', args, httpRequest({ params: { companyId: OWN } })));

      expect(statusOf(error)).toBe(403);
    });

    it('names the GraphQL argument in a 400', async () => {
      const error = await rejection(graphqlContext('defaultParam', { companyId: 'acme' }, httpRequest()));

      expect(statusOf(error)).toBe(400);
      expect(JSON.stringify((error as HttpException).getResponse())).toContain('argument');
    });

    it('passes an RPC handler that opted in', async () => {
      const context = new ExecutionContextHost([{}, {}], Routes, Routes.prototype.rpc);
      context.setType('rpc');

      await expect(guard.canActivate(context)).resolves.toBe(true);
    });

    it('denies an RPC handler that did not opt in', async () => {
      const context = new ExecutionContextHost([{}, {}], Routes, Routes.prototype.defaultParam);
      context.setType('rpc');

      await expect(guard.canActivate(context)).rejects.toBeInstanceOf(HttpException);
    });
  });
});
