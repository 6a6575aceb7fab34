import { ADAPTERS, DemoAppHarness, startDemoApp } from './support/demo-app.harness';

interface OpenApiOperation {
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { description: string; headers?: Record<string, unknown> }>;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: { type?: string; format?: string } }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { securitySchemes: Record<string, Record<string, unknown>> };
}

describe.each(ADAPTERS)('demo API documentation on %s (e2e)', (adapter) => {
  let harness: DemoAppHarness;
  let document: OpenApiDocument;

  beforeAll(async () => {
    harness = await startDemoApp({ adapter, docs: true });
    const response = await harness.http().get('/docs-json');
    expect(response.status).toBe(200);
    document = response.body as OpenApiDocument;
  });

  afterAll(async () => {
    await harness.close();
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await harness.http().get('/docs').redirects(1);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.text).toContain('swagger-ui');
  });

  it('serves the Swagger UI assets', async () => {
    const response = await harness.http().get('/docs/swagger-ui-bundle.js');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('javascript');
  });

  it('declares bearer and client-credentials schemes', () => {
    const schemes = document.components.securitySchemes;

    expect(schemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(schemes.oauth2).toMatchObject({
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: harness.issuer.tokenEndpoint } },
    });
    expect(Object.keys((schemes.oauth2 as { flows: { clientCredentials: { scopes: object } } }).flows.clientCredentials.scopes).sort()).toEqual([
      'read:companies',
      'read:employees',
      'write:employees',
    ]);
  });

  it('marks scoped routes with their scopes', () => {
    const list = document.paths['/companies/{companyId}/employees'].get;
    const create = document.paths['/companies/{companyId}/employees'].post;

    expect(list.security).toEqual([{ bearer: [] }, { oauth2: ['read:employees'] }]);
    expect(create.security).toEqual([{ bearer: [] }, { oauth2: ['write:employees'] }]);
  });

  it('documents the guard error responses', () => {
    const operation = document.paths['/companies/{companyId}/employees'].get;

    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '503']));
    expect(operation.responses['401'].headers).toHaveProperty('WWW-Authenticate');
    expect(operation.responses['503'].headers).toHaveProperty('Retry-After');
  });

  it('documents the company path parameter', () => {
    const parameters = document.paths['/companies/{companyId}'].get.parameters ?? [];

    expect(parameters).toContainEqual(
      expect.objectContaining({ name: 'companyId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }),
    );
  });

  it('documents unscoped routes without company parameter', () => {
    const operation = document.paths['/companies'].get;

    expect(operation.security).toEqual([{ bearer: [] }, { oauth2: ['read:companies'] }]);
    expect((operation.parameters ?? []).map((parameter) => parameter.name)).not.toContain('companyId');
  });

  it('leaves public routes without security', () => {
    const operation = document.paths['/health'].get;

    expect(operation.security).toBeUndefined();
    expect(operation.responses['401']).toBeUndefined();
  });

  it('keeps documented routes protected', async () => {
    const response = await harness.http().get('/companies');

    expect(response.status).toBe(401);
  });
});
