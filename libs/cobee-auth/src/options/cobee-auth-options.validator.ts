import { CobeeAuthConfig, DEFAULT_CLAIM_NAMESPACE } from './cobee-auth-config';
import { CobeeAuthAlgorithm, CobeeAuthModuleOptions } from './cobee-auth-options.interface';

/** Raised at start-up for an invalid module option; the message names the option and the fix. */
export class CobeeAuthConfigurationError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'CobeeAuthConfigurationError';
  }
}

const ENABLED_ALGORITHMS: ReadonlySet<string> = new Set<CobeeAuthAlgorithm>([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
]);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const KNOWN_OPTIONS: ReadonlyArray<keyof CobeeAuthModuleOptions> = [
  'issuerUrl',
  'audience',
  'jwksUri',
  'algorithms',
  'clockToleranceSeconds',
  'maxTokenAgeSeconds',
  'maxTokenBytes',
  'claimNamespace',
  'allowedGrantTypes',
  'realm',
  'jwksCacheMaxAgeSeconds',
  'jwksCooldownSeconds',
  'jwksRetryAfterFailureSeconds',
  'jwksStaleGraceSeconds',
  'jwksRequestTimeoutMs',
  'jwksMaxResponseBytes',
  'jwksMaxKeys',
  'verifiedTokenCacheSize',
  'companyDirectoryCacheTtlSeconds',
  'companyDirectoryCacheSize',
  'companyDeniedStatus',
  'routeAudit',
  'companyIdHeader',
  'companyIdField',
  'clock',
];

/** Characters allowed in `realm`, which is sent inside a quoted string of a response header. */
const REALM_PATTERN = /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,64}$/;

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Validates module options and applies the defaults. Every problem is reported at once, each
 * with the option name and the fix, so a misconfigured application stops at start-up instead
 * of running with a check silently turned off.
 *
 * @throws CobeeAuthConfigurationError listing every invalid option
 */
