import { TokenClientOptionsError } from './token-client.errors';
import { isLoopbackHost, resolveTokenClientOptions } from './token-client-options.validator';

const SECRET = 'client-secret-0123456789';
const VALID = {
  tokenEndpoint: 'https://tenant.eu.auth0.com/oauth/token',
  clientId: 'abc123',
  clientSecret: SECRET,
  audience: 'https://api.example.com',
};

function problemsOf(options: unknown): string[] {
  try {
    resolveTokenClientOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenClientOptionsError);
    expect((error as Error).message).not.toContain(SECRET);
    return [...(error as TokenClientOptionsError).problems];
  }
  throw new Error('Expected the options to be rejected');
}

describe('resolveTokenClientOptions', () => {
  it('applies the defaults', () => {
    const config = resolveTokenClientOptions(VALID);

    expect(config.endpointStyle).toBe('oauth2');
    expect(config.authMethod).toBe('client_secret_post');
    expect(config.refreshMarginMs).toBe(60_000);
    expect(config.requestTimeoutMs).toBe(10_000);
    expect(config.maxRetries).toBe(3);
    expect(config.retryBaseDelayMs).toBe(250);
    expect(config.maxRetryDelayMs).toBe(10_000);
    expect(config.maxResponseBytes).toBe(65_536);
    expect(config.clock).toBe(Date.now);
  });

  it('accepts Cobee style without audience', () => {
    const { audience: _audience, ...rest } = VALID;

    expect(resolveTokenClientOptions({ ...rest, endpointStyle: 'cobee' }).audience).toBeUndefined();
  });

  it.each([
    ['http://127.0.0.1:3001/oauth/token'],
    ['http://localhost:3001/oauth/token'],
    ['http://[::1]:3001/oauth/token'],
    ['http://127.8.9.10/oauth/token'],
  ])('accepts loopback http endpoint %s', (tokenEndpoint) => {
    expect(resolveTokenClientOptions({ ...VALID, tokenEndpoint }).tokenEndpoint).toBe(tokenEndpoint);
  });

  it.each([
    ['http to a remote host', { tokenEndpoint: 'http://tenant.eu.auth0.com/oauth/token' }, 'Option "tokenEndpoint" must use https'],
    ['http to a look-alike host', { tokenEndpoint: 'http://127.0.0.1.example.com/oauth/token' }, 'Option "tokenEndpoint" must use https'],
    ['a relative URL', { tokenEndpoint: '/oauth/token' }, 'Option "tokenEndpoint" must be an absolute URL'],
    ['another scheme', { tokenEndpoint: 'ftp://tenant.example/oauth/token' }, 'Option "tokenEndpoint" must be an https URL'],
    ['credentials in the URL', { tokenEndpoint: 'https://user:pw@tenant.example/oauth/token' }, 'must not contain credentials'],
    ['a missing endpoint', { tokenEndpoint: undefined }, 'Option "tokenEndpoint" is required'],
    ['an empty client id', { clientId: '' }, 'Option "clientId" is required'],
    ['a client id with spaces', { clientId: 'a b' }, 'Option "clientId" must be 1 to 1024 printable ASCII'],
    ['a missing secret', { clientSecret: undefined }, 'Option "clientSecret" is required'],
    ['a secret with a newline', { clientSecret: `${SECRET}\n` }, 'Option "clientSecret" must be 1 to 1024 printable ASCII characters without spaces (got a string of 25 characters)'],
    ['a missing audience', { audience: undefined }, 'Option "audience" is required with endpointStyle "oauth2"'],
    ['a malformed scope', { scope: 'read  write' }, 'Option "scope" must be space-separated scope names'],
    ['an unknown style', { endpointStyle: 'saml' }, 'Option "endpointStyle" must be one of "oauth2", "cobee" (got "saml")'],
    ['an unknown auth method', { authMethod: 'private_key_jwt' }, 'Option "authMethod" must be one of'],
    ['a negative margin', { refreshMarginSeconds: -1 }, 'Option "refreshMarginSeconds" must be a number from 0 to 86400 (got -1)'],
    ['a fractional retry count', { maxRetries: 1.5 }, 'Option "maxRetries" must be an integer from 0 to 10'],
    ['too many retries', { maxRetries: 11 }, 'Option "maxRetries" must be an integer from 0 to 10 (got 11)'],
    ['a zero timeout', { requestTimeoutMs: 0 }, 'Option "requestTimeoutMs" must be an integer from 1'],
    ['a string timeout', { requestTimeoutMs: '5000' }, 'Option "requestTimeoutMs" must be an integer from 1 to 300000 (got "5000")'],
    ['a logger without warn', { logger: {} }, 'Option "logger" must be an object with at least a warn(message) method'],
    ['a clock that is not a function', { clock: 5 }, 'Option "clock" must be a function (got 5)'],
    ['an unknown option', { clientSecretFile: '/run/secret' }, 'Unknown option "clientSecretFile"'],
  ])('rejects %s', (_name, overrides, problem) => {
    expect(problemsOf({ ...VALID, ...overrides }).join('\n')).toContain(problem);
  });

  it('rejects audience and scope with Cobee style', () => {
    const problems = problemsOf({ ...VALID, endpointStyle: 'cobee', scope: 'read' });

    expect(problems).toContain('Option "audience" is not sent with endpointStyle "cobee", because that endpoint issues tokens for its own API: remove it.');
    expect(problems).toContain('Option "scope" is not sent with endpointStyle "cobee": remove it.');
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ tokenEndpoint: 'x', maxRetries: -1 })).toHaveLength(5);
  });

  it('rejects a non-object', () => {
    expect(problemsOf('https://tenant.example/oauth/token')[0]).toContain('Options must be an object');
  });
});

describe('isLoopbackHost', () => {
  it.each([['localhost'], ['LOCALHOST'], ['127.0.0.1'], ['127.255.0.1'], ['[::1]'], ['::1']])('accepts %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([['127.0.0.1.example.com'], ['10.0.0.1'], ['0.0.0.0'], ['[::]'], ['localhost.example.com'], ['127.1']])('rejects %s', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
