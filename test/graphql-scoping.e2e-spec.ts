import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { INestApplication, Module } from '@nestjs/common';
import { Args, Field, GraphQLModule, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { CobeeAuthModule, CobeePrincipal, CompanyScoped, CurrentCompany, CurrentPrincipal, Unscoped } from '@cobee/auth';
import { DevIssuer } from '@cobee/auth/testing';
import { DEMO_CLIENTS } from '../apps/demo-api/src/dev/demo-data';
import { createHttpAdapter, waitForHttpServer } from '../apps/demo-api/src/http-adapter';
import { CapturingLogger } from './support/capturing.logger';
import { ADAPTERS, TEST_CLIENT_SECRET } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';

const AUDIENCE = 'https://graphql-fixture.example';
const { acmeIberia, soloFoods } = DEMO_IDS.companies;

@ObjectType()
class CompanyView {
  @Field()
  id!: string;
}

@Resolver(() => CompanyView)
class CompanyResolver {
  @Query(() => CompanyView)
  company(@Args('companyId') _companyId: string, @CurrentCompany() companyId: string): CompanyView {
    return { id: companyId };
  }

  @Query(() => CompanyView)
  @CompanyScoped({ param: 'id' })
  companyById(@Args('id') _id: string, @CurrentCompany() companyId: string): CompanyView {
    return { id: companyId };
  }

  @Query(() => String)
  @Unscoped()
  whoAmI(@CurrentPrincipal() principal: CobeePrincipal): string {
    return principal.clientId;
  }

  @Query(() => String)
  forgotten(): string {
    return 'every company';
  }
}

describe.each(ADAPTERS)('GraphQL resolvers on %s (e2e)', (adapter) => {
  let issuer: DevIssuer;
  let app: INestApplication;

  beforeAll(async () => {
    issuer = await DevIssuer.start({
      audiences: [AUDIENCE],
      clients: DEMO_CLIENTS.map((client) => ({ ...client, secret: TEST_CLIENT_SECRET })),
    });

    @Module({ providers: [CompanyResolver] })
    class ResolverModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          autoSchemaFile: true,
          context: ({ req, request }: { req?: unknown; request?: unknown }) => ({ req: req ?? request }),
        }),
        CobeeAuthModule.forRoot({ issuerUrl: issuer.url, audience: AUDIENCE, globalGuards: true }),
        ResolverModule,
      ],
    }).compile();
    const httpAdapter = createHttpAdapter(adapter);
    app = moduleRef.createNestApplication(httpAdapter, { logger: new CapturingLogger() });
    await app.init();
    await waitForHttpServer(httpAdapter);
  });

  afterAll(async () => {
    await app.close();
    await issuer.stop();
  });

  function query(text: string, token?: string): request.Test {
    const call = request(app.getHttpServer()).post('/graphql').send({ query: text });
    return token === undefined ? call : call.auth(token, { type: 'bearer' });
  }

  it('own company argument is served', async () => {
    const response = await query(`{ company(companyId: "${acmeIberia.toUpperCase()}") { id } }`, issuer.issueToken('demo-acme-iberia', AUDIENCE));

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.company.id).toBe(acmeIberia);
  });

  it('another company argument is denied', async () => {
    const response = await query(`{ company(companyId: "${soloFoods}") { id } }`, issuer.issueToken('demo-acme-iberia', AUDIENCE));

    expect(response.body.data).toBeNull();
    expect(response.body.errors[0].message).toBe("The requested company is not in the token's scope");
  });

  it('argument named by the decorator is checked', async () => {
    const own = await query(`{ companyById(id: "${acmeIberia}") { id } }`, issuer.issueToken('demo-acme-iberia', AUDIENCE));
    const foreign = await query(`{ companyById(id: "${soloFoods}") { id } }`, issuer.issueToken('demo-acme-iberia', AUDIENCE));

    expect(own.body.data.companyById.id).toBe(acmeIberia);
    expect(foreign.body.data).toBeNull();
  });

  it('missing token is rejected', async () => {
    const response = await query(`{ company(companyId: "${acmeIberia}") { id } }`);

    expect(response.body.data).toBeNull();
    expect(response.body.errors[0].message).toBe('An access token is required');
  });

  it('unscoped resolver needs only a token', async () => {
    const response = await query('{ whoAmI }', issuer.issueToken('demo-solo-foods', AUDIENCE));

    expect(response.body.data.whoAmI).toBe('demo-solo-foods');
  });

  it('resolver without scope metadata is denied', async () => {
    const response = await query('{ forgotten }', issuer.issueToken('demo-acme-iberia', AUDIENCE));

    expect(response.body.data).toBeNull();
    expect(JSON.stringify(response.body)).not.toContain('every company');
  });
});