export function resolveCobeeAuthConfig(options: unknown): CobeeAuthConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new CobeeAuthConfigurationError(
      'CobeeAuthModule options must be an object with at least "issuerUrl" and "audience".',
    );
  }
  const input = options as Record<string, unknown>;
  const problems: string[] = [];
  const reader = new OptionReader(input, problems);

  for (const key of Object.keys(input)) {
    if (!(KNOWN_OPTIONS as readonly string[]).includes(key)) {
      const suggestion = closestOption(key);
      problems.push(
        `Unknown option "${key}".${suggestion ? ` Did you mean "${suggestion}"?` : ''} ` +
          'Remove it or correct its spelling: an ignored option could leave a check turned off.',
      );
    }
  }

  const issuerUrl = reader.issuerUrl();
  const audiences = reader.audiences();
  const jwksUri = reader.jwksUri(issuerUrl);
  const algorithms = reader.algorithms();
  const clockToleranceSeconds = reader.number('clockToleranceSeconds', 5, { min: 0, max: 300 });
  const maxTokenAgeSeconds = reader.optionalNumber('maxTokenAgeSeconds', { min: 1, max: 31_536_000 });
  const maxTokenBytes = reader.number('maxTokenBytes', 8192, { min: 512, max: 65_536, integer: true });
  const claimNamespace = reader.string('claimNamespace', DEFAULT_CLAIM_NAMESPACE, /^\S{1,256}$/, 'a claim name');
  const allowedGrantTypes = reader.stringList('allowedGrantTypes', ['client-credentials']);
  const realm = reader.string('realm', 'api', REALM_PATTERN, 'printable ASCII without quotes or backslashes');
  const companyIdHeader = reader.string('companyIdHeader', 'x-company-id', HEADER_NAME_PATTERN, 'an HTTP header name');
  const companyIdField = reader.string('companyIdField', 'companyId', FIELD_NAME_PATTERN, 'an identifier');
  const clock = reader.clock();

  const config: CobeeAuthConfig = {
    issuer: issuerUrl,
    audiences: new Set(audiences),
    allowedGrantTypes: new Set(allowedGrantTypes),
    claimNamespace,
    clockToleranceSeconds,
    maxTokenAgeSeconds,
    jwksUri,
    algorithms,
    maxTokenBytes,
    realm,
    jwksCacheMaxAgeMs: reader.number('jwksCacheMaxAgeSeconds', 600, { min: 1, max: 86_400 }) * 1000,
    jwksCooldownMs: reader.number('jwksCooldownSeconds', 30, { min: 0, max: 3600 }) * 1000,
    jwksRetryAfterFailureMs: reader.number('jwksRetryAfterFailureSeconds', 1, { min: 0, max: 3600 }) * 1000,
    jwksStaleGraceMs: reader.number('jwksStaleGraceSeconds', 300, { min: 0, max: 86_400 }) * 1000,
    jwksRequestTimeoutMs: reader.number('jwksRequestTimeoutMs', 5000, { min: 100, max: 60_000, integer: true }),
    jwksMaxResponseBytes: reader.number('jwksMaxResponseBytes', 65_536, { min: 1024, max: 1_048_576, integer: true }),
    jwksMaxKeys: reader.number('jwksMaxKeys', 32, { min: 1, max: 1000, integer: true }),
    verifiedTokenCacheSize: reader.number('verifiedTokenCacheSize', 10_000, { min: 0, max: 1_000_000, integer: true }),
    companyDirectoryCacheTtlMs: reader.number('companyDirectoryCacheTtlSeconds', 60, { min: 0, max: 86_400 }) * 1000,
    companyDirectoryCacheSize: reader.number('companyDirectoryCacheSize', 10_000, { min: 1, max: 1_000_000, integer: true }),
    companyDeniedStatus: reader.oneOf('companyDeniedStatus', 403, [403, 404] as const),
    routeAudit: reader.oneOf('routeAudit', 'error', ['error', 'warn'] as const),
    companyIdHeader: companyIdHeader.toLowerCase(),
    companyIdField,
    clock,
  };

  if (problems.length > 0) {
    throw new CobeeAuthConfigurationError(
      `Invalid CobeeAuthModule options:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
  return config;
}

/** Reads one option at a time, records a problem for each invalid one and returns a placeholder so reading can go on. */
class OptionReader {
  constructor(
    private readonly input: Record<string, unknown>,
    private readonly problems: string[],
  ) {}

  issuerUrl(): string {
    const value = this.input.issuerUrl;
    if (typeof value !== 'string' || value === '') {
      this.problems.push(
        `Option "issuerUrl" is required: set it to the token issuer, for example "https://your-tenant.eu.auth0.com/" (got ${describe(value)}).`,
      );
      return '';
    }
    const url = parseUrl(value);
    if (url === undefined) {
      this.problems.push(`Option "issuerUrl" must be an absolute URL (got "${value}").`);
      return value;
    }
    this.checkUrl('issuerUrl', url, value);
    if (url.pathname === '/' && !value.endsWith('/')) {
      this.problems.push(
        `Option "issuerUrl" must end with "/" when it has no path, as Auth0 issuers do: use "${value}/". The "iss" claim is compared exactly.`,
      );
    }
    return value;
  }

  jwksUri(issuerUrl: string): string {
    const value = this.input.jwksUri;
    if (value === undefined) {
      const base = issuerUrl.endsWith('/') ? issuerUrl : `${issuerUrl}/`;
      return `${base}.well-known/jwks.json`;
    }
    const url = typeof value === 'string' ? parseUrl(value) : undefined;
    if (url === undefined) {
      this.problems.push(`Option "jwksUri" must be an absolute URL, or be left out to use "<issuerUrl>.well-known/jwks.json" (got ${describe(value)}).`);
      return '';
    }
    this.checkUrl('jwksUri', url, value as string);
    return value as string;
  }

  audiences(): string[] {
    const value = this.input.audience;
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string' && item !== '')) {
      this.problems.push(
        `Option "audience" is required: set it to your API identifier or a list of them, for example "https://api.example.com" (got ${describe(value)}).`,
      );
      return [];
    }
    return list as string[];
  }

  algorithms(): ReadonlySet<CobeeAuthAlgorithm> {
    const value = this.input.algorithms;
    if (value === undefined) {
      return new Set<CobeeAuthAlgorithm>(['RS256']);
    }
    if (!Array.isArray(value) || value.length === 0) {
      this.problems.push(`Option "algorithms" must be a non-empty list such as ["RS256"] (got ${describe(value)}).`);
      return new Set();
    }
    for (const item of value) {
      if (typeof item !== 'string' || !ENABLED_ALGORITHMS.has(item)) {
        this.problems.push(
          `Option "algorithms" contains ${describe(item)}, which can never be enabled: only ${[...ENABLED_ALGORITHMS].join(', ')} are supported, and "none" and HS* are refused because they defeat public-key verification.`,
        );
      }
    }
    return new Set(value as CobeeAuthAlgorithm[]);
  }

  number(name: string, fallback: number, range: { min: number; max: number; integer?: boolean }): number {
    const value = this.input[name];
    if (value === undefined) {
      return fallback;
    }
    if (!this.isNumberInRange(name, value, range)) {
      return fallback;
    }
    return value as number;
  }

  optionalNumber(name: string, range: { min: number; max: number }): number | undefined {
    const value = this.input[name];
    if (value === undefined) {
      return undefined;
    }
    return this.isNumberInRange(name, value, range) ? (value as number) : undefined;
  }

  string(name: string, fallback: string, pattern: RegExp, expected: string): string {
    const value = this.input[name];
    if (value === undefined) {
      return fallback;
    }
    if (typeof value !== 'string' || !pattern.test(value)) {
      this.problems.push(`Option "${name}" must be ${expected} (got ${describe(value)}); leave it out to use "${fallback}".`);
      return fallback;
    }
    return value;
  }

  stringList(name: string, fallback: string[]): string[] {
    const value = this.input[name];
    if (value === undefined) {
      return fallback;
    }
    if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string' && item !== '')) {
      this.problems.push(
        `Option "${name}" must be a non-empty list of strings such as ${JSON.stringify(fallback)} (got ${describe(value)}).`,
      );
      return fallback;
    }
    return value as string[];
  }

  oneOf<T extends string | number>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.input[name];
    if (value === undefined) {
      return fallback;
    }
    if (!allowed.includes(value as T)) {
      this.problems.push(
        `Option "${name}" must be one of ${allowed.map((item) => JSON.stringify(item)).join(', ')} (got ${describe(value)}).`,
      );
      return fallback;
    }
    return value as T;
  }

  clock(): () => number {
    const value = this.input.clock;
    if (value === undefined) {
      return Date.now;
    }
    if (typeof value !== 'function') {
      this.problems.push(`Option "clock" must be a function that returns milliseconds since the Unix epoch (got ${describe(value)}).`);
      return Date.now;
    }
    return value as () => number;
  }

  private isNumberInRange(name: string, value: unknown, range: { min: number; max: number; integer?: boolean }): boolean {
    const valid =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= range.min &&
      value <= range.max &&
      (!range.integer || Number.isInteger(value));
    if (!valid) {
      this.problems.push(
        `Option "${name}" must be ${range.integer ? 'an integer' : 'a number'} from ${range.min} to ${range.max} (got ${describe(value)}).`,
      );
    }
    return valid;
  }

  private checkUrl(name: string, url: URL, raw: string): void {
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
      this.problems.push(
        `Option "${name}" must use https: (got "${raw}"); plain http: is allowed only for localhost, 127.0.0.1 and [::1].`,
      );
    }
    if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
      this.problems.push(`Option "${name}" must not contain credentials, a query string or a fragment (got "${raw}").`);
    }
  }
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function describe(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (typeof value === 'function') {
    return 'a function';
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Suggests the known option nearest to a misspelled one, by edit distance. */
function closestOption(key: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of KNOWN_OPTIONS) {
    const distance = editDistance(key.toLowerCase(), known.toLowerCase());
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = previous[j - 1] + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length];
}
