import { DEMO_IDS } from './support/demo-ids';
import { DemoAppHarness, startDemoApp, ADAPTERS } from './support/demo-app.harness';

const { acmeIberia, acmePortugal, otherRetail, soloFoods } = DEMO_IDS.companies;
const FORBIDDEN_BODY = { statusCode: 403, error: 'Forbidden', message: "The requested company is not in the token's scope" };
const UNKNOWN_COMPANY = '00000000-0000-4000-8000-000000000001';

describe.each(ADAPTERS)('company scoping on %s (e2e)', (adapter) => {
  let harness: DemoAppHarness;
  let acmeToken: string;
  let groupToken: string;
  let soloToken: string;

  beforeAll(async () => {
    harness = await startDemoApp({ adapter });
    acmeToken = harness.tokenFor('demo-acme-iberia');
    groupToken = harness.tokenFor('demo-acme-group');
    soloToken = harness.tokenFor('demo-solo-foods');
  });

  afterAll(async () => {
    await harness.close();
  });

  async function employeesOf(companyId: string, token: string): Promise<unknown[]> {
    const response = await harness.http().get(`/companies/${companyId}/employees?limit=200`).auth(token, { type: 'bearer' });
    expect(response.status).toBe(200);
    return response.body.items as unknown[];
  }

  describe('company named in more than one place', () => {
    const path = `/companies/${acmeIberia}/employees`;

    it.each([
      ['query', `${path}?companyId=${soloFoods}`],
      ['query in snake case', `${path}?company_id=${soloFoods}`],
      ['query in upper case', `${path}?COMPANYID=${soloFoods}`],
      ['repeated query', `${path}?companyId=${acmeIberia}&companyId=${soloFoods}`],
      ['repeated identical query', `${path}?companyId=${acmeIberia}&companyId=${acmeIberia}`],
      ['bracket query', `${path}?companyId[]=${soloFoods}`],
      ['nested query object', `${path}?companyId[id]=${soloFoods}`],
    ])('%s gets 400 on GET', async (_name, url) => {
      const response = await harness.http().get(url).auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).not.toContain('Carmen');
    });

    it.each([
      ['x-company-id', soloFoods],
      ['X-Company-Id', soloFoods.toUpperCase()],
      ['x_company_id', soloFoods],
      ['x-company-id', 'not-a-uuid'],
    ])('header %s naming another company gets 400', async (header, value) => {
      const response = await harness.http().get(path).set(header, value).auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(400);
    });

    it('repeated company header gets 400', async () => {
      const response = await harness
        .http()
        .get(path)
        .set('x-company-id', [acmeIberia, acmeIberia] as unknown as string)
        .auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(400);
    });

    it('matching references pass the guard', async () => {
      const response = await harness
        .http()
        .get(`${path}?companyId=${acmeIberia.toUpperCase()}`)
        .set('x-company-id', acmeIberia)
        .auth(acmeToken, { type: 'bearer' });

      // The guard accepts matching references; the DTO then rejects the unknown query field.
      expect(response.status).toBe(400);
      expect(response.body.fields).toEqual(['companyId']);
    });

    it.each([
      ['body field', { companyId: soloFoods }],
      ['snake-case body field', { company_id: soloFoods }],
      ['array body element', [{ companyId: soloFoods }]],
    ])('%s naming another company gets 400 and writes nothing', async (_name, extra) => {
      const before = await employeesOf(soloFoods, soloToken);
      const body = Array.isArray(extra)
        ? extra.map((item) => ({ ...item, email: 'x@y.example', legalId: 'X1', name: 'X', surname: 'Y' }))
        : { ...extra, email: 'intruder@acme.example', legalId: 'INTRUDER1', name: 'In', surname: 'Truder' };

      const response = await harness.http().post(path).auth(acmeToken, { type: 'bearer' }).send(body);

      expect(response.status).toBe(400);
      expect(await employeesOf(soloFoods, soloToken)).toEqual(before);
      expect((await employeesOf(acmeIberia, acmeToken)).some((employee) => JSON.stringify(employee).includes('intruder'))).toBe(false);
    });
  });

  describe('path id spellings', () => {
    it.each([
      ['braces', `%7B${acmeIberia}%7D`],
      ['urn prefix', `urn:uuid:${acmeIberia}`],
      ['encoded slash', `${acmeIberia}%2Femployees`],
      ['encoded space', `%20${acmeIberia}`],
      ['encoded newline', `${acmeIberia}%0A`],
      ['fullwidth digit', encodeURIComponent(acmeIberia.replace('5', '\uff15'))],
      ['cyrillic letter', encodeURIComponent(acmeIberia.replace('e', '\u0435'))],
    ])('%s gets 400', async (_name, id) => {
      const response = await harness.http().get(`/companies/${id}/employees`).auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(400);
      expect(response.body.message).toBe('The company id in path parameter "companyId" must be a UUID');
    });

    it.each([
      ['upper case', acmeIberia.toUpperCase()],
      ['trailing slash', `${acmeIberia}/`],
    ])('%s resolves to the canonical company', async (_name, id) => {
      const response = await harness.http().get(`/companies/${id}`).auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(200);
      expect(response.body.id).toBe(acmeIberia);
    });

    it('upper-case path id writes into the canonical company', async () => {
      const created = await harness
        .http()
        .post(`/companies/${acmeIberia.toUpperCase()}/employees`)
        .auth(acmeToken, { type: 'bearer' })
        .send({ email: 'upper.case@acme.example', legalId: 'UPPER1', name: 'Upper', surname: 'Case' });

      expect(created.status).toBe(201);
      const read = await harness.http().get(`/companies/${acmeIberia}/employees/${created.body.id}`).auth(acmeToken, { type: 'bearer' });
      expect(read.body.companyId).toBe(acmeIberia);
    });
  });

  describe('unknown and foreign companies look the same', () => {
    it.each([
      ['foreign company', soloFoods],
      ['unknown company', UNKNOWN_COMPANY],
    ])('%s gets the same 403 body', async (_name, companyId) => {
      const response = await harness.http().get(`/companies/${companyId}/employees`).auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(403);
      expect(response.body).toEqual(FORBIDDEN_BODY);
      expect(response.headers['www-authenticate']).toBeUndefined();
    });

    it('corporation token gets the same 403 for an unknown company', async () => {
      const response = await harness.http().get(`/companies/${UNKNOWN_COMPANY}`).auth(groupToken, { type: 'bearer' });

      expect(response.status).toBe(403);
      expect(response.body).toEqual(FORBIDDEN_BODY);
    });
  });

  describe('HEAD and OPTIONS', () => {
    it('HEAD without a token gets 401', async () => {
      const response = await harness.http().head(`/companies/${acmeIberia}/employees`);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
    });

    it('HEAD for another company gets 403', async () => {
      const response = await harness.http().head(`/companies/${soloFoods}/employees`).auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(403);
    });

    it('HEAD for the own company gets 200', async () => {
      const response = await harness.http().head(`/companies/${acmeIberia}/employees`).auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(200);
    });

    it('OPTIONS without a token gets 401', async () => {
      const response = await harness.http().options(`/companies/${acmeIberia}/employees`);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
      expect(response.headers.allow).toBeUndefined();
    });

    it('OPTIONS for another company gets 403', async () => {
      const response = await harness.http().options(`/companies/${soloFoods}/employees`).auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(403);
      expect(response.body).toEqual(FORBIDDEN_BODY);
      expect(response.headers.allow).toBeUndefined();
    });

    it('OPTIONS with a bad path id gets 400', async () => {
      const response = await harness.http().options('/companies/not-a-uuid/employees').auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(400);
    });

    it('OPTIONS for the own company lists the methods', async () => {
      const response = await harness.http().options(`/companies/${acmeIberia}/employees`).auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(204);
      expect(response.headers.allow).toBe('GET, POST, HEAD, OPTIONS');
    });

    it('OPTIONS with an expired token gets 401 invalid_token', async () => {
      const token = harness.tokenBuilder('demo-acme-iberia').expired().build();

      const response = await harness.http().options(`/companies/${acmeIberia}/employees`).auth(token, { type: 'bearer' });

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('CORS preflight passes through without a token', async () => {
      const response = await harness
        .http()
        .options(`/companies/${acmeIberia}/employees`)
        .set('Origin', 'https://partner.example')
        .set('Access-Control-Request-Method', 'GET');

      expect(response.status).not.toBe(401);
      expect(response.status).toBeLessThan(500);
    });
  });

  describe('unscoped list of companies', () => {
    it('query naming a company outside the scope gets 403', async () => {
      const response = await harness.http().get(`/companies?companyId=${soloFoods}`).auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(403);
    });

    it('header naming a company outside the scope gets 403', async () => {
      const response = await harness.http().get('/companies').set('x-company-id', soloFoods).auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(403);
    });
  });

  describe('corporation scope', () => {
    it('corporation token gets another corporation company as 403', async () => {
      const response = await harness.http().get(`/companies/${otherRetail}/employees`).auth(groupToken, { type: 'bearer' });

      expect(response.status).toBe(403);
      expect(response.body).toEqual(FORBIDDEN_BODY);
    });

    it('corporation token gets a company in no corporation as 403', async () => {
      const response = await harness.http().get(`/companies/${soloFoods}/employees`).auth(groupToken, { type: 'bearer' });

      expect(response.status).toBe(403);
    });

    it('token whose companyId array contains the path id gets 401', async () => {
      const token = harness.tokenBuilder('demo-acme-iberia').withCompany([acmeIberia]).build();

      const response = await harness.http().get(`/companies/${acmeIberia}/employees`).auth(token, { type: 'bearer' });

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('token naming a corporation whose companies it does not own cannot reach them', async () => {
      // A forged corporation claim needs a valid signature, which only the issuer can make:
      // this checks the claim is honoured only as issued, for the issued corporation.
      const token = harness.tokenBuilder('demo-solo-foods').withCompany(soloFoods, DEMO_IDS.corporations.otherGroup).build();

      const reachable = await harness.http().get(`/companies/${otherRetail}`).auth(token, { type: 'bearer' });
      const foreign = await harness.http().get(`/companies/${acmePortugal}`).auth(token, { type: 'bearer' });

      expect(reachable.status).toBe(200);
      expect(foreign.status).toBe(403);
    });
  });

  describe('lists, filters and pagination', () => {
    it('filter matching another company employee returns nothing', async () => {
      const response = await harness
        .http()
        .get(`/companies/${acmeIberia}/employees?email=carmen.lopez@solo-foods.example`)
        .auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([]);
      expect(response.body.total).toBe(0);
    });

    it('pagination counts only the scoped company', async () => {
      const all = await employeesOf(acmePortugal, groupToken);

      const page = await harness
        .http()
        .get(`/companies/${acmePortugal}/employees?limit=1&offset=1`)
        .auth(groupToken, { type: 'bearer' });

      expect(page.status).toBe(200);
      expect(page.body.total).toBe(all.length);
      expect(page.body.items).toHaveLength(1);
      expect(page.body.items[0].companyId).toBe(acmePortugal);
    });

    it('employee of another company is not found through a scoped path', async () => {
      const soloEmployee = '3c9d6f41-be50-4182-8d34-e5f607182901';

      const response = await harness
        .http()
        .get(`/companies/${acmeIberia}/employees/${soloEmployee}`)
        .auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(404);
    });
  });

  describe('employee writes', () => {
    const soloEmployee = '3c9d6f41-be50-4182-8d34-e5f607182902';

    it('PATCH of another company employee gets 404 and changes nothing', async () => {
      const before = await employeesOf(soloFoods, soloToken);

      const response = await harness
        .http()
        .patch(`/companies/${acmeIberia}/employees/${soloEmployee}`)
        .auth(acmeToken, { type: 'bearer' })
        .send({ name: 'Hijacked' });

      expect(response.status).toBe(404);
      expect(await employeesOf(soloFoods, soloToken)).toEqual(before);
    });

    it('DELETE of another company employee gets 404 and deletes nothing', async () => {
      const before = await employeesOf(soloFoods, soloToken);

      const response = await harness
        .http()
        .delete(`/companies/${acmeIberia}/employees/${soloEmployee}`)
        .auth(acmeToken, { type: 'bearer' });

      expect(response.status).toBe(404);
      expect(await employeesOf(soloFoods, soloToken)).toEqual(before);
    });

    it('PATCH through a foreign path gets 403 and changes nothing', async () => {
      const before = await employeesOf(soloFoods, soloToken);

      const response = await harness
        .http()
        .patch(`/companies/${soloFoods}/employees/${soloEmployee}`)
        .auth(acmeToken, { type: 'bearer' })
        .send({ name: 'Hijacked' });

      expect(response.status).toBe(403);
      expect(await employeesOf(soloFoods, soloToken)).toEqual(before);
    });

    it('PATCH and DELETE work inside the company', async () => {
      const created = await harness
        .http()
        .post(`/companies/${soloFoods}/employees`)
        .auth(soloToken, { type: 'bearer' })
        .send({ email: 'temp@solo-foods.example', legalId: 'TEMP1', name: 'Temp', surname: 'Worker' });

      const patched = await harness
        .http()
        .patch(`/companies/${soloFoods}/employees/${created.body.id}`)
        .auth(soloToken, { type: 'bearer' })
        .send({ surname: 'Permanent' });
      const read = await harness.http().get(`/companies/${soloFoods}/employees/${created.body.id}`).auth(soloToken, { type: 'bearer' });
      const deleted = await harness.http().delete(`/companies/${soloFoods}/employees/${created.body.id}`).auth(soloToken, { type: 'bearer' });
      const gone = await harness.http().get(`/companies/${soloFoods}/employees/${created.body.id}`).auth(soloToken, { type: 'bearer' });

      expect(patched.status).toBe(204);
      expect(read.body.surname).toBe('Permanent');
      expect(deleted.status).toBe(204);
      expect(gone.status).toBe(404);
    });
  });

  describe('migration', () => {
    const migrate = (companyId: string, employeeId: string, token: string, targetCompanyId: unknown) =>
      harness
        .http()
        .post(`/companies/${companyId}/employees/${employeeId}/migrate`)
        .auth(token, { type: 'bearer' })
        .send({ targetCompanyId });

    async function createEmployee(companyId: string, token: string, suffix: string): Promise<string> {
      const response = await harness
        .http()
        .post(`/companies/${companyId}/employees`)
        .auth(token, { type: 'bearer' })
        .send({ email: `mover.${suffix}@acme.example`, legalId: `MOVER${suffix}`, name: 'Mover', surname: suffix });
      expect(response.status).toBe(201);
      return response.body.id as string;
    }

    it('moves an employee within the corporation', async () => {
      const employeeId = await createEmployee(acmeIberia, groupToken, 'A');

      const response = await migrate(acmeIberia, employeeId, groupToken, acmePortugal);

      expect(response.status).toBe(200);
      expect(response.body.companyId).toBe(acmePortugal);
      const read = await harness.http().get(`/companies/${acmePortugal}/employees/${employeeId}`).auth(groupToken, { type: 'bearer' });
      expect(read.status).toBe(200);
    });

    it('single-company token cannot migrate to a sibling company', async () => {
      const employeeId = await createEmployee(acmeIberia, acmeToken, 'B');
      const before = await employeesOf(acmePortugal, groupToken);

      const response = await migrate(acmeIberia, employeeId, acmeToken, acmePortugal);

      expect(response.status).toBe(403);
      expect(response.body).toEqual(FORBIDDEN_BODY);
      expect(await employeesOf(acmePortugal, groupToken)).toEqual(before);
      const stillThere = await harness.http().get(`/companies/${acmeIberia}/employees/${employeeId}`).auth(acmeToken, { type: 'bearer' });
      expect(stillThere.status).toBe(200);
    });

    it.each([
      ['another corporation', otherRetail],
      ['a company in no corporation', soloFoods],
      ['an unknown company', UNKNOWN_COMPANY],
    ])('migration to %s gets 403 and changes nothing', async (_name, target) => {
      const employeeId = await createEmployee(acmeIberia, groupToken, `C${target.slice(0, 4)}`);
      const targetToken = target === otherRetail ? harness.tokenFor('demo-other-retail') : soloToken;
      const before = target === UNKNOWN_COMPANY ? [] : await employeesOf(target, targetToken);

      const response = await migrate(acmeIberia, employeeId, groupToken, target);

      expect(response.status).toBe(403);
      if (target !== UNKNOWN_COMPANY) {
        expect(await employeesOf(target, targetToken)).toEqual(before);
      }
      const stillThere = await harness.http().get(`/companies/${acmeIberia}/employees/${employeeId}`).auth(groupToken, { type: 'bearer' });
      expect(stillThere.status).toBe(200);
    });

    it('invalid target id gets 400', async () => {
      const response = await migrate(acmeIberia, '0f6a3c1e-8b2d-4e5f-9a01-b2c3d4e5f601', groupToken, 'acme-portugal');

      expect(response.status).toBe(400);
    });
  });

  describe('required scopes', () => {
    it('read-only client cannot create employees', async () => {
      const before = await employeesOf(otherRetail, harness.tokenFor('demo-other-retail'));

      const response = await harness
        .http()
        .post(`/companies/${otherRetail}/employees`)
        .auth(harness.tokenFor('demo-other-retail'), { type: 'bearer' })
        .send({ email: 'blocked@other-retail.example', legalId: 'BLOCKED1', name: 'Blo', surname: 'Cked' });

      expect(response.status).toBe(403);
      expect(response.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="write:employees"',
      );
      expect(await employeesOf(otherRetail, harness.tokenFor('demo-other-retail'))).toEqual(before);
    });

    it('read-only client can read', async () => {
      const response = await harness
        .http()
        .get(`/companies/${otherRetail}/employees`)
        .auth(harness.tokenFor('demo-other-retail'), { type: 'bearer' });

      expect(response.status).toBe(200);
    });

    it('permissions claim grants scopes like the scope claim', async () => {
      const token = harness
        .tokenBuilder('demo-other-retail')
        .withClaims({ scope: undefined, permissions: ['read:companies', 'read:employees', 'write:employees'] })
        .build();

      const response = await harness
        .http()
        .post(`/companies/${otherRetail}/employees`)
        .auth(token, { type: 'bearer' })
        .send({ email: 'allowed@other-retail.example', legalId: 'ALLOWED1', name: 'Al', surname: 'Lowed' });

      expect(response.status).toBe(201);
    });
  });

  describe('logging', () => {
    it('cross-company denial is logged at warn with the ids', async () => {
      harness.logger.clear();

      await harness.http().get(`/companies/${soloFoods}/employees`).auth(acmeToken, { type: 'bearer' });

      const warnings = harness.logger.at('warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('client demo-acme-iberia');
      expect(warnings[0]).toContain(`of company ${acmeIberia}`);
      expect(warnings[0]).toContain(`requested company ${soloFoods}`);
      expect(warnings[0]).toContain('EmployeesController.list');
      expect(harness.logger.text).not.toContain(acmeToken);
      expect(harness.logger.text).not.toContain(acmeToken.split('.')[1]);
    });
  });
});

describe.each(ADAPTERS)('company scoping with 404 denials on %s (e2e)', (adapter) => {
  let harness: DemoAppHarness;

  beforeAll(async () => {
    harness = await startDemoApp({ adapter, auth: { companyDeniedStatus: 404 } });
  });

  afterAll(async () => {
    await harness.close();
  });

  it.each([
    ['foreign company', DEMO_IDS.companies.soloFoods],
    ['unknown company', UNKNOWN_COMPANY],
  ])('%s gets the same 404 body', async (_name, companyId) => {
    const response = await harness
      .http()
      .get(`/companies/${companyId}/employees`)
      .auth(harness.tokenFor('demo-acme-iberia'), { type: 'bearer' });

    expect(response.status).toBe(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'The requested company was not found' });
  });
});
