import { InvalidCompanyIdError } from './cobee-auth.errors';
import { isCompanyId, normalizeCompanyId } from './company-id';

const CANONICAL = '5e9e9701-9883-447d-9884-46e75993e33b';

describe('normalizeCompanyId', () => {
  it('keeps a canonical id', () => {
    expect(normalizeCompanyId(CANONICAL, 'path')).toBe(CANONICAL);
  });

  it('folds upper case', () => {
    expect(normalizeCompanyId(CANONICAL.toUpperCase(), 'path')).toBe(CANONICAL);
  });

  it.each([
    ['braces', `{${CANONICAL}}`],
    ['urn prefix', `urn:uuid:${CANONICAL}`],
    ['trailing slash', `${CANONICAL}/`],
    ['leading space', ` ${CANONICAL}`],
    ['trailing newline', `${CANONICAL}\n`],
    ['encoded slash', `${CANONICAL}%2F`],
    ['no hyphens', CANONICAL.replace(/-/g, '')],
    ['fullwidth digit', CANONICAL.replace('5', '\uff15')],
    ['cyrillic a', CANONICAL.replace('e', '\u0435')],
    ['empty', ''],
  ])('rejects %s', (_name, value) => {
    expect(() => normalizeCompanyId(value, 'path parameter "companyId"')).toThrow(InvalidCompanyIdError);
  });

  it.each([[123], [null], [undefined], [[CANONICAL]], [{ id: CANONICAL }]])('rejects non-string %p', (value) => {
    expect(() => normalizeCompanyId(value, 'body')).toThrow(InvalidCompanyIdError);
  });

  it('accepts every hex digit in either case', () => {
    expect(normalizeCompanyId('0123abcd-ef45-6789-ABCD-EF0123456789', 'path')).toBe('0123abcd-ef45-6789-abcd-ef0123456789');
  });

  it.each([
    ['a g', 'g123abcd-ef45-6789-abcd-ef0123456789'],
    ['a G', 'G123abcd-ef45-6789-abcd-ef0123456789'],
    ['a short first group', '123abcd-ef45-6789-abcd-ef0123456789'],
    ['a long first group', '00123abcd-ef45-6789-abcd-ef0123456789'],
    ['a short second group', '0123abcd-f45-6789-abcd-ef0123456789'],
    ['a short third group', '0123abcd-ef45-789-abcd-ef0123456789'],
    ['a short fourth group', '0123abcd-ef45-6789-bcd-ef0123456789'],
    ['a short last group', '0123abcd-ef45-6789-abcd-f0123456789'],
    ['a long last group', '0123abcd-ef45-6789-abcd-ef01234567890'],
    ['a prefix', `x${CANONICAL}`],
    ['a suffix', `${CANONICAL}x`],
  ])('rejects an id with %s', (_name, value) => {
    expect(() => normalizeCompanyId(value, 'path')).toThrow(InvalidCompanyIdError);
  });

  it('names the source in the error', () => {
    expect(() => normalizeCompanyId('acme', 'query parameter "companyId"')).toThrow(
      'The company id in query parameter "companyId" is not a UUID',
    );
  });
});

describe('isCompanyId', () => {
  it.each([CANONICAL, CANONICAL.toUpperCase(), '00000000-0000-0000-0000-000000000000'])('accepts %s', (value) => {
    expect(isCompanyId(value)).toBe(true);
  });

  it.each([[''], ['acme'], [` ${CANONICAL}`], [`${CANONICAL} `], [`{${CANONICAL}}`], [123], [null], [undefined], [[CANONICAL]]])(
    'refuses %p',
    (value) => {
      expect(isCompanyId(value)).toBe(false);
    },
  );
});
