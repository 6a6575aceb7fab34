import { InvalidCompanyIdError } from './cobee-auth.errors';
import { normalizeCompanyId } from './company-id';

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
});
