import { DEMO_IDS } from '../dev/demo-data';

/** Rows the demo database starts with. Ids are fixed so that documentation and tests can name them. */
export const SEED_CORPORATIONS = [
  { id: DEMO_IDS.corporations.acmeGroup, name: 'Acme Group' },
  { id: DEMO_IDS.corporations.otherGroup, name: 'Other Group' },
];

export const SEED_COMPANIES = [
  { id: DEMO_IDS.companies.acmeIberia, name: 'Acme Iberia', corporationId: DEMO_IDS.corporations.acmeGroup },
  { id: DEMO_IDS.companies.acmePortugal, name: 'Acme Portugal', corporationId: DEMO_IDS.corporations.acmeGroup },
  { id: DEMO_IDS.companies.otherRetail, name: 'Other Retail', corporationId: DEMO_IDS.corporations.otherGroup },
  { id: DEMO_IDS.companies.soloFoods, name: 'Solo Foods', corporationId: null },
];

export const SEED_EMPLOYEES = [
  {
    id: '0f6a3c1e-8b2d-4e5f-9a01-b2c3d4e5f601',
    companyId: DEMO_IDS.companies.acmeIberia,
    email: 'lucia.garcia@acme-iberia.example',
    legalId: '12345678Z',
    name: 'Lucía',
    surname: 'García',
    birthDate: '1988-04-12',
    internalId: 'AI-001',
  },
  {
    id: '0f6a3c1e-8b2d-4e5f-9a01-b2c3d4e5f602',
    companyId: DEMO_IDS.companies.acmeIberia,
    email: 'marc.puig@acme-iberia.example',
    legalId: '87654321X',
    name: 'Marc',
    surname: 'Puig',
    birthDate: null,
    internalId: 'AI-002',
  },
  {
    id: '1a7b4d2f-9c3e-4f60-8b12-c3d4e5f60701',
    companyId: DEMO_IDS.companies.acmePortugal,
    email: 'joao.silva@acme-portugal.example',
    legalId: 'PT-123456789',
    name: 'João',
    surname: 'Silva',
    birthDate: '1990-09-30',
    internalId: 'AP-001',
  },
  {
    id: '1a7b4d2f-9c3e-4f60-8b12-c3d4e5f60702',
    companyId: DEMO_IDS.companies.acmePortugal,
    email: 'ana.costa@acme-portugal.example',
    legalId: 'PT-987654321',
    name: 'Ana',
    surname: 'Costa',
    birthDate: null,
    internalId: null,
  },
  {
    id: '2b8c5e30-ad4f-4071-9c23-d4e5f6071801',
    companyId: DEMO_IDS.companies.otherRetail,
    email: 'pablo.ruiz@other-retail.example',
    legalId: '11223344B',
    name: 'Pablo',
    surname: 'Ruiz',
    birthDate: '1979-01-05',
    internalId: 'OR-001',
  },
  {
    id: '2b8c5e30-ad4f-4071-9c23-d4e5f6071802',
    companyId: DEMO_IDS.companies.otherRetail,
    email: 'elena.martin@other-retail.example',
    legalId: '55667788C',
    name: 'Elena',
    surname: 'Martín',
    birthDate: null,
    internalId: 'OR-002',
  },
  {
    id: '3c9d6f41-be50-4182-8d34-e5f607182901',
    companyId: DEMO_IDS.companies.soloFoods,
    email: 'carmen.lopez@solo-foods.example',
    legalId: '99887766D',
    name: 'Carmen',
    surname: 'López',
    birthDate: '1995-06-21',
    internalId: 'SF-001',
  },
  {
    id: '3c9d6f41-be50-4182-8d34-e5f607182902',
    companyId: DEMO_IDS.companies.soloFoods,
    email: 'diego.sanchez@solo-foods.example',
    legalId: '44332211E',
    name: 'Diego',
    surname: 'Sánchez',
    birthDate: null,
    internalId: null,
  },
];
