import { InvalidCompanyIdError } from './cobee-auth.errors';

/** The only accepted spelling: 8-4-4-4-12 ASCII hex digits, any version, either case. */
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Normalises a company id from a request to its canonical form, a lower-case UUID. The guard,
 * the company context and the data layer all use this value.
 *
 * Upper case is folded. Every other spelling is rejected rather than repaired: braces,
 * `urn:uuid:` prefixes, surrounding or embedded whitespace, trailing or encoded separators,
 * and non-ASCII look-alike characters, because a lenient parser is where two components
 * start to disagree about which company a request names.
 *
 * @param value the raw value, of any type
 * @param source where the value came from, for the error message (for example `path parameter "companyId"`)
 * @throws InvalidCompanyIdError when the value is not a UUID string
 */
export function normalizeCompanyId(value: unknown, source: string): string {
  if (typeof value !== 'string' || !UUID_PATTERN.test(value)) {
    throw new InvalidCompanyIdError(source);
  }
  return value.toLowerCase();
}

/** Reports whether a value is a UUID string in any case. */
export function isCompanyId(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
