import { CompanyReferenceConflictError } from '../core/cobee-auth.errors';
import { HttpRequestLike, rawHeadersOf } from './request-auth-state';

/** One place in a request that names a company, with its raw value. */
export interface CompanyReference {
  /** Where the value came from, for error messages, for example `query parameter "companyId"`. */
  readonly source: string;
  readonly value: unknown;
}

/** The field and header names that name a company on every route. */
export interface CompanyReferenceFields {
  readonly companyIdField: string;
  readonly companyIdHeader: string;
}

/**
 * Folds a field or header name so that every spelling of it matches: case, `-` and `_` are
 * ignored, so `companyId`, `company_id`, `CompanyID` and `company-id` are one name.
 */
export function foldFieldName(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/**
 * Collects every company id the request names outside the route path: query-string fields,
 * top-level body fields (of the body object, or of each object in a body array) and headers
 * whose folded name matches the configured field or header. A repeated query field or header
 * is a conflict, whatever its values.
 *
 * @throws CompanyReferenceConflictError when a query field or header appears more than once
 */
export function collectCompanyReferences(request: HttpRequestLike, fields: CompanyReferenceFields): CompanyReference[] {
  const references: CompanyReference[] = [];
  const fieldName = foldFieldName(fields.companyIdField);
  const headerName = foldFieldName(fields.companyIdHeader);

  collectFields(request.query, fieldName, 'query parameter', references);
  for (const reference of references) {
    if (Array.isArray(reference.value)) {
      throw new CompanyReferenceConflictError(`The request repeats the ${reference.source}`);
    }
  }

  const body = request.body;
  if (Array.isArray(body)) {
    for (const item of body) {
      collectFields(item, fieldName, 'body field', references);
    }
  } else {
    collectFields(body, fieldName, 'body field', references);
  }

  const rawHeaders = rawHeadersOf(request);
  let headerCount = 0;
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    if (foldFieldName(rawHeaders[index]) === headerName) {
      headerCount++;
      references.push({ source: `header "${rawHeaders[index].toLowerCase()}"`, value: rawHeaders[index + 1] });
    }
  }
  if (headerCount > 1) {
    throw new CompanyReferenceConflictError(`The request repeats the header "${fields.companyIdHeader}"`);
  }
  return references;
}

function collectFields(container: unknown, foldedName: string, kind: string, references: CompanyReference[]): void {
  if (typeof container !== 'object' || container === null) {
    return;
  }
  for (const key of Object.keys(container)) {
    if (foldFieldName(key) === foldedName) {
      references.push({ source: `${kind} "${key}"`, value: (container as Record<string, unknown>)[key] });
    }
  }
}
