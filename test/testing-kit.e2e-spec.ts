import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import request from 'supertest';
import { CurrentCompany, RequiredScopes } from '@cobee/auth';
import { CobeeAuthTestBed, createCobeeAuthTestingModule, DEFAULT_TEST_AUDIENCE, WRONG_AUDIENCE } from '@cobee/auth/testing';
import { AppModule } from '../apps/demo-api/src/app.module';
import { createHttpAdapter, waitForHttpServer } from '../apps/demo-api/src/http-adapter';
import { ADAPTERS } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';

const ACME = '0b7c54a3-3f4e-4c11-9a55-2f7d01c3e0a1';
const GLOBEX = '6d1f0e55-8a0b-4c7e-b0a2-3c9d4e5f6a7b';

@Controller('companies/:companyId/reports')
class ReportsController {
  @Get()
  @RequiredScopes('read:reports')
  list(@CurrentCompany() companyId: string): { companyId: string } {
    return { companyId };
  }
}

@Module({ controllers: [ReportsController] })
class ReportsModule {}

async function startApp(bed: CobeeAuthTestBed, adapter: (typeof ADAPTERS)[number]): Promise<INestApplication> {
  const httpAdapter = createHttpAdapter(adapter);
  const app = (await bed.compile()).createNestApplication(httpAdapter, { logger: false });
  await app.init();
  await waitForHttpServer(httpAdapter);
  return app;
}

describe.each(ADAPTERS)('testing kit on %s (e2e)', (adapter) => {
  describe('with a module that does not configure the library', () => {
    let bed: CobeeAuthTestBed;
    let app: INestApplication;
    const route = `/companies/${ACME}/reports`;

    beforeAll(async () => {
      bed = await createCobeeAuthTestingModule({
        imports: [ReportsModule],
        clients: [
          { clientId: 'acme-reports', companyId: ACME, scopes: ['read:reports'] },
          { clientId: 'acme-nothing', companyId: ACME },
        ],
      });
      app = await startApp(bed, adapter);
    });

    afterAll(async () => {
      await app.close();
      await bed.close();
    });

    it('registers the module with global guards', async () => {
      const response = await request(app.getHttpServer()).get(route);

      expect(bed.moduleOptions).toEqual({ issuerUrl: bed.issuer.url, audience: DEFAULT_TEST_AUDIENCE });
      expect(response.status).toBe(401);
    });

    it('valid token gets 200', async () => {
      const response = await request(app.getHttpServer()).get(route).auth(bed.token('acme-reports'), { type: 'bearer' });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ companyId: ACME });
    });

    it('token from the endpoint gets 200', async () => {
      const tokenResponse = await fetch(bed.issuer.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'acme-reports',
          client_secret: bed.clientSecret('acme-reports'),
          audience: bed.audience,
        }),
      });
      expect(tokenResponse.status).toBe(200);
      const { access_token: token } = (await tokenResponse.json()) as { access_token: string };

      const response = await request(app.getHttpServer()).get(route).auth(token, { type: 'bearer' });

      expect(response.status).toBe(200);
    });

    it('expired() gets 401', async () => {
      const token = bed.tokenBuilder('acme-reports').expired().build();

      const response = await request(app.getHttpServer()).get(route).auth(token, { type: 'bearer' });

      expect(response.status).toBe(401);
      expect(response.body.message).toBe('The access token expired');
    });

    it('wrongAudience() gets 401', async () => {
      const builder = bed.tokenBuilder('acme-reports').wrongAudience();

      const response = await request(app.getHttpServer()).get(route).auth(builder.build(), { type: 'bearer' });

      expect(builder.payload.aud).toBe(WRONG_AUDIENCE);
      expect(response.status).toBe(401);
      expect(response.body.message).toBe("The access token claim 'aud' is invalid");
    });

    it('forOtherCompany() gets 403', async () => {
      const token = bed.tokenBuilder('acme-reports').forOtherCompany().build();

      const response = await request(app.getHttpServer()).get(route).auth(token, { type: 'bearer' });

      expect(response.status).toBe(403);
      expect(response.body.message).toBe("The requested company is not in the token's scope");
    });

    it('forOtherCompany(id) reaches that company', async () => {
      const token = bed.tokenBuilder('acme-reports').forOtherCompany(GLOBEX).build();

      const response = await request(app.getHttpServer())
        .get(`/companies/${GLOBEX}/reports`)
        .auth(token, { type: 'bearer' });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ companyId: GLOBEX });
    });

    it('withScopes() without the scope gets 403', async () => {
      const token = bed.tokenBuilder('acme-reports').withScopes('read:other').build();

      const response = await request(app.getHttpServer()).get(route).auth(token, { type: 'bearer' });

      expect(response.status).toBe(403);
      expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
    });

    it('client without scopes gets 403', async () => {
      const response = await request(app.getHttpServer()).get(route).auth(bed.token('acme-nothing'), { type: 'bearer' });

      expect(response.status).toBe(403);
    });
  });

  describe('with an application that configures the library', () => {
    let bed: CobeeAuthTestBed;
    let app: INestApplication;

    beforeAll(async () => {
      const unreachableIssuer = 'https://issuer.invalid/';
      bed = await createCobeeAuthTestingModule({
        imports: [AppModule.forRoot({ auth: { issuerUrl: unreachableIssuer, audience: 'https://api.invalid' }, databasePath: ':memory:' })],
        clients: [{ clientId: 'acme-iberia', companyId: DEMO_IDS.companies.acmeIberia, scopes: ['read:companies'] }],
      });
      app = await startApp(bed, adapter);
    });

    afterAll(async () => {
      await app.close();
      await bed.close();
    });

    it('replaces the issuer and audience', async () => {
      const response = await request(app.getHttpServer()).get('/companies').auth(bed.token('acme-iberia'), { type: 'bearer' });

      expect(response.status).toBe(200);
      expect(response.body.map((company: { id: string }) => company.id)).toEqual([DEMO_IDS.companies.acmeIberia]);
    });
  });
});

describe('testing kit misuse (e2e)', () => {
  it('rejects a bed without clients', async () => {
    await expect(createCobeeAuthTestingModule({ imports: [ReportsModule], clients: [] })).rejects.toThrow(
      'createCobeeAuthTestingModule() needs at least one client in "clients"',
    );
  });

  it('compile() rejects a module without the library', async () => {
    const bed = await createCobeeAuthTestingModule({
      imports: [ReportsModule],
      clients: [{ clientId: 'acme-reports', companyId: ACME }],
      registerModule: false,
    });
    try {
      await expect(bed.compile()).rejects.toThrow('The testing module has no CobeeAuthModule');
    } finally {
      await bed.close();
    }
  });

  it('clientSecret() rejects an unknown client', async () => {
    const bed = await createCobeeAuthTestingModule({ imports: [ReportsModule], clients: [{ clientId: 'acme-reports', companyId: ACME }] });
    try {
      expect(() => bed.clientSecret('nobody')).toThrow('The test bed has no secret for client "nobody"');
    } finally {
      await bed.close();
    }
  });
});
