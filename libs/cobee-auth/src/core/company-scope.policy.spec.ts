import { CompanyRecord, decideCompanyAccess } from './company-scope.policy';

const OWN = '5e9e9701-9883-447d-9884-46e75993e33b';
const SIBLING = '2c4b6f0e-7d1a-4f3b-8e2c-5a6b7c8d9e0f';
const STRANGER = '7f3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const GROUP = '9b1d7c3e-0c5a-4e7b-9a41-1f2e3d4c5b6a';
const OTHER_GROUP = '3d5e7f90-1a2b-4c3d-b4e5-f60718293a4b';

const single = { companyId: OWN, corporationId: undefined };
const corporate = { companyId: OWN, corporationId: GROUP };

function company(id: string, corporationId: string | null): CompanyRecord {
  return { id, corporationId };
}

describe('decideCompanyAccess', () => {
  describe('without a company directory', () => {
    it('allows the own company', () => {
      expect(decideCompanyAccess(corporate, OWN, 'no-directory')).toEqual({ allowed: true, via: 'company' });
    });

    it('denies every other company, even for a corporation token', () => {
      expect(decideCompanyAccess(corporate, SIBLING, 'no-directory')).toEqual({ allowed: false, reason: 'outside_scope' });
    });
  });

  describe('with a company directory', () => {
    it('allows the own company', () => {
      expect(decideCompanyAccess(single, OWN, company(OWN, null))).toEqual({ allowed: true, via: 'company' });
    });

    it('allows a company of the token corporation', () => {
      expect(decideCompanyAccess(corporate, SIBLING, company(SIBLING, GROUP))).toEqual({ allowed: true, via: 'corporation' });
    });

    it('prefers the company grant for the own company', () => {
      expect(decideCompanyAccess(corporate, OWN, company(OWN, GROUP))).toEqual({ allowed: true, via: 'company' });
    });

    it('denies a sibling to a single-company token', () => {
      expect(decideCompanyAccess(single, SIBLING, company(SIBLING, GROUP))).toEqual({ allowed: false, reason: 'outside_scope' });
    });

    it('denies a company of another corporation', () => {
      expect(decideCompanyAccess(corporate, STRANGER, company(STRANGER, OTHER_GROUP))).toEqual({
        allowed: false,
        reason: 'outside_scope',
      });
    });

    it('denies a company in no corporation to a corporation token', () => {
      expect(decideCompanyAccess(corporate, STRANGER, company(STRANGER, null))).toEqual({ allowed: false, reason: 'outside_scope' });
    });

    it('denies an unknown company', () => {
      expect(decideCompanyAccess(corporate, STRANGER, undefined)).toEqual({ allowed: false, reason: 'unknown_company' });
    });

    it('denies the own company when the directory does not know it', () => {
      expect(decideCompanyAccess(single, OWN, undefined)).toEqual({ allowed: false, reason: 'unknown_company' });
    });

    it('denies a record whose id differs from the requested one', () => {
      expect(decideCompanyAccess(single, STRANGER, company(OWN, null))).toEqual({ allowed: false, reason: 'unknown_company' });
    });

    it('never matches an undefined corporation with a null one', () => {
      expect(decideCompanyAccess(single, STRANGER, company(STRANGER, null))).toEqual({ allowed: false, reason: 'outside_scope' });
    });

    it('denies a record without a corporation field to a single-company token', () => {
      // A directory written in plain JavaScript may leave the field out instead of setting null.
      const record = { id: STRANGER } as unknown as CompanyRecord;

      expect(decideCompanyAccess(single, STRANGER, record)).toEqual({ allowed: false, reason: 'outside_scope' });
    });
  });
});

const ACME_IBERIA = '5e9e9701-9883-447d-9884-46e75993e33b';
const ACME_PORTUGAL = '2c4b6f0e-7d1a-4f3b-8e2c-5a6b7c8d9e0f';
const OTHER_RETAIL = '8e9f0a1b-2c3d-4e5f-a061-728394a5b6c7';
const SOLO_FOODS = '7f3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const ACME_GROUP = '9b1d7c3e-0c5a-4e7b-9a41-1f2e3d4c5b6a';

const companyClient = { companyId: ACME_IBERIA, corporationId: undefined };
const corporationClient = { companyId: ACME_IBERIA, corporationId: ACME_GROUP };

describe('decideCompanyAccess with the demo companies', () => {
  it('allows the own company', () => {
    expect(decideCompanyAccess(companyClient, ACME_IBERIA, { id: ACME_IBERIA, corporationId: ACME_GROUP })).toEqual({
      allowed: true,
      via: 'company',
    });
  });

  it('denies a sibling company without a corporation claim', () => {
    expect(decideCompanyAccess(companyClient, ACME_PORTUGAL, { id: ACME_PORTUGAL, corporationId: ACME_GROUP })).toEqual({
      allowed: false,
      reason: 'outside_scope',
    });
  });

  it('allows a company of the claimed corporation', () => {
    expect(decideCompanyAccess(corporationClient, ACME_PORTUGAL, { id: ACME_PORTUGAL, corporationId: ACME_GROUP })).toEqual({
      allowed: true,
      via: 'corporation',
    });
  });

  it('denies a company of another corporation', () => {
    expect(decideCompanyAccess(corporationClient, OTHER_RETAIL, { id: OTHER_RETAIL, corporationId: OTHER_GROUP })).toEqual({
      allowed: false,
      reason: 'outside_scope',
    });
  });

  it('denies a company in no corporation', () => {
    expect(decideCompanyAccess(corporationClient, SOLO_FOODS, { id: SOLO_FOODS, corporationId: null })).toEqual({
      allowed: false,
      reason: 'outside_scope',
    });
  });

  it('denies an unknown company, even the own one', () => {
    expect(decideCompanyAccess(companyClient, ACME_IBERIA, undefined)).toEqual({ allowed: false, reason: 'unknown_company' });
    expect(decideCompanyAccess(corporationClient, ACME_PORTUGAL, undefined)).toEqual({ allowed: false, reason: 'unknown_company' });
  });

  it('denies a directory answer for another id', () => {
    expect(decideCompanyAccess(companyClient, ACME_IBERIA, { id: ACME_PORTUGAL, corporationId: ACME_GROUP })).toEqual({
      allowed: false,
      reason: 'unknown_company',
    });
  });

  it('never matches a missing corporation with a company in none', () => {
    expect(decideCompanyAccess(companyClient, SOLO_FOODS, { id: SOLO_FOODS, corporationId: null })).toEqual({
      allowed: false,
      reason: 'outside_scope',
    });
  });

  describe('without a directory', () => {
    it('allows only the own company', () => {
      expect(decideCompanyAccess(corporationClient, ACME_IBERIA, 'no-directory')).toEqual({ allowed: true, via: 'company' });
      expect(decideCompanyAccess(corporationClient, ACME_PORTUGAL, 'no-directory')).toEqual({
        allowed: false,
        reason: 'outside_scope',
      });
    });
  });
});
