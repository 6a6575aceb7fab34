import { AddressInfo } from 'node:net';
import { TokenRequestRejectedError } from '@cobee/auth/client';
import { listEmployees, PartnerServiceSettings } from '../examples/partner-service';
import { CapturingLogger } from './support/capturing.logger';
import { DemoAppHarness, startDemoApp, TEST_CLIENT_SECRET, ADAPTERS } from './support/demo-app.harness';
import { DEMO_IDS } from './support/demo-ids';

const { acmeIberia } = DEMO_IDS.companies;

describe.each(ADAPTERS)('partner service example on %s (e2e)', (adapter) => {
  let harness: DemoAppHarness;
  let settings: PartnerServiceSettings;

  beforeAll(async () => {
    harness = await startDemoApp({ adapter });
    await harness.app.listen(0, '127.0.0.1');
    const apiUrl = `http://127.0.0.1:${(harness.app.getHttpServer().address() as AddressInfo).port}`;
    settings = { apiUrl, clientId: 'demo-acme-iberia', clientSecret: TEST_CLIENT_SECRET, companyId: acmeIberia };
  });

  afterAll(async () => {
    await harness.close();
  });

  it('lists employees with a token from the API', async () => {
    const logger = new CapturingLogger();
    const before = harness.issuer.tokenRequestCount;

    const employees = await listEmployees(settings, logger);

    expect(employees.map((employee) => `${employee.name} ${employee.surname}`).sort()).toEqual(['Lucía García', 'Marc Puig']);
    expect(harness.issuer.tokenRequestCount - before).toBe(1);
    expect(logger.text).not.toContain(TEST_CLIENT_SECRET);
  });

  it('lists employees with a token from the issuer', async () => {
    const employees = await listEmployees(
      { ...settings, issuer: { tokenUrl: harness.issuer.tokenEndpoint, audience: harness.audience } },
      new CapturingLogger(),
    );

    expect(employees).toHaveLength(2);
  });

  it('wrong secret fails with the rejection', async () => {
    await expect(listEmployees({ ...settings, clientSecret: 'wrong-secret-0123456789' }, new CapturingLogger())).rejects.toBeInstanceOf(
      TokenRequestRejectedError,
    );
  });
});
