import { Controller, Get, INestApplication, Module, Param, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Database from 'better-sqlite3';
import request from 'supertest';
import {
  CobeeAuthConfigurationError,
  CobeeAuthGuard,
  CobeeAuthModule,
  CompanyContextMissingError,
  CompanyScoped,
  CompanyScopeGuard,
  CurrentCompany,
  Public,
} from '@cobee/auth';
import { DevIssuer } from '@cobee/auth/testing';
import { AppModule } from '../apps/demo-api/src/app.module';
import { configureDemoApp } from '../apps/demo-api/src/app.setup';
import { DATABASE } from '../apps/demo-api/src/database/database.module';
import { DEMO_CLIENTS } from '../apps/demo-api/src/dev/demo-data';
import { EmployeesModule } from '../apps/demo-api/src/employees/employees.module';
import { createHttpAdapter, waitForHttpServer } from '../apps/demo-api/src/http-adapter';
import { EmployeesRepository } from '../apps/demo-api/src/employees/employees.repository';
import { CapturingLogger } from './support/capturing.logger';
import { ADAPTERS, TEST_CLIENT_SECRET } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';

const AUDIENCE = 'https://fixture-api.example';
const { acmeIberia, acmePortugal, soloFoods } = DEMO_IDS.companies;

/** Replaces a handler with a wrapper and copies none of its metadata, as careless decorators do. */
function DropsMetadata(): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: unknown[]) => unknown;
    descriptor.value = function wrapped(this: unknown, ...args: unknown[]) {
      return original.apply(this, args);
    };
  };
}

@Controller('fixtures')
class UnscopedRouteController {
  @Get('reports')
  reports(): string {
    return 'every company';
  }
}

@Controller('things')
class MisnamedParameterController {
  @Get(':id')
  @CompanyScoped({ param: 'companyId' })
  find(@Param('id') id: string): string {
    return id;
  }
}

@Controller('wrapped')
class WrappedHandlerController {
  @Get(':id')
  @DropsMetadata()
  @CompanyScoped({ param: 'id' })
  find(@Param('id') id: string): string {
    return id;
  }
}

@Controller('named')
class NamedParameterController {
  @Get(':id')
  @CompanyScoped({ param: 'id' })
  find(@CurrentCompany() companyId: string): string {
    return companyId;
  }
}

@Controller('per-route/:companyId')
@UseGuards(CobeeAuthGuard, CompanyScopeGuard)
class PerRouteGuardsController {
  @Get()
  find(@CurrentCompany() companyId: string): { companyId: string } {
    return { companyId };
  }
}

@Controller('half-guarded')
@UseGuards(CobeeAuthGuard)
class HalfGuardedController {
  @Get()
  find(): string {
    return 'authenticated but unscoped';
  }
}

@Controller('open')
class OpenController {
  @Get()
  find(): string {
    return 'not protected by this library';
  }
}

