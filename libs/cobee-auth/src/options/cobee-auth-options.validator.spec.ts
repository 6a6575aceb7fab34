import { DEFAULT_CLAIM_NAMESPACE } from './cobee-auth-config';
import { CobeeAuthConfigurationError, resolveCobeeAuthConfig } from './cobee-auth-options.validator';
import { captureError } from '../core/core.fixtures';

const ISSUER = 'https://tenant.eu.auth0.com/';
const AUDIENCE = 'https://api.example.com';
const REQUIRED = { issuerUrl: ISSUER, audience: AUDIENCE };

function configurationError(options: unknown): CobeeAuthConfigurationError {
  return captureError(CobeeAuthConfigurationError, () => resolveCobeeAuthConfig(options), 'resolveCobeeAuthConfig accepted the options');
}

describe('resolveCobeeAuthConfig', () => {
  describe('defaults', () => {
    it('applies every default', () => {
      const config = resolveCobeeAuthConfig(REQUIRED);

      expect(config).toEqual({
        issuer: ISSUER,
        audiences: new Set([AUDIENCE]),
        allowedGrantTypes: new Set(['client-credentials']),
        claimNamespace: DEFAULT_CLAIM_NAMESPACE,
        clockToleranceSeconds: 5,
        maxTokenAgeSeconds: undefined,
        jwksUri: `${ISSUER}.well-known/jwks.json`,
        algorithms: new Set(['RS256']),
        maxTokenBytes: 8192,
        realm: 'api',
        jwksCacheMaxAgeMs: 600_000,
        jwksCooldownMs: 30_000,
        jwksRetryAfterFailureMs: 1000,
        jwksStaleGraceMs: 300_000,
        jwksRequestTimeoutMs: 5000,
        jwksMaxResponseBytes: 65_536,
        jwksMaxKeys: 32,
        verifiedTokenCacheSize: 10_000,
        companyDirectoryCacheTtlMs: 60_000,
        companyDirectoryCacheSize: 10_000,
        companyDeniedStatus: 403,
        routeAudit: 'error',
        companyIdHeader: 'x-company-id',
        companyIdField: 'companyId',
        clock: Date.now,
      });
    });

    it('keeps explicit values', () => {
      const clock = (): number => 0;
      const config = resolveCobeeAuthConfig({
        issuerUrl: 'https://issuer.example/tenant',
        audience: ['https://a.example', 'https://b.example'],
        jwksUri: 'https://keys.example/jwks.json',
        algorithms: ['RS256', 'PS256'],
        clockToleranceSeconds: 0,
        maxTokenAgeSeconds: 3600,
        maxTokenBytes: 4096,
        claimNamespace: 'https://example.com/claims',
        allowedGrantTypes: ['client-credentials', 'urn:example:grant'],
        realm: 'partner api',
        jwksCacheMaxAgeSeconds: 60,
        jwksCooldownSeconds: 0,
        jwksRetryAfterFailureSeconds: 2,
        jwksStaleGraceSeconds: 0,
        jwksRequestTimeoutMs: 1000,
        jwksMaxResponseBytes: 2048,
        jwksMaxKeys: 4,
        verifiedTokenCacheSize: 0,
        companyDirectoryCacheTtlSeconds: 0,
        companyDirectoryCacheSize: 5,
        companyDeniedStatus: 404,
        routeAudit: 'warn',
        companyIdHeader: 'X-Tenant-Id',
        companyIdField: 'tenantId',
        clock,
      });

      expect(config.issuer).toBe('https://issuer.example/tenant');
      expect(config.jwksUri).toBe('https://keys.example/jwks.json');
      expect([...config.audiences]).toEqual(['https://a.example', 'https://b.example']);
      expect([...config.algorithms]).toEqual(['RS256', 'PS256']);
      expect(config.clockToleranceSeconds).toBe(0);
      expect(config.maxTokenAgeSeconds).toBe(3600);
      expect(config.maxTokenBytes).toBe(4096);
      expect(config.claimNamespace).toBe('https://example.com/claims');
      expect([...config.allowedGrantTypes]).toEqual(['client-credentials', 'urn:example:grant']);
      expect(config.realm).toBe('partner api');
      expect(config.jwksCacheMaxAgeMs).toBe(60_000);
      expect(config.jwksCooldownMs).toBe(0);
      expect(config.jwksRetryAfterFailureMs).toBe(2000);
      expect(config.jwksStaleGraceMs).toBe(0);
      expect(config.jwksRequestTimeoutMs).toBe(1000);
      expect(config.jwksMaxResponseBytes).toBe(2048);
      expect(config.jwksMaxKeys).toBe(4);
      expect(config.verifiedTokenCacheSize).toBe(0);
      expect(config.companyDirectoryCacheTtlMs).toBe(0);
      expect(config.companyDirectoryCacheSize).toBe(5);
      expect(config.companyDeniedStatus).toBe(404);
      expect(config.routeAudit).toBe('warn');
      expect(config.companyIdHeader).toBe('x-tenant-id');
      expect(config.companyIdField).toBe('tenantId');
      expect(config.clock).toBe(clock);
    });

    it('derives the key-set URL for an issuer with a path', () => {
      expect(resolveCobeeAuthConfig({ issuerUrl: 'https://issuer.example/tenant', audience: AUDIENCE }).jwksUri).toBe(
        'https://issuer.example/tenant/.well-known/jwks.json',
      );
    });

    it.each(['http://localhost:3001/', 'http://127.0.0.1:3001/', 'http://[::1]:3001/'])('allows plain http for %s', (issuerUrl) => {
      expect(resolveCobeeAuthConfig({ issuerUrl, audience: AUDIENCE }).issuer).toBe(issuerUrl);
    });
  });

  it('raises an error named CobeeAuthConfigurationError', () => {
    const error = configurationError({});

    expect(error.name).toBe('CobeeAuthConfigurationError');
    expect(error).toBeInstanceOf(TypeError);
  });

  describe('not an object', () => {
    it.each([
      ['undefined', undefined],
      ['null', null],
      ['a string', ISSUER],
      ['an array', [REQUIRED]],
      ['a number', 1],
    ])('rejects %s', (_name, options) => {
      expect(configurationError(options).message).toBe(
        'CobeeAuthModule options must be an object with at least "issuerUrl" and "audience".',
      );
    });
  });

  describe('unknown and misspelled options', () => {
    it.each([
      ['audiance', 'audience'],
      ['Audience', 'audience'],
      ['audiences', 'audience'],
      ['aud', undefined],
      ['issuer', undefined],
      ['issuerURL', 'issuerUrl'],
      ['issuerUri', 'issuerUrl'],
      ['jwksUrl', 'jwksUri'],
      ['algorithm', 'algorithms'],
      ['algorithims', 'algorithms'],
      ['clockTolerance', undefined],
      ['maxTokenAge', undefined],
      ['ignoreExpiration', undefined],
      ['ignoreNotBefore', undefined],
      ['secretOrKey', undefined],
      ['claimNameSpace', 'claimNamespace'],
      ['allowedGrantType', 'allowedGrantTypes'],
      ['companyIdheader', 'companyIdHeader'],
      ['constructor', undefined],
      ['__proto__x', undefined],
    ])('rejects %s', (key, suggestion) => {
      const message = configurationError({ ...REQUIRED, [key]: AUDIENCE }).message;

      expect(message).toContain(`Unknown option "${key}".`);
      expect(message).toContain('Remove it or correct its spelling');
      if (suggestion === undefined) {
        expect(message).not.toContain('Did you mean');
      } else {
        expect(message).toContain(`Did you mean "${suggestion}"?`);
      }
    });

    it('rejects a misspelled audience that replaces the real one', () => {
      const message = configurationError({ issuerUrl: ISSUER, audiance: AUDIENCE }).message;

      expect(message).toContain('Unknown option "audiance". Did you mean "audience"?');
      expect(message).toContain('Option "audience" is required');
    });

    it('rejects an unknown option whose value is undefined', () => {
      expect(configurationError({ ...REQUIRED, audiance: undefined }).message).toContain('Unknown option "audiance"');
    });

    it('rejects a __proto__ own member', () => {
      const options = JSON.parse(`{"issuerUrl":"${ISSUER}","audience":"${AUDIENCE}","__proto__":{"algorithms":["HS256"]}}`);

      expect(configurationError(options).message).toContain('Unknown option "__proto__"');
    });

    it('lists every problem at once', () => {
      const message = configurationError({ issuerUrl: 'ftp://x/', audiance: 'a', algorithms: ['none'], realm: '"' }).message;

      expect(message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(5);
    });
  });

  describe('required options', () => {
    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['a number', 1],
      ['an array', [ISSUER]],
      ['null', null],
    ])('rejects issuerUrl %s', (_name, issuerUrl) => {
      expect(configurationError({ issuerUrl, audience: AUDIENCE }).message).toContain('Option "issuerUrl" is required');
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['an empty list', []],
      ['a list with an empty string', [AUDIENCE, '']],
      ['a list with a number', [AUDIENCE, 1]],
      ['a number', 1],
      ['null', null],
      ['an object', { audience: AUDIENCE }],
    ])('rejects audience %s', (_name, audience) => {
      expect(configurationError({ issuerUrl: ISSUER, audience }).message).toContain('Option "audience" is required');
    });
  });

  describe('URLs', () => {
    it.each([
      ['http for a public host', 'http://tenant.eu.auth0.com/', 'must use https:'],
      ['another scheme', 'ftp://tenant.eu.auth0.com/', 'must use https:'],
      ['credentials', 'https://user:pass@tenant.eu.auth0.com/', 'must not contain credentials'],
      ['a query string', 'https://tenant.eu.auth0.com/?x=1', 'must not contain credentials, a query string'],
      ['a fragment', 'https://tenant.eu.auth0.com/#x', 'a fragment'],
      ['no trailing slash', 'https://tenant.eu.auth0.com', 'must end with "/"'],
      ['a relative URL', '/tenant/', 'must be an absolute URL'],
      ['http for a look-alike loopback host', 'http://localhost.evil.example/', 'must use https:'],
    ])('rejects an issuerUrl with %s', (_name, issuerUrl, fragment) => {
      expect(configurationError({ issuerUrl, audience: AUDIENCE }).message).toContain(fragment);
    });

    it.each([
      ['http for a public host', 'http://keys.example/jwks.json'],
      ['a relative URL', 'jwks.json'],
      ['an empty string', ''],
      ['a number', 1],
      ['null', null],
    ])('rejects a jwksUri with %s', (_name, jwksUri) => {
      expect(configurationError({ ...REQUIRED, jwksUri }).message).toContain('Option "jwksUri"');
    });
  });

  describe('algorithms', () => {
    it.each([
      ['none', ['none']],
      ['None', ['None']],
      ['NONE', ['NONE']],
      ['HS256', ['HS256']],
      ['HS384', ['HS384']],
      ['HS512', ['HS512']],
      ['none beside RS256', ['RS256', 'none']],
      ['HS256 beside RS256', ['RS256', 'HS256']],
      ['lower-case rs256', ['rs256']],
      ['ES256', ['ES256']],
      ['a number', [256]],
    ])('rejects %s', (_name, algorithms) => {
      const message = configurationError({ ...REQUIRED, algorithms }).message;

      expect(message).toContain('Option "algorithms" contains');
      expect(message).toContain('"none" and HS* are refused');
    });

    it.each([
      ['an empty list', []],
      ['a string', 'RS256'],
      ['null', null],
    ])('rejects %s', (_name, algorithms) => {
      expect(configurationError({ ...REQUIRED, algorithms }).message).toContain('Option "algorithms" must be a non-empty list');
    });
  });

  describe('numbers', () => {
    it.each([
      ['clockToleranceSeconds', -1],
      ['clockToleranceSeconds', 301],
      ['clockToleranceSeconds', '5'],
      ['clockToleranceSeconds', Number.NaN],
      ['clockToleranceSeconds', null],
      ['maxTokenAgeSeconds', 0],
      ['maxTokenAgeSeconds', 31_536_001],
      ['maxTokenAgeSeconds', '3600'],
      ['maxTokenAgeSeconds', null],
      ['maxTokenBytes', 511],
      ['maxTokenBytes', 65_537],
      ['maxTokenBytes', 1024.5],
      ['maxTokenBytes', Number.POSITIVE_INFINITY],
      ['jwksCacheMaxAgeSeconds', 0],
      ['jwksCooldownSeconds', -1],
      ['jwksRetryAfterFailureSeconds', 3601],
      ['jwksStaleGraceSeconds', 86_401],
      ['jwksRequestTimeoutMs', 99],
      ['jwksMaxResponseBytes', 1023],
      ['jwksMaxKeys', 0],
      ['verifiedTokenCacheSize', -1],
      ['companyDirectoryCacheTtlSeconds', -1],
      ['companyDirectoryCacheSize', 0],
    ])('rejects %s = %p', (name, value) => {
      expect(configurationError({ ...REQUIRED, [name]: value }).message).toContain(`Option "${name}" must be`);
    });

    it.each([
      ['clockToleranceSeconds', 300],
      ['maxTokenAgeSeconds', 1],
      ['maxTokenBytes', 512],
      ['maxTokenBytes', 65_536],
    ])('accepts %s = %p', (name, value) => {
      expect(() => resolveCobeeAuthConfig({ ...REQUIRED, [name]: value })).not.toThrow();
    });
  });

  describe('strings, lists and enumerations', () => {
    it.each([
      ['claimNamespace', ''],
      ['claimNamespace', 'has space'],
      ['claimNamespace', 1],
      ['realm', ''],
      ['realm', 'a"b'],
      ['realm', 'a\\b'],
      ['realm', 'line\r\nX-Injected: 1'],
      ['companyIdHeader', 'x company'],
      ['companyIdHeader', ''],
      ['companyIdField', '1company'],
      ['companyIdField', 'company-id'],
      ['allowedGrantTypes', []],
      ['allowedGrantTypes', 'client-credentials'],
      ['allowedGrantTypes', ['']],
      ['companyDeniedStatus', 401],
      ['companyDeniedStatus', '403'],
      ['routeAudit', 'off'],
      ['routeAudit', ''],
      ['clock', 0],
      ['clock', 'Date.now'],
    ])('rejects %s = %p', (name, value) => {
      expect(configurationError({ ...REQUIRED, [name]: value }).message).toContain(`Option "${name}" must be`);
    });
  });

  describe('messages', () => {
    it('names an unknown option without a suggestion', () => {
      expect(configurationError({ ...REQUIRED, aud: AUDIENCE }).message).toBe(
        'Invalid CobeeAuthModule options:\n' +
          '  - Unknown option "aud". Remove it or correct its spelling: an ignored option could leave a check turned off.',
      );
    });

    it.each([
      ['realmXY', 'realm'],
      ['jwksCacheMaxAgeSecondsXYZ', 'jwksCacheMaxAgeSeconds'],
      ['jwksUrl', 'jwksUri'],
    ])('suggests the nearest option for %s', (key, suggestion) => {
      expect(configurationError({ ...REQUIRED, [key]: 1 }).message).toContain(`Unknown option "${key}". Did you mean "${suggestion}"?`);
    });

    it('says what a missing required option got', () => {
      expect(configurationError({ audience: AUDIENCE }).message).toBe(
        'Invalid CobeeAuthModule options:\n' +
          '  - Option "issuerUrl" is required: set it to the token issuer, for example "https://your-tenant.eu.auth0.com/" (got nothing).',
      );
    });

    it('names the option of an invalid URL', () => {
      expect(configurationError({ issuerUrl: 'http://tenant.example/', audience: AUDIENCE }).message).toContain(
        'Option "issuerUrl" must use https: (got "http://tenant.example/"); plain http: is allowed only for localhost, 127.0.0.1 and [::1].',
      );
      expect(configurationError({ ...REQUIRED, jwksUri: 'http://keys.example/jwks.json' }).message).toContain(
        'Option "jwksUri" must use https: (got "http://keys.example/jwks.json")',
      );
    });

    it('lists the supported algorithms', () => {
      expect(configurationError({ ...REQUIRED, algorithms: ['HS256'] }).message).toContain(
        'Option "algorithms" contains "HS256", which can never be enabled: only RS256, RS384, RS512, PS256, PS384, PS512 are supported',
      );
    });

    it('describes a function value', () => {
      expect(configurationError({ ...REQUIRED, algorithms: [() => 'RS256'] }).message).toContain('Option "algorithms" contains a function,');
      expect(configurationError({ ...REQUIRED, realm: () => 'api' }).message).toContain('(got a function)');
    });

    it.each([
      ['claimNamespace', 'has space', 'Option "claimNamespace" must be a claim name (got "has space"); leave it out to use "https://auth.cobee.io/metadata".'],
      ['realm', 'a"b', 'Option "realm" must be printable ASCII without quotes or backslashes (got "a\\"b"); leave it out to use "api".'],
      ['companyIdHeader', 'x y', 'Option "companyIdHeader" must be an HTTP header name (got "x y"); leave it out to use "x-company-id".'],
      ['companyIdField', '1x', 'Option "companyIdField" must be an identifier (got "1x"); leave it out to use "companyId".'],
      ['companyDeniedStatus', 401, 'Option "companyDeniedStatus" must be one of 403, 404 (got 401).'],
      ['routeAudit', 'off', 'Option "routeAudit" must be one of "error", "warn" (got "off").'],
      ['maxTokenBytes', 1.5, 'Option "maxTokenBytes" must be an integer from 512 to 65536 (got 1.5).'],
      ['clockToleranceSeconds', -1, 'Option "clockToleranceSeconds" must be a number from 0 to 300 (got -1).'],
      ['allowedGrantTypes', [], 'Option "allowedGrantTypes" must be a non-empty list of strings such as ["client-credentials"] (got []).'],
      ['clock', 1, 'Option "clock" must be a function that returns milliseconds since the Unix epoch (got 1).'],
    ])('explains an invalid %s', (name, value, message) => {
      expect(configurationError({ ...REQUIRED, [name]: value }).message).toContain(message);
    });

    it('shows a value of 80 characters in full and cuts a longer one', () => {
      const exact = 'r'.repeat(78);
      const longer = 'r'.repeat(79);

      expect(configurationError({ ...REQUIRED, clock: exact }).message).toContain(`(got "${exact}")`);
      expect(configurationError({ ...REQUIRED, clock: longer }).message).toContain(`(got "${'r'.repeat(76)}...)`);
    });
  });

  describe('more boundaries', () => {
    it.each(['jwksRequestTimeoutMs', 'jwksMaxResponseBytes', 'jwksMaxKeys', 'verifiedTokenCacheSize', 'companyDirectoryCacheSize', 'maxTokenBytes'])(
      'rejects a fractional %s',
      (name) => {
        expect(configurationError({ ...REQUIRED, [name]: 2048.5 }).message).toContain(`Option "${name}" must be an integer`);
      },
    );

    it.each([
      ['an empty string after a valid one', ['client-credentials', '']],
      ['a number after a valid one', ['client-credentials', 1]],
    ])('rejects allowedGrantTypes with %s', (_name, allowedGrantTypes) => {
      expect(configurationError({ ...REQUIRED, allowedGrantTypes }).message).toContain('Option "allowedGrantTypes" must be');
    });

    it.each([
      ['ftp on localhost', 'ftp://localhost/'],
      ['ws on 127.0.0.1', 'ws://127.0.0.1/'],
    ])('rejects an issuerUrl with %s', (_name, issuerUrl) => {
      expect(configurationError({ issuerUrl, audience: AUDIENCE }).message).toContain('must use https:');
    });

    it.each([
      ['a user name only', 'https://user@tenant.eu.auth0.com/'],
      ['a password only', 'https://:secret@tenant.eu.auth0.com/'],
    ])('rejects an issuerUrl with %s', (_name, issuerUrl) => {
      expect(configurationError({ issuerUrl, audience: AUDIENCE }).message).toContain('must not contain credentials');
    });
  });

  it('never echoes a function or a long value in full', () => {
    const long = `https://${'a'.repeat(200)}.example/`;
    const message = configurationError({ issuerUrl: ISSUER, audience: AUDIENCE, jwksUri: 5, realm: long }).message;

    expect(message).toContain('...');
    expect(message).not.toContain(long);
  });
});
