import { CompanyReferenceConflictError } from '../core/cobee-auth.errors';
import { collectCompanyReferences, foldFieldName } from './company-reference.collector';
import { HttpRequestLike } from './request-auth-state';

const A = '5e9e9701-9883-447d-9884-46e75993e33b';
const B = '7f3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const FIELDS = { companyIdField: 'companyId', companyIdHeader: 'x-company-id' };

function request(parts: Partial<HttpRequestLike>): HttpRequestLike {
  return { headers: {}, rawHeaders: [], ...parts };
}

describe('foldFieldName', () => {
  it.each(['companyId', 'company_id', 'CompanyID', 'company-id', 'COMPANY__ID', '_companyid-'])('folds %s', (name) => {
    expect(foldFieldName(name)).toBe('companyid');
  });
});

describe('collectCompanyReferences', () => {
  it('returns nothing for a request without references', () => {
    expect(collectCompanyReferences(request({ query: { page: '1' }, body: { name: 'x' } }), FIELDS)).toEqual([]);
  });

  it.each(['companyId', 'company_id', 'CompanyID', 'company-id', 'COMPANYID', '_companyId_'])('finds query field %s', (name) => {
    expect(collectCompanyReferences(request({ query: { [name]: B } }), FIELDS)).toEqual([
      { source: `query parameter "${name}"`, value: B },
    ]);
  });

  it.each(['companyIds', 'xcompanyId', 'company.id', 'company id', 'companyI'])('ignores field %s', (name) => {
    expect(collectCompanyReferences(request({ query: { [name]: B }, body: { [name]: B } }), FIELDS)).toEqual([]);
  });

  it('rejects a repeated query field', () => {
    const collect = (): unknown => collectCompanyReferences(request({ query: { companyId: [A, A] } }), FIELDS);

    expect(collect).toThrow(CompanyReferenceConflictError);
    expect(collect).toThrow('The request repeats the query parameter "companyId"');
  });

  it('finds body fields of an object', () => {
    expect(collectCompanyReferences(request({ body: { companyId: A, company_id: B } }), FIELDS)).toEqual([
      { source: 'body field "companyId"', value: A },
      { source: 'body field "company_id"', value: B },
    ]);
  });

  it('finds body fields of every object in an array', () => {
    expect(collectCompanyReferences(request({ body: [{ companyId: A }, 'text', null, { CompanyId: B }] }), FIELDS)).toEqual([
      { source: 'body field "companyId"', value: A },
      { source: 'body field "CompanyId"', value: B },
    ]);
  });

  it.each([['a string', 'companyId'], ['a number', 7], ['null', null]])('ignores a body that is %s', (_name, body) => {
    expect(collectCompanyReferences(request({ body }), FIELDS)).toEqual([]);
  });

  it('keeps values of any type for the caller to judge', () => {
    expect(collectCompanyReferences(request({ body: { companyId: { id: A } } }), FIELDS)).toEqual([
      { source: 'body field "companyId"', value: { id: A } },
    ]);
  });

  it.each(['X-Company-Id', 'x-company-id', 'X_COMPANY_ID', 'XCompanyId'])('finds header %s', (name) => {
    expect(collectCompanyReferences(request({ rawHeaders: ['Host', 'api', name, B] }), FIELDS)).toEqual([
      { source: `header "${name.toLowerCase()}"`, value: B },
    ]);
  });

  it('reads raw headers of a Fastify request', () => {
    expect(collectCompanyReferences(request({ rawHeaders: undefined, raw: { rawHeaders: ['X-Company-Id', B] } }), FIELDS)).toEqual([
      { source: 'header "x-company-id"', value: B },
    ]);
  });

  it.each([
    ['the same header twice', ['X-Company-Id', A, 'X-Company-Id', A]],
    ['two spellings of the header', ['X-Company-Id', A, 'x_company_id', A]],
  ])('rejects %s', (_name, rawHeaders) => {
    const collect = (): unknown => collectCompanyReferences(request({ rawHeaders }), FIELDS);

    expect(collect).toThrow(CompanyReferenceConflictError);
    expect(collect).toThrow('The request repeats the header "x-company-id"');
  });

  it('ignores a header name without a value', () => {
    expect(collectCompanyReferences(request({ rawHeaders: ['Host', 'api', 'X-Company-Id'] }), FIELDS)).toEqual([]);
  });

  it('collects query, body and header together', () => {
    const references = collectCompanyReferences(
      request({ query: { companyId: A }, body: { companyId: B }, rawHeaders: ['X-Company-Id', A] }),
      FIELDS,
    );

    expect(references.map((reference) => reference.source)).toEqual([
      'query parameter "companyId"',
      'body field "companyId"',
      'header "x-company-id"',
    ]);
  });

  it('uses the configured field and header names', () => {
    const fields = { companyIdField: 'tenant', companyIdHeader: 'x-tenant' };

    const references = collectCompanyReferences(request({ query: { tenant: A, companyId: B }, rawHeaders: ['X-Tenant', A] }), fields);

    expect(references).toEqual([
      { source: 'query parameter "tenant"', value: A },
      { source: 'header "x-tenant"', value: A },
    ]);
  });

  it('escapes pattern characters in a configured name', () => {
    const fields = { companyIdField: 'company.id', companyIdHeader: 'x-company-id' };

    expect(collectCompanyReferences(request({ query: { companyXid: A, 'company.id': B } }), fields)).toEqual([
      { source: 'query parameter "company.id"', value: B },
    ]);
  });
});
