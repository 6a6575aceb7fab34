import request from 'supertest';
import { DemoAppHarness, startDemoApp, ADAPTERS } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';

const { acmeIberia, acmePortugal, soloFoods } = DEMO_IDS.companies;
const ROUTE_A = `/companies/${acmeIberia}/employees`;
const CONFLICT = 'The request names more than one company or repeats a company parameter';
const OUT_OF_SCOPE = "The requested company is not in the token's scope";

/** One request that names a company outside the route path, with the expected status and message. */
type ScopeCase = [name: string, send: (token: string) => request.Test, status: number, message: string | undefined];

/**
 * Attempts to reach another company than the route's through the query string, the body or
 * the company header, in every spelling the guard folds together.
 */
describe.each(ADAPTERS)('company scope under attack on %s (e2e)', (adapter) => {
  let harness: DemoAppHarness;

  beforeAll(async () => {
    harness = await startDemoApp({ adapter });
  });

  afterAll(async () => {
    await harness.close();
  });

  function expectResponse(response: request.Response, status: number, message: string | undefined, token: string): void {
    expect(response.status).toBe(status);
    expect(response.status).toBeLessThan(500);
    if (message !== undefined) {
      expect(response.body.message).toBe(message);
    }
    expect(response.text).not.toContain(token);
    expect(harness.logger.text).not.toContain(token);
  }

  const scopedCases: ScopeCase[] = [
    ['query companyId for company B', (token) => harness.http().get(ROUTE_A).query({ companyId: soloFoods }).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ['query company_id for company B', (token) => harness.http().get(ROUTE_A).query({ company_id: soloFoods }).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ['query COMPANY-ID for company B', (token) => harness.http().get(ROUTE_A).query({ 'COMPANY-ID': soloFoods }).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ['query CompanyID for company B', (token) => harness.http().get(ROUTE_A).query({ CompanyID: soloFoods }).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ['query companyId repeated with company A', (token) => harness.http().get(`${ROUTE_A}?companyId=${acmeIberia}&companyId=${acmeIberia}`).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ['query companyId that is not a UUID', (token) => harness.http().get(ROUTE_A).query({ companyId: 'acme' }).auth(token, { type: 'bearer' }), 400, 'The company id in query parameter "companyId" must be a UUID'],
    ['header X-Company-Id for company B', (token) => harness.http().get(ROUTE_A).set('X-Company-Id', soloFoods).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ['header x_company_id for company B', (token) => harness.http().get(ROUTE_A).set('x_company_id', soloFoods).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ['header X-COMPANYID for company B', (token) => harness.http().get(ROUTE_A).set('X-COMPANYID', soloFoods).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ['two company headers for company A', (token) => harness.http().get(ROUTE_A).set('X-Company-Id', acmeIberia).set('x_company_id', acmeIberia).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ['header company id that is not a UUID', (token) => harness.http().get(ROUTE_A).set('X-Company-Id', `${acmeIberia}x`).auth(token, { type: 'bearer' }), 400, 'The company id in header "x-company-id" must be a UUID'],
    ['body companyId for company B', (token) => harness.http().post(ROUTE_A).send({ companyId: soloFoods }).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ['body company_id for company B', (token) => harness.http().post(ROUTE_A).send({ company_id: soloFoods }).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ['body array item for company B', (token) => harness.http().post(ROUTE_A).send([{ name: 'x' }, { companyId: soloFoods }]).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ['form body companyId for company B', (token) => harness.http().post(ROUTE_A).type('form').send({ companyId: soloFoods }).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ['body companyId as a list', (token) => harness.http().post(ROUTE_A).send({ companyId: [acmeIberia] }).auth(token, { type: 'bearer' }), 400, 'The company id in body field "companyId" must be a UUID'],
    ['body companyId as an object', (token) => harness.http().post(ROUTE_A).send({ companyId: { id: acmeIberia } }).auth(token, { type: 'bearer' }), 400, 'The company id in body field "companyId" must be a UUID'],
  ];

  it.each(scopedCases)('%s on a company-A route is rejected', async (_name, send, status, message) => {
    const token = harness.tokenFor('demo-acme-iberia');

    const response = await send(token);

    expectResponse(response, status, message, token);
    expect(response.headers['www-authenticate']).toBeUndefined();
  });

  it('corporation token must still name one company', async () => {
    const token = harness.tokenFor('demo-acme-group');

    const response = await harness.http().get(ROUTE_A).set('X-Company-Id', acmePortugal).auth(token, { type: 'bearer' });

    expectResponse(response, 400, CONFLICT, token);
  });

  it.each([
    ['the same company in the header', acmeIberia],
    ['the same company in upper case', acmeIberia.toUpperCase()],
  ])('company-A route with %s is allowed', async (_name, headerValue) => {
    const token = harness.tokenFor('demo-acme-iberia');

    const response = await harness.http().get(ROUTE_A).set('X-Company-Id', headerValue).auth(token, { type: 'bearer' });

    expect(response.status).toBe(200);
  });

  it('upper-case path and lower-case header agree', async () => {
    const token = harness.tokenFor('demo-acme-iberia');

    const response = await harness
      .http()
      .get(`/companies/${acmeIberia.toUpperCase()}/employees`)
      .set('X-Company-Id', acmeIberia)
      .auth(token, { type: 'bearer' });

    expect(response.status).toBe(200);
  });

  describe('unscoped route', () => {
    const unscopedCases: ScopeCase[] = [
      ['header for company B', (token) => harness.http().get('/companies').set('X-Company-Id', soloFoods).auth(token, { type: 'bearer' }), 403, OUT_OF_SCOPE],
      ['query for company B', (token) => harness.http().get('/companies').query({ companyId: soloFoods }).auth(token, { type: 'bearer' }), 403, OUT_OF_SCOPE],
      ['header A and query B', (token) => harness.http().get('/companies').query({ company_id: soloFoods }).set('X-Company-Id', acmeIberia).auth(token, { type: 'bearer' }), 400, CONFLICT],
      ['header that is not a UUID', (token) => harness.http().get('/companies').set('X-Company-Id', 'acme').auth(token, { type: 'bearer' }), 400, 'The company id in header "x-company-id" must be a UUID'],
      ['two company headers', (token) => harness.http().get('/companies').set('X-Company-Id', acmeIberia).set('X_Company_Id', acmeIberia).auth(token, { type: 'bearer' }), 400, CONFLICT],
    ];

    it.each(unscopedCases)('%s is rejected', async (_name, send, status, message) => {
      const token = harness.tokenFor('demo-acme-iberia');

      const response = await send(token);

      expectResponse(response, status, message, token);
    });

    it('header for the own company is allowed', async () => {
      const token = harness.tokenFor('demo-acme-iberia');

      const response = await harness.http().get('/companies').set('X-Company-Id', acmeIberia).auth(token, { type: 'bearer' });

      expect(response.status).toBe(200);
      expect(response.body.map((company: { id: string }) => company.id)).toEqual([acmeIberia]);
    });

    it('header for a company of the corporation is allowed', async () => {
      const token = harness.tokenFor('demo-acme-group');

      const response = await harness.http().get('/companies').set('X-Company-Id', acmePortugal).auth(token, { type: 'bearer' });

      expect(response.status).toBe(200);
    });
  });

  it('denials are logged with the verified client id', async () => {
    harness.logger.clear();
    const token = harness.tokenFor('demo-acme-iberia');

    await harness.http().get(`/companies/${soloFoods}/employees`).auth(token, { type: 'bearer' });

    expect(harness.logger.at('debug').some((line) => line.includes('ERR_COMPANY_OUT_OF_SCOPE') && line.includes('(client demo-acme-iberia)'))).toBe(true);
  });

  it('reference conflicts are logged with the verified client id', async () => {
    harness.logger.clear();
    const token = harness.tokenFor('demo-acme-iberia');

    await harness.http().get(ROUTE_A).set('X-Company-Id', soloFoods).auth(token, { type: 'bearer' });

    const line = harness.logger.at('debug').find((entry) => entry.includes('ERR_COMPANY_REFERENCE_CONFLICT'));
    expect(line).toContain('(client demo-acme-iberia)');
    expect(line).toContain('The header "x-company-id" names another company than the path parameter "companyId"');
  });
});
