import { CompanyMetadataClaim, countRememberedClaims, findInvalidMetadataFields } from './company-metadata.claim';

const COMPANY = '5e9e9701-9883-447d-9884-46e75993e33b';
const CORPORATION = '9b1d7c3e-0c5a-4e7b-9a41-1f2e3d4c5b6a';

function claim(companyId: unknown, corporationId?: unknown, withCorporation = corporationId !== undefined): CompanyMetadataClaim {
  const value = new CompanyMetadataClaim();
  value.companyId = companyId as string;
  if (withCorporation) {
    value.corporationId = corporationId as string;
  }
  return value;
}

describe('findInvalidMetadataFields', () => {
  it('accepts a company id alone', () => {
    expect(findInvalidMetadataFields(claim(COMPANY))).toEqual([]);
  });

  it('accepts a company and a corporation id', () => {
    expect(findInvalidMetadataFields(claim(COMPANY, CORPORATION))).toEqual([]);
  });

  it.each([
    ['upper case', COMPANY.toUpperCase()],
    ['the nil UUID', '00000000-0000-0000-0000-000000000000'],
    ['a version 7 UUID', '01890a5d-ac96-774b-bcce-b302099a8057'],
  ])('accepts a company id in %s', (_name, companyId) => {
    expect(findInvalidMetadataFields(claim(companyId))).toEqual([]);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 123],
    ['an array', [COMPANY]],
    ['an object', { id: COMPANY }],
    ['empty', ''],
    ['the JSON text of an object', JSON.stringify({ id: COMPANY })],
    ['not a UUID', 'acme'],
    ['with whitespace', ` ${COMPANY} `],
    ['in braces', `{${COMPANY}}`],
  ])('names companyId when it is %s', (_name, companyId) => {
    expect(findInvalidMetadataFields(claim(companyId))).toEqual(['companyId']);
  });

  it.each([
    ['null', null],
    ['a number', 1],
    ['empty', ''],
    ['an array', [CORPORATION]],
    ['not a UUID', 'acme-group'],
  ])('names corporationId when it is %s', (_name, corporationId) => {
    expect(findInvalidMetadataFields(claim(COMPANY, corporationId, true))).toEqual(['corporationId']);
  });

  it('names both fields when both are invalid', () => {
    expect(findInvalidMetadataFields(claim(1, 2)).sort()).toEqual(['companyId', 'corporationId']);
  });
});

describe('findInvalidMetadataFields remembered results', () => {
  it('keeps rejecting an empty corporation after the same company passed without one', () => {
    expect(findInvalidMetadataFields(claim(COMPANY))).toEqual([]);

    expect(findInvalidMetadataFields(claim(COMPANY, '', true))).toEqual(['corporationId']);
    expect(findInvalidMetadataFields(claim(COMPANY, null, true))).toEqual(['corporationId']);
  });

  it('keeps rejecting an invalid company after many valid ones', () => {
    for (let index = 0; index < 1100; index++) {
      findInvalidMetadataFields(claim(`5e9e9701-9883-447d-9884-${String(index).padStart(12, '0')}`));
    }

    expect(findInvalidMetadataFields(claim('not-a-uuid'))).toEqual(['companyId']);
  });

  it.each([
    ['company', () => claim('not-a-uuid'), ['companyId']],
    ['corporation', () => claim(COMPANY, 'acme-group', true), ['corporationId']],
  ])('never remembers an invalid %s that is a string', (_name, build, fields) => {
    expect(findInvalidMetadataFields(build())).toEqual(fields);
    expect(findInvalidMetadataFields(build())).toEqual(fields);
  });

  it('keeps two claims apart when their fields differ only in where one ends', () => {
    const corporationLike = '5e9e9701-9883-447d-9884-46e75993e33b|36:9b1d7c3e';
    expect(findInvalidMetadataFields(claim(COMPANY, CORPORATION))).toEqual([]);

    expect(findInvalidMetadataFields(claim(corporationLike))).toEqual(['companyId']);
  });

  it('remembers a valid claim once', () => {
    const company = '5e9e9701-9883-447d-9884-0000000000aa';
    findInvalidMetadataFields(claim(company));
    const count = countRememberedClaims();

    expect(findInvalidMetadataFields(claim(company))).toEqual([]);
    expect(countRememberedClaims()).toBe(count);
  });

  it('never remembers more than 1024 claims', () => {
    for (let index = 0; index < 1500; index++) {
      findInvalidMetadataFields(claim(COMPANY, `9b1d7c3e-0c5a-4e7b-9a41-${String(index).padStart(12, '0')}`));
      expect(countRememberedClaims()).toBeLessThanOrEqual(1024);
    }

    expect(countRememberedClaims()).toBe(1024);
  });

  it('remembers no invalid claim', () => {
    const count = countRememberedClaims();

    findInvalidMetadataFields(claim('not-a-uuid'));
    findInvalidMetadataFields(claim(COMPANY, 'acme-group', true));
    findInvalidMetadataFields(claim(123));

    expect(countRememberedClaims()).toBe(count);
  });
});