describe.each(ADAPTERS)('route fixtures on %s (e2e)', (adapter) => {
  let issuer: DevIssuer;

  beforeAll(async () => {
    issuer = await DevIssuer.start({
      audiences: [AUDIENCE],
      clients: DEMO_CLIENTS.map((client) => ({ ...client, secret: TEST_CLIENT_SECRET })),
    });
  });

  afterAll(async () => {
    await issuer.stop();
  });

  async function startFixture(
    controllers: Array<new (...args: never[]) => unknown>,
    options: { globalGuards: boolean; routeAudit?: 'error' | 'warn' },
  ): Promise<INestApplication> {
    @Module({ controllers })
    class FixtureModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        CobeeAuthModule.forRoot({ issuerUrl: issuer.url, audience: AUDIENCE, routeAudit: options.routeAudit ?? 'error', globalGuards: options.globalGuards }),
        FixtureModule,
      ],
    }).compile();
    const httpAdapter = createHttpAdapter(adapter);
    const app = moduleRef.createNestApplication(httpAdapter, { logger: new CapturingLogger() });
    await app.init();
    await waitForHttpServer(httpAdapter);
    return app;
  }

  describe('start-up audit', () => {
    it('fails on a route that is neither scoped, unscoped nor public', async () => {
      const attempt = startFixture([UnscopedRouteController], { globalGuards: true });

      await expect(attempt).rejects.toThrow(CobeeAuthConfigurationError);
      await expect(startFixture([UnscopedRouteController], { globalGuards: true })).rejects.toThrow(
        /UnscopedRouteController\.reports \(GET \/fixtures\/reports\) is neither company-scoped/,
      );
    });

    it('fails on a scoped route whose parameter is missing', async () => {
      await expect(startFixture([MisnamedParameterController], { globalGuards: true })).rejects.toThrow(
        /MisnamedParameterController\.find \(GET \/things\/:id\) is scoped by the route parameter "companyId", which its path does not have/,
      );
    });

    it('fails on a handler whose metadata was dropped', async () => {
      await expect(startFixture([WrappedHandlerController], { globalGuards: true })).rejects.toThrow(/WrappedHandlerController/);
    });

    it('fails on a route with only the authentication guard', async () => {
      await expect(startFixture([HalfGuardedController], { globalGuards: false })).rejects.toThrow(
        /runs CobeeAuthGuard without CompanyScopeGuard/,
      );
    });

    it('fails when a guard class is passed to useGlobalGuards', async () => {
      @Module({ controllers: [OpenController] })
      class FixtureModule {}
      const moduleRef = await Test.createTestingModule({
        imports: [CobeeAuthModule.forRoot({ issuerUrl: issuer.url, audience: AUDIENCE }), FixtureModule],
      }).compile();
      const app = moduleRef.createNestApplication(createHttpAdapter(adapter), { logger: new CapturingLogger() });

      // Nest 11.2 rejects the class itself; the route audit reports it on versions that do not.
      const start = async (): Promise<void> => {
        app.useGlobalGuards(CobeeAuthGuard as never);
        await app.init();
      };

      await expect(start()).rejects.toThrow(/CobeeAuthGuard/);
      await app.close();
    });

    it('passes for per-route guards and lets unguarded routes be', async () => {
      const app = await startFixture([PerRouteGuardsController, OpenController], { globalGuards: false });
      try {
        expect((await request(app.getHttpServer()).get('/open')).status).toBe(200);
      } finally {
        await app.close();
      }
    });
  });

  describe('runtime when the audit only warns', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await startFixture([UnscopedRouteController, MisnamedParameterController, WrappedHandlerController, NamedParameterController], {
        globalGuards: true,
        routeAudit: 'warn',
      });
    });

    afterAll(async () => {
      await app.close();
    });

    const get = (path: string) =>
      request(app.getHttpServer()).get(path).auth(issuer.issueToken('demo-acme-iberia', AUDIENCE), { type: 'bearer' });

    it('unscoped route is denied', async () => {
      const response = await get('/fixtures/reports');

      expect(response.status).toBe(403);
      expect(response.text).not.toContain('every company');
    });

    it('route with the company under another name is denied', async () => {
      const response = await get(`/things/${acmeIberia}`);

      expect(response.status).toBe(403);
    });

    it('handler with dropped metadata is denied', async () => {
      const response = await get(`/wrapped/${acmeIberia}`);

      expect(response.status).toBe(403);
    });

    it('route naming its parameter explicitly is scoped by it', async () => {
      const own = await get(`/named/${acmeIberia.toUpperCase()}`);
      const foreign = await get(`/named/${soloFoods}`);

      expect(own.status).toBe(200);
      expect(own.text).toBe(acmeIberia);
      expect(foreign.status).toBe(403);
    });
  });

  describe('per-controller guards', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await startFixture([PerRouteGuardsController, OpenController], { globalGuards: false });
    });

    afterAll(async () => {
      await app.close();
    });

    it('rejects a missing token', async () => {
      const response = await request(app.getHttpServer()).get(`/per-route/${acmeIberia}`);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
    });

    it('rejects another company', async () => {
      const response = await request(app.getHttpServer())
        .get(`/per-route/${acmePortugal}`)
        .auth(issuer.issueToken('demo-acme-iberia', AUDIENCE), { type: 'bearer' });

      expect(response.status).toBe(403);
    });

    it('serves the own company', async () => {
      const response = await request(app.getHttpServer())
        .get(`/per-route/${acmeIberia}`)
        .auth(issuer.issueToken('demo-acme-iberia', AUDIENCE), { type: 'bearer' });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ companyId: acmeIberia });
    });
  });
});

