import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { CobeeAuthTestBed, createCobeeAuthTestingModule, DevIssuer } from '@cobee/auth/testing';
import { AppModule } from '../src/app.module';
import { COMPANIES } from '../src/static-company.directory';

const CLIENTS = [
  { clientId: 'acme-payroll', companyId: COMPANIES.acme, scopes: ['read:payroll'] },
  { clientId: 'acme-reader', companyId: COMPANIES.acme, scopes: [] },
];

describe('payroll API with the testing kit', () => {
  let bed: CobeeAuthTestBed;
  let app: INestApplication;

  beforeAll(async () => {
    bed = await createCobeeAuthTestingModule({ imports: [AppModule], clients: CLIENTS });
    app = (await bed.compile()).createNestApplication();
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await bed.close();
  });

  it('own company gets 200', async () => {
    const response = await request(app.getHttpServer())
      .get(`/companies/${COMPANIES.acme}/payroll`)
      .auth(bed.token('acme-payroll'), { type: 'bearer' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ companyId: COMPANIES.acme, total: 1000 });
  });

  it('token from the token endpoint gets 200', async () => {
    const tokenResponse = await fetch(bed.issuer.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: 'acme-payroll',
        client_secret: bed.clientSecret('acme-payroll'),
        audience: bed.audience,
      }),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };

    const response = await request(app.getHttpServer()).get('/me').auth(token, { type: 'bearer' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ clientId: 'acme-payroll', companyId: COMPANIES.acme });
  });

  it('missing token gets 401', async () => {
    const response = await request(app.getHttpServer()).get(`/companies/${COMPANIES.acme}/payroll`);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it('expired token gets 401', async () => {
    const token = bed.tokenBuilder('acme-payroll').expired().build();

    const response = await request(app.getHttpServer()).get(`/companies/${COMPANIES.acme}/payroll`).auth(token, { type: 'bearer' });

    expect(response.status).toBe(401);
    expect(response.body.message).toBe('The access token expired');
  });

  it('wrong audience gets 401', async () => {
    const token = bed.tokenBuilder('acme-payroll').wrongAudience().build();

    const response = await request(app.getHttpServer()).get(`/companies/${COMPANIES.acme}/payroll`).auth(token, { type: 'bearer' });

    expect(response.status).toBe(401);
    expect(response.body.message).toBe("The access token claim 'aud' is invalid");
  });

  it('other company gets 403', async () => {
    const response = await request(app.getHttpServer())
      .get(`/companies/${COMPANIES.globex}/payroll`)
      .auth(bed.token('acme-payroll'), { type: 'bearer' });

    expect(response.status).toBe(403);
  });

  it('token of another company gets 403', async () => {
    const token = bed.tokenBuilder('acme-payroll').forOtherCompany(COMPANIES.globex).build();

    const response = await request(app.getHttpServer()).get(`/companies/${COMPANIES.acme}/payroll`).auth(token, { type: 'bearer' });

    expect(response.status).toBe(403);
  });

  it('missing scope gets 403', async () => {
    const response = await request(app.getHttpServer())
      .get(`/companies/${COMPANIES.acme}/payroll`)
      .auth(bed.token('acme-reader'), { type: 'bearer' });

    expect(response.status).toBe(403);
    expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
  });

  it('public route needs no token', async () => {
    const response = await request(app.getHttpServer()).get('/health');

    expect(response.status).toBe(200);
  });
});

describe('payroll API configured from the environment', () => {
  let issuer: DevIssuer;
  let app: INestApplication;

  beforeAll(async () => {
    issuer = await DevIssuer.start({
      audiences: ['https://payroll.example'],
      clients: [{ clientId: 'acme-payroll', secret: 'a-long-test-secret', companyId: COMPANIES.acme, scopes: ['read:payroll'] }],
    });
    process.env.AUTH_ISSUER_URL = issuer.url;
    process.env.AUTH_AUDIENCE = 'https://payroll.example';
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await issuer.stop();
    delete process.env.AUTH_ISSUER_URL;
    delete process.env.AUTH_AUDIENCE;
  });

  it('forRootAsync reads the issuer from ConfigService', async () => {
    const response = await request(app.getHttpServer())
      .get(`/companies/${COMPANIES.acme}/payroll`)
      .auth(issuer.issueToken('acme-payroll'), { type: 'bearer' });

    expect(response.status).toBe(200);
  });
});
