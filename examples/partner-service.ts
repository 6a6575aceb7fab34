/**
 * A partner service that calls the demo API with `CobeeTokenClient`.
 *
 * With the demo running (`npm start`), paste the `export` lines the demo prints, then run
 * `npm run example:partner`. By default the token comes from the demo's Cobee-style
 * `POST /oauth/token`. With `PARTNER_TOKEN_SOURCE=issuer`, it comes from the issuer's
 * Auth0-style endpoint, at `TOKEN_URL` for `AUDIENCE` from the same `export` lines.
 */
import { Logger } from '@nestjs/common';
import { CobeeTokenClient, CobeeTokenClientOptions, createBearerFetch, TokenClientLogger } from '@cobee/auth/client';

/** Settings of the partner service: the API, the credentials, the token source and the company to read. */
export interface PartnerServiceSettings {
  /** Base URL of the API, for example `http://127.0.0.1:3000`. */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The company whose employees are listed. */
  readonly companyId: string;
  /** The issuer's token endpoint and the API audience; without them the API's own `/oauth/token` is used. */
  readonly issuer?: { readonly tokenUrl: string; readonly audience: string };
}

/** An employee as the demo API returns it (the fields this example prints). */
export interface Employee {
  readonly id: string;
  readonly name: string;
  readonly surname: string;
}

/**
 * Lists the employees of one company. The token client is created once per service and
 * shared: it caches the token and renews it shortly before it expires.
 */
export async function listEmployees(
  settings: PartnerServiceSettings,
  logger: TokenClientLogger = new Logger('PartnerService'),
): Promise<Employee[]> {
  const tokenOptions: CobeeTokenClientOptions =
    settings.issuer === undefined
      ? { tokenEndpoint: `${settings.apiUrl}/oauth/token`, endpointStyle: 'cobee', clientId: settings.clientId, clientSecret: settings.clientSecret }
      : {
          tokenEndpoint: settings.issuer.tokenUrl,
          audience: settings.issuer.audience,
          clientId: settings.clientId,
          clientSecret: settings.clientSecret,
        };
  const tokens = new CobeeTokenClient({ ...tokenOptions, logger });
  const api = createBearerFetch(tokens, { baseUrl: settings.apiUrl });

  const response = await api(`/companies/${settings.companyId}/employees`);
  if (!response.ok) {
    throw new Error(`GET /companies/${settings.companyId}/employees failed with HTTP ${response.status}: ${await response.text()}`);
  }
  const page = (await response.json()) as { items: Employee[] };
  return page.items;
}

async function main(): Promise<void> {
  const logger = new Logger('PartnerService');
  const clientSecret = process.env.DEMO_ACME_IBERIA_SECRET ?? process.env.DEV_CLIENT_SECRET;
  if (clientSecret === undefined) {
    throw new Error('Set DEMO_ACME_IBERIA_SECRET (printed by npm start) or DEV_CLIENT_SECRET');
  }
  const useIssuer = process.env.PARTNER_TOKEN_SOURCE === 'issuer';
  const settings: PartnerServiceSettings = {
    apiUrl: process.env.API ?? 'http://127.0.0.1:3000',
    clientId: 'demo-acme-iberia',
    clientSecret,
    companyId: '5e9e9701-9883-447d-9884-46e75993e33b',
    issuer: useIssuer
      ? { tokenUrl: process.env.TOKEN_URL ?? 'http://127.0.0.1:3001/oauth/token', audience: process.env.AUDIENCE ?? 'https://demo-api.cobee.local' }
      : undefined,
  };

  const employees = await listEmployees(settings, logger);
  logger.log(`Company ${settings.companyId} has ${employees.length} employees (token from ${useIssuer ? 'the issuer' : 'the API'}):`);
  for (const employee of employees) {
    logger.log(`  ${employee.id}  ${employee.name} ${employee.surname}`);
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    new Logger('PartnerService').error(error.message);
    process.exitCode = 1;
  });
}
