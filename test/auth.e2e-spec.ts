import { DevIssuer, SigningKeyRing, TokenBuilder } from '@cobee/auth/testing';
import { DEFAULT_DEMO_AUDIENCE } from '../apps/demo-api/src/config/demo-environment';
import { DEMO_CLIENTS } from '../apps/demo-api/src/dev/demo-data';
import { ADAPTERS, DemoAppHarness, startDemoApp, TEST_CLIENT_SECRET } from './support/demo-app.harness';
import { closedPort, DEMO_IDS } from './support/demo-ids';

const { acmeIberia, acmePortugal, otherRetail, soloFoods } = DEMO_IDS.companies;
const NAMESPACE = 'https://auth.cobee.io/metadata';
const REALM = 'Bearer realm="api"';

function invalidToken(description: string): string {
  return `${REALM}, error="invalid_token", error_description="${description}"`;
}

describe.each(ADAPTERS)('demo API authentication on %s (e2e)', (adapter) => {
  let harness: DemoAppHarness;

  beforeAll(async () => {
    harness = await startDemoApp({ adapter });
  });

  it('runs on the requested platform', () => {
    expect(harness.app.getHttpAdapter().getType()).toBe(adapter);
  });

  afterAll(async () => {
    await harness.close();
  });

  async function tokenFromEndpoint(clientId: string): Promise<string> {
    const response = await fetch(harness.issuer.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: TEST_CLIENT_SECRET,
        audience: harness.audience,
      }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  describe('valid tokens', () => {
    it('token from the issuer endpoint gets 200', async () => {
      const token = await tokenFromEndpoint('demo-acme-iberia');

      const response = await harness.http().get(`/companies/${acmeIberia}/employees`).auth(token, { type: 'bearer' });

      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeGreaterThanOrEqual(2);
      expect(response.body.items.every((employee: { companyId: string }) => employee.companyId === acmeIberia)).toBe(true);
    });

    it('public health route needs no token', async () => {
      const response = await harness.http().get('/health');

      expect(response.status).toBe(200);
      expect(response.body.status).toBe('ok');
    });
  });

  describe('rejected tokens', () => {
    const base = (): TokenBuilder => harness.tokenBuilder('demo-acme-iberia');
    const route = `/companies/${acmeIberia}/employees`;

    it('missing token gets 401 without error code', async () => {
      const response = await harness.http().get(route);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(REALM);
      expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'An access token is required' });
    });

    const cases: Array<[string, () => string, string]> = [
      ['malformed token', () => 'not-a-jwt', 'The access token is malformed'],
      ['expired token', () => base().expired().build(), 'The access token expired'],
      ['token not yet valid', () => base().notYetValid().build(), 'The access token is not valid yet'],
      ['wrong issuer', () => base().withClaims({ iss: 'https://evil.example/' }).build(), "The access token claim 'iss' is invalid"],
      ['issuer without slash', () => base().withClaims({ iss: harness.issuer.url.slice(0, -1) }).build(), "The access token claim 'iss' is invalid"],
      ['wrong audience', () => base().withAudience('https://other-api.example').build(), "The access token claim 'aud' is invalid"],
      ['alg none', () => base().buildUnsigned('none'), 'The access token is malformed'],
      ['alg none with signature', () => base().buildUnsigned('none', 'c2ln'), 'The access token algorithm is not allowed'],
      [
        'HS256 signed with the public key',
        () => base().buildHmac('HS256', harness.issuer.keys.activeKey.publicKey.export({ type: 'spki', format: 'pem' })),
        'The access token algorithm is not allowed',
      ],
      ['unknown kid', () => base().withHeader({ kid: 'unknown-key' }).build(), 'The access token was signed with an unknown key'],
      ['wrong gty', () => base().withClaims({ gty: 'password' }).build(), "The access token claim 'gty' is invalid"],
      ['missing gty', () => base().withClaims({ gty: undefined }).build(), "The access token claim 'gty' is invalid"],
      ['missing company claim', () => base().withClaims({ [NAMESPACE]: undefined }).build(), `The access token claim '${NAMESPACE}' is invalid`],
      ['companyId as number', () => base().withCompany(123).build(), `The access token claim '${NAMESPACE}' is invalid`],
      ['companyId as array', () => base().withCompany([acmeIberia]).build(), `The access token claim '${NAMESPACE}' is invalid`],
      ['companyId not a UUID', () => base().withCompany('acme').build(), `The access token claim '${NAMESPACE}' is invalid`],
      ['corporationId null', () => base().withCompany(acmeIberia, null).build(), `The access token claim '${NAMESPACE}' is invalid`],
      ['signature from an unpublished key', () => base().signedWith(SigningKeyRing.generateKey()).withHeader({ kid: harness.issuer.keys.activeKey.kid }).build(), 'The access token signature is invalid'],
    ];

    it.each(cases)('%s gets 401 invalid_token', async (_name, makeToken, description) => {
      const token = makeToken();

      const response = await harness.http().get(route).set('Authorization', `Bearer ${token}`);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(invalidToken(description));
      expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: description });
      expect(JSON.stringify(response.body)).not.toContain(token);
      expect(harness.logger.text).not.toContain(token);
    });

    it('rejections are logged at debug with the reason', async () => {
      harness.logger.clear();
      await harness.http().get(route).auth(base().expired().build(), { type: 'bearer' });

      expect(harness.logger.at('debug').some((line) => line.includes('ERR_JWT_EXPIRED'))).toBe(true);
      expect(harness.logger.at('debug').some((line) => line.includes('claimed client demo-acme-iberia'))).toBe(true);
    });
  });

  describe('request parsing', () => {
    const route = `/companies/${acmeIberia}/employees`;

    it('token in the query string gets 400', async () => {
      const token = harness.tokenFor('demo-acme-iberia');

      const response = await harness.http().get(`${route}?access_token=${token}`).auth(token, { type: 'bearer' });

      expect(response.status).toBe(400);
      expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
    });

    it('token in a form body gets 400', async () => {
      const token = harness.tokenFor('demo-acme-iberia');

      const response = await harness
        .http()
        .post(route)
        .auth(token, { type: 'bearer' })
        .type('form')
        .send({ access_token: token });

      expect(response.status).toBe(400);
      expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
    });

    it('repeated Authorization header gets 400', async () => {
      const token = `Bearer ${harness.tokenFor('demo-acme-iberia')}`;

      // superagent sends one header line per array element; its typings allow arrays only for Cookie.
      const response = await harness.http().get(route).set('Authorization', [token, token] as unknown as string);

      expect(response.status).toBe(400);
      expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
    });

    it('company header naming another company gets 400', async () => {
      const response = await harness
        .http()
        .get(route)
        .auth(harness.tokenFor('demo-acme-iberia'), { type: 'bearer' })
        .set('X-Company-Id', soloFoods);

      expect(response.status).toBe(400);
      expect(response.body.message).toBe('The request names more than one company or repeats a company parameter');
    });

    it('repeated company query field gets 400', async () => {
      const response = await harness
        .http()
        .get(`${route}?companyId=${acmeIberia}&companyId=${acmeIberia}`)
        .auth(harness.tokenFor('demo-acme-iberia'), { type: 'bearer' });

      expect(response.status).toBe(400);
    });

    it('missing scope gets 403 insufficient_scope', async () => {
      const response = await harness
        .http()
        .post(`/companies/${otherRetail}/employees`)
        .auth(harness.tokenFor('demo-other-retail'), { type: 'bearer' })
        .send({ email: 'x@example.com', legalId: '1', name: 'A', surname: 'B', birthDate: '1990-01-01' });

      expect(response.status).toBe(403);
      expect(response.headers['www-authenticate']).toBe(
        `${REALM}, error="insufficient_scope", error_description="The access token lacks a required scope", scope="write:employees"`,
      );
    });
  });

  describe('company scope', () => {
    it('another company gets 403 and no data', async () => {
      const response = await harness
        .http()
        .get(`/companies/${soloFoods}/employees`)
        .auth(harness.tokenFor('demo-acme-iberia'), { type: 'bearer' });

      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: "The requested company is not in the token's scope",
      });
      expect(JSON.stringify(response.body)).not.toContain('solo-foods');
    });

    it('a path id that is not a UUID gets 400', async () => {
      const response = await harness
        .http()
        .get('/companies/acme-iberia/employees')
        .auth(harness.tokenFor('demo-acme-iberia'), { type: 'bearer' });

      expect(response.status).toBe(400);
      expect(response.body.message).toBe('The company id in path parameter "companyId" must be a UUID');
    });

    it('upper-case path id resolves to the company', async () => {
      const response = await harness
        .http()
        .get(`/companies/${acmeIberia.toUpperCase()}`)
        .auth(harness.tokenFor('demo-acme-iberia'), { type: 'bearer' });

      expect(response.status).toBe(200);
      expect(response.body.id).toBe(acmeIberia);
    });

    it('corporation token reaches every company of its corporation', async () => {
      const token = harness.tokenFor('demo-acme-group');

      for (const companyId of [acmeIberia, acmePortugal]) {
        const response = await harness.http().get(`/companies/${companyId}/employees`).auth(token, { type: 'bearer' });
        expect(response.status).toBe(200);
        expect(response.body.items.every((employee: { companyId: string }) => employee.companyId === companyId)).toBe(true);
      }
    });

    it('corporation token reaches no other company', async () => {
      const token = harness.tokenFor('demo-acme-group');

      for (const companyId of [otherRetail, soloFoods]) {
        const response = await harness.http().get(`/companies/${companyId}/employees`).auth(token, { type: 'bearer' });
        expect(response.status).toBe(403);
      }
    });

    it('single-company token cannot reach its corporation siblings', async () => {
      const response = await harness
        .http()
        .get(`/companies/${acmePortugal}/employees`)
        .auth(harness.tokenFor('demo-acme-iberia'), { type: 'bearer' });

      expect(response.status).toBe(403);
    });

    it.each([
      ['demo-acme-iberia', [acmeIberia]],
      ['demo-acme-group', [acmeIberia, acmePortugal]],
      ['demo-solo-foods', [soloFoods]],
      ['demo-other-retail', [otherRetail]],
    ])('GET /companies for %s lists exactly its scope', async (clientId, expected) => {
      const response = await harness.http().get('/companies').auth(harness.tokenFor(clientId), { type: 'bearer' });

      expect(response.status).toBe(200);
      expect(response.body.map((company: { id: string }) => company.id).sort()).toEqual([...expected].sort());
    });
  });

  describe('employee creation', () => {
    const route = `/companies/${soloFoods}/employees`;
    const valid = { email: 'new.person@solo-foods.example', legalId: '10000001A', name: 'New', surname: 'Person', birthDate: '1992-02-29' };

    it('valid body gets 201 with a UUID', async () => {
      const token = harness.tokenFor('demo-solo-foods');

      const created = await harness.http().post(route).auth(token, { type: 'bearer' }).send(valid);

      expect(created.status).toBe(201);
      expect(created.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const read = await harness.http().get(`${route}/${created.body.id}`).auth(token, { type: 'bearer' });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ ...valid, companyId: soloFoods, internalId: null });
    });

    it('duplicate email gets 409', async () => {
      const response = await harness
        .http()
        .post(route)
        .auth(harness.tokenFor('demo-solo-foods'), { type: 'bearer' })
        .send({ ...valid, email: 'carmen.lopez@solo-foods.example', legalId: '20000002B' });

      expect(response.status).toBe(409);
      expect(response.body.message).toBe('An employee with this email already exists in the company');
    });

    it('duplicate legalId gets 409', async () => {
      const response = await harness
        .http()
        .post(route)
        .auth(harness.tokenFor('demo-solo-foods'), { type: 'bearer' })
        .send({ ...valid, email: 'other.person@solo-foods.example', legalId: '99887766d' });

      expect(response.status).toBe(409);
      expect(response.body.message).toBe('An employee with this legalId already exists in the company');
    });

    it('same email in another company is allowed', async () => {
      const response = await harness
        .http()
        .post(`/companies/${acmeIberia}/employees`)
        .auth(harness.tokenFor('demo-acme-iberia'), { type: 'bearer' })
        .send({ ...valid, email: 'carmen.lopez@solo-foods.example', legalId: '99887766D' });

      expect(response.status).toBe(201);
    });

    it('invalid body gets 400 naming the fields', async () => {
      const response = await harness
        .http()
        .post(route)
        .auth(harness.tokenFor('demo-solo-foods'), { type: 'bearer' })
        .send({ email: 'not-an-email', legalId: '', name: 'A', birthDate: '1992-13-40', extra: true });

      expect(response.status).toBe(400);
      expect(response.body.fields.sort()).toEqual(['birthDate', 'email', 'extra', 'legalId', 'surname']);
    });
  });
});

describe.each(ADAPTERS)('demo API without a reachable key server on %s (e2e)', (adapter) => {
  it('valid token gets 503 when no key is cached', async () => {
    const port = await closedPort();
    const issuer = await DevIssuer.start({
      audiences: [DEFAULT_DEMO_AUDIENCE],
      clients: DEMO_CLIENTS.map((client) => ({ ...client, secret: TEST_CLIENT_SECRET })),
    });
    const harness = await startDemoApp({
      adapter,
      existingIssuer: issuer,
      auth: { jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json` },
    });
    try {
      const response = await harness
        .http()
        .get(`/companies/${acmeIberia}/employees`)
        .auth(issuer.issueToken('demo-acme-iberia'), { type: 'bearer' });

      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(response.headers['www-authenticate']).toBeUndefined();
      expect(response.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The token signing keys are temporarily unavailable',
      });
    } finally {
      await harness.close();
      await issuer.stop();
    }
  });
});
