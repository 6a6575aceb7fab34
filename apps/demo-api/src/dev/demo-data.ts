/** Fixed ids of the demo data; the README, the banner and the tests rely on them. */
export const DEMO_IDS = {
  corporations: {
    acmeGroup: '9b1d7c3e-0c5a-4e7b-9a41-1f2e3d4c5b6a',
    otherGroup: '3d5e7f90-1a2b-4c3d-b4e5-f60718293a4b',
  },
  companies: {
    acmeIberia: '5e9e9701-9883-447d-9884-46e75993e33b',
    acmePortugal: '2c4b6f0e-7d1a-4f3b-8e2c-5a6b7c8d9e0f',
    otherRetail: '8e9f0a1b-2c3d-4e5f-a061-728394a5b6c7',
    soloFoods: '7f3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  },
} as const;

/** Scopes the demo API checks. */
export const DEMO_SCOPES = {
  readCompanies: 'read:companies',
  readEmployees: 'read:employees',
  writeEmployees: 'write:employees',
} as const;

/** A demo client: which company and corporation its tokens carry, and which scopes it is granted. */
export interface DemoClient {
  readonly clientId: string;
  readonly name: string;
  readonly companyId: string;
  readonly corporationId?: string;
  readonly scopes: readonly string[];
}

const READ_WRITE = [DEMO_SCOPES.readCompanies, DEMO_SCOPES.readEmployees, DEMO_SCOPES.writeEmployees];
const READ_ONLY = [DEMO_SCOPES.readCompanies, DEMO_SCOPES.readEmployees];

/** The demo's machine-to-machine clients. `demo-other-retail` is read-only. */
export const DEMO_CLIENTS: readonly DemoClient[] = [
  { clientId: 'demo-acme-iberia', name: 'Acme Iberia', companyId: DEMO_IDS.companies.acmeIberia, scopes: READ_WRITE },
  {
    clientId: 'demo-acme-group',
    name: 'Acme Iberia, corporation Acme Group',
    companyId: DEMO_IDS.companies.acmeIberia,
    corporationId: DEMO_IDS.corporations.acmeGroup,
    scopes: READ_WRITE,
  },
  { clientId: 'demo-solo-foods', name: 'Solo Foods', companyId: DEMO_IDS.companies.soloFoods, scopes: READ_WRITE },
  { clientId: 'demo-other-retail', name: 'Other Retail (read-only)', companyId: DEMO_IDS.companies.otherRetail, scopes: READ_ONLY },
];
