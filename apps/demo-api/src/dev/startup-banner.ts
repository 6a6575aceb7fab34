import { DEMO_CLIENTS, DEMO_IDS } from './demo-data';
import { DemoIssuer } from './demo-issuer';

/**
 * Builds the start-up banner: URLs, demo clients and a copy-paste walk-through. Generated
 * client secrets appear here once, because the issuer stores only their hashes and there is
 * no other way to learn them.
 */
export function buildStartupBanner(options: {
  apiUrl: string;
  issuerUrl: string;
  audience: string;
  demoIssuer: DemoIssuer | undefined;
}): string {
  const { apiUrl, issuerUrl, audience, demoIssuer } = options;
  const lines = [
    '',
    '================================================================================',
    ' Cobee auth demo API',
    '================================================================================',
    ` API:           ${apiUrl}`,
    ` Swagger UI:    ${apiUrl}/docs`,
    ` Health:        ${apiUrl}/health (liveness), ${apiUrl}/health/ready (readiness)`,
    ` Token issuer:  ${issuerUrl}${demoIssuer === undefined ? ' (external)' : ' (embedded dev issuer)'}`,
    ` Audience:      ${audience}`,
  ];

  if (demoIssuer === undefined) {
    lines.push('', ' Get tokens from your issuer with the client-credentials grant for the audience above.');
  } else {
    lines.push('', ' Demo clients:');
    for (const client of DEMO_CLIENTS) {
      lines.push(`   ${client.clientId.padEnd(18)} ${client.name}`);
    }
    lines.push(
      '',
      demoIssuer.sharedSecret
        ? ' Every demo client uses the secret from DEV_CLIENT_SECRET.'
        : ' Client secrets were generated for this run (set DEV_CLIENT_SECRET to fix them).',
      ' Paste these lines into another terminal:',
      '',
      `   export API=${apiUrl}`,
      `   export TOKEN_URL=${demoIssuer.issuer.tokenEndpoint}`,
      `   export AUDIENCE=${audience}`,
    );
    for (const client of DEMO_CLIENTS) {
      lines.push(`   export ${secretVariable(client.clientId)}='${demoIssuer.secrets.get(client.clientId)}'`);
    }
    const secretReference = `$${secretVariable('demo-acme-iberia')}`;
    lines.push(
      '',
      ' Then get a token and call the API:',
      '',
      `   TOKEN=$(curl -s "$TOKEN_URL" -H 'content-type: application/json' \\`,
      `     -d "{\\"grant_type\\":\\"client_credentials\\",\\"client_id\\":\\"demo-acme-iberia\\",\\"client_secret\\":\\"${secretReference}\\",\\"audience\\":\\"$AUDIENCE\\"}" \\`,
      `     | node -pe 'const r = JSON.parse(require("fs").readFileSync(0)); r.access_token || (console.error(r), process.exit(1))')`,
      `   curl -s "$API/companies/${DEMO_IDS.companies.acmeIberia}/employees" -H "Authorization: Bearer $TOKEN"`,
      '',
      ' Or get the token from the API itself (Cobee-style endpoint):',
      '',
      `   TOKEN=$(curl -s "$API/oauth/token" -H 'content-type: application/json' \\`,
      `     -d "{\\"clientId\\":\\"demo-acme-iberia\\",\\"clientSecret\\":\\"${secretReference}\\"}" \\`,
      `     | node -pe 'const r = JSON.parse(require("fs").readFileSync(0)); r.accessToken || (console.error(r), process.exit(1))')`,
    );
  }
  lines.push('================================================================================', '');
  return lines.join('\n');
}

/** Shell variable that holds a demo client's secret, for example `DEMO_ACME_IBERIA_SECRET`. */
export function secretVariable(clientId: string): string {
  return `${clientId.toUpperCase().replace(/-/g, '_')}_SECRET`;
}
