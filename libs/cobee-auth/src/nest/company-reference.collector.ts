import { CompanyReferenceConflictError } from '../core/cobee-auth.errors';
import { HttpRequestLike, rawHeadersOf } from './request-auth-state';

/** One place in a request that names a company, with its raw value. */
export interface CompanyReference {
  /** The place the value came from, for error messages, for example `query parameter "companyId"`. */
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
 * Builds a pattern that matches every spelling of a name that `foldFieldName` folds to the same text, so that
 * header names can be tested without allocating a folded copy of each.
 */
function spellingPattern(name: string): RegExp {
  const letters = [...foldFieldName(name)].map((char) => char.replace(/[^a-z0-9]/g, (symbol) => `\\${symbol}`));
  return new RegExp(`^[-_]*${letters.join('[-_]*')}[-_]*$`, 'i');
}

const patterns = new Map<string, RegExp>();

function patternFor(name: string): RegExp {
  let pattern = patterns.get(name);
  if (pattern === undefined) {
    pattern = spellingPattern(name);
    patterns.set(name, pattern);
  }
  return pattern;
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
  const fieldPattern = patternFor(fields.companyIdField);
  const headerPattern = patternFor(fields.companyIdHeader);

  collectFields(request.query, fieldPattern, 'query parameter', references);
  for (const reference of references) {
    if (Array.isArray(reference.value)) {
      throw new CompanyReferenceConflictError(`The request repeats the ${reference.source}`);
    }
  }

  const body = request.body;
  if (Array.isArray(body)) {
    for (const item of body) {
      collectFields(item, fieldPattern, 'body field', references);
    }
  } else {
    collectFields(body, fieldPattern, 'body field', references);
  }

  const rawHeaders = rawHeadersOf(request);
  let headerCount = 0;
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    if (headerPattern.test(rawHeaders[index])) {
      headerCount++;
      references.push({ source: `header "${rawHeaders[index].toLowerCase()}"`, value: rawHeaders[index + 1] });
    }
  }
  if (headerCount > 1) {
    throw new CompanyReferenceConflictError(`The request repeats the header "${fields.companyIdHeader}"`);
  }
  return references;
}

function collectFields(container: unknown, pattern: RegExp, kind: string, references: CompanyReference[]): void {
  if (typeof container !== 'object' || container === null) {
    return;
  }
  for (const key of Object.keys(container)) {
    if (pattern.test(key)) {
      references.push({ source: `${kind} "${key}"`, value: (container as Record<string, unknown>)[key] });
    }
  }
}