@Controller('companies/:companyId/careless')
class CarelessController {
  constructor(private readonly employees: EmployeesRepository) {}

  /** Lists employees without passing any company; the repository uses only the company context. */
  @Get()
  list(): unknown {
    return this.employees.list({ limit: 200, offset: 0 });
  }
}

@Controller('careless-public')
@Public()
class CarelessPublicController {
  constructor(private readonly employees: EmployeesRepository) {}

  @Get()
  list(): unknown {
    return this.employees.list({ limit: 200, offset: 0 });
  }
}

@Module({ imports: [EmployeesModule], controllers: [CarelessController, CarelessPublicController] })
class CarelessModule {}

describe.each(ADAPTERS)('company context in the data layer on %s (e2e)', (adapter) => {
  let issuer: DevIssuer;
  let app: INestApplication;
  let logger: CapturingLogger;
  let now: number;

  beforeAll(async () => {
    issuer = await DevIssuer.start({
      audiences: [AUDIENCE],
      clients: DEMO_CLIENTS.map((client) => ({ ...client, secret: TEST_CLIENT_SECRET })),
    });
    now = Date.now();
    logger = new CapturingLogger();
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppModule.forRoot({
          auth: { issuerUrl: issuer.url, audience: AUDIENCE, clock: () => now, companyDirectoryCacheTtlSeconds: 60 },
          databasePath: ':memory:',
        }),
        CarelessModule,
      ],
    })
      .setLogger(logger)
      .compile();
    const httpAdapter = createHttpAdapter(adapter);
    app = configureDemoApp(moduleRef.createNestApplication(httpAdapter, { logger }));
    await app.init();
    await waitForHttpServer(httpAdapter);
  });

  afterAll(async () => {
    await app.close();
    await issuer.stop();
  });

  it('repository returns only the scoped company rows', async () => {
    const response = await request(app.getHttpServer())
      .get(`/companies/${acmeIberia}/careless`)
      .auth(issuer.issueToken('demo-acme-iberia', AUDIENCE), { type: 'bearer' });

    expect(response.status).toBe(200);
    expect(response.body.items.length).toBeGreaterThan(0);
    expect(response.body.items.every((employee: { companyId: string }) => employee.companyId === acmeIberia)).toBe(true);
  });

  it('repository outside a scoped request fails closed', async () => {
    logger.clear();

    const response = await request(app.getHttpServer()).get('/careless-public');

    expect(response.status).toBe(500);
    expect(response.text).not.toContain('@');
    expect(logger.text).toContain(CompanyContextMissingError.name);
  });

  it('company leaving its corporation is unreachable after the cache TTL', async () => {
    const token = issuer.issueToken('demo-acme-group', AUDIENCE);
    const get = () => request(app.getHttpServer()).get(`/companies/${acmePortugal}`).auth(token, { type: 'bearer' });
    expect((await get()).status).toBe(200);

    app.get<Database.Database>(DATABASE).prepare('UPDATE companies SET corporation_id = NULL WHERE id = ?').run(acmePortugal);
    now += 59_000;
    const withinTtl = await get();
    now += 2_000;
    const afterTtl = await get();

    expect(withinTtl.status).toBe(200);
    expect(afterTtl.status).toBe(403);
  });
});
