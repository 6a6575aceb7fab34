import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { addCobeeAuthSecuritySchemes, documentCobeeAuthRoutes } from '@cobee/auth/swagger';
import { DEMO_SCOPES } from '../dev/demo-data';

/** Path of Swagger UI. The OpenAPI document is served at `<path>-json`. */
export const DOCS_PATH = 'docs';

/** Token settings of Swagger UI. */
export interface DemoDocsOptions {
  /** Token endpoint of the issuer, used by the OAuth 2.0 client-credentials scheme. */
  readonly tokenUrl: string;
}

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  [DEMO_SCOPES.readCompanies]: 'Read the companies in the token scope',
  [DEMO_SCOPES.readEmployees]: 'Read employees',
  [DEMO_SCOPES.writeEmployees]: 'Create, change, delete and move employees',
};

/**
 * Serves the OpenAPI document at `/docs-json` and Swagger UI at `/docs`. Every protected route
 * is documented with its security requirement, company parameter and guard errors. Call it
 * before `app.init()` or `app.listen()`: neither Express nor Fastify accepts routes added
 * after start-up.
 */
export function setupDemoDocs(app: INestApplication, options: DemoDocsOptions): void {
  documentCobeeAuthRoutes(app);
  const config = addCobeeAuthSecuritySchemes(
    new DocumentBuilder()
      .setTitle('Cobee auth demo API')
      .setDescription('Company-scoped demo API protected by client-credentials access tokens.')
      .setVersion('0.1.0'),
    { tokenUrl: options.tokenUrl, scopes: SCOPE_DESCRIPTIONS },
  ).build();

  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    // No validator badge: it would send the document to an outside service.
    swaggerOptions: { validatorUrl: null },
  });
}
