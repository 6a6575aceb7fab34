import { isIP } from 'node:net';
import { TokenClientOptionsError } from './token-client.errors';
import { ClientAuthMethod, TokenClientConfig, TokenClientLogger, TokenEndpointStyle } from './token-client.options';

const KNOWN_OPTIONS = [
  'tokenEndpoint',
  'clientId',
  'clientSecret',
  'audience',
  'scope',
  'endpointStyle',
  'authMethod',
  'refreshMarginSeconds',
  'requestTimeoutMs',
  'maxRetries',
  'retryBaseDelayMs',
  'maxRetryDelayMs',
  'maxResponseBytes',
  'logger',
  'clock',
  'fetch',
  'sleep',
  'random',
] as const;

const FUNCTION_OPTIONS = ['clock', 'fetch', 'sleep', 'random'] as const;

/** Printable ASCII without spaces: what fits in a form body and a Basic header unchanged in meaning. */
const CREDENTIAL = /^[\x21-\x7e]+$/;
const MAX_CREDENTIAL_LENGTH = 1024;

const SILENT_LOGGER: TokenClientLogger = { warn: () => undefined };

/**
 * Validates `CobeeTokenClient` options and applies the defaults. Every problem is reported at
 * once, each naming the option. The client secret is never echoed.
 *
 * @throws TokenClientOptionsError listing every invalid option
 */
export function resolveTokenClientOptions(options: unknown): TokenClientConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TokenClientOptionsError(['Options must be an object with at least "tokenEndpoint", "clientId" and "clientSecret".']);
  }
  const input = options as Record<string, unknown>;
  const problems: string[] = [];

  for (const key of Object.keys(input)) {
    if (!(KNOWN_OPTIONS as readonly string[]).includes(key)) {
      problems.push(`Unknown option "${key}". Remove it or correct its spelling.`);
    }
  }

  const endpointStyle = readChoice<TokenEndpointStyle>(input, problems, 'endpointStyle', 'oauth2', ['oauth2', 'cobee']);
  const config: TokenClientConfig = {
    tokenEndpoint: readEndpoint(input, problems),
    clientId: readCredential(input, problems, 'clientId', true),
    clientSecret: readCredential(input, problems, 'clientSecret', false),
    audience: readAudience(input, problems, endpointStyle),
    scope: readScope(input, problems, endpointStyle),
    endpointStyle,
    authMethod: readChoice<ClientAuthMethod>(input, problems, 'authMethod', 'client_secret_post', ['client_secret_post', 'client_secret_basic']),
    refreshMarginMs: readNumber(input, problems, 'refreshMarginSeconds', 60, { min: 0, max: 86_400 }) * 1000,
    requestTimeoutMs: readNumber(input, problems, 'requestTimeoutMs', 10_000, { min: 1, max: 300_000, integer: true }),
    maxRetries: readNumber(input, problems, 'maxRetries', 3, { min: 0, max: 10, integer: true }),
    retryBaseDelayMs: readNumber(input, problems, 'retryBaseDelayMs', 250, { min: 0, max: 60_000, integer: true }),
    maxRetryDelayMs: readNumber(input, problems, 'maxRetryDelayMs', 10_000, { min: 0, max: 600_000, integer: true }),
    maxResponseBytes: readNumber(input, problems, 'maxResponseBytes', 65_536, { min: 1024, max: 1_048_576, integer: true }),
    logger: readLogger(input, problems),
    clock: readFunction(input, problems, 'clock') ?? Date.now,
    fetch: readFunction(input, problems, 'fetch') ?? ((...args: Parameters<typeof fetch>) => fetch(...args)),
    sleep: readFunction(input, problems, 'sleep') ?? sleepWithTimer,
    random: readFunction(input, problems, 'random') ?? Math.random,
  };

  if (problems.length > 0) {
    throw new TokenClientOptionsError(problems);
  }
  return config;
}

/** True for `localhost`, `127.0.0.0/8` and `::1`, the hosts a token may be requested from over plain HTTP. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') {
    return true;
  }
  return isIP(host) === 4 && host.startsWith('127.');
}

function readEndpoint(input: Record<string, unknown>, problems: string[]): string {
  const value = input.tokenEndpoint;
  if (typeof value !== 'string' || value === '') {
    problems.push(
      `Option "tokenEndpoint" is required: set it to the token endpoint URL, for example "https://your-tenant.eu.auth0.com/oauth/token" (got ${describe(value)}).`,
    );
    return '';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`Option "tokenEndpoint" must be an absolute URL (got "${value}").`);
    return value;
  }
  if (url.username !== '' || url.password !== '') {
    problems.push('Option "tokenEndpoint" must not contain credentials: pass them as "clientId" and "clientSecret".');
  }
  if (url.hash !== '') {
    problems.push(`Option "tokenEndpoint" must not have a fragment (got "${value}").`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    problems.push(
      `Option "tokenEndpoint" must use https, because the client secret is sent to it; plain http is allowed only for localhost, 127.0.0.0/8 and [::1] (got "${value}").`,
    );
  } else if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`Option "tokenEndpoint" must be an https URL (got "${value}").`);
  }
  return value;
}

function readCredential(input: Record<string, unknown>, problems: string[], name: 'clientId' | 'clientSecret', echo: boolean): string {
  const value = input[name];
  let shown = describe(value);
  if (!echo && typeof value === 'string') {
    shown = `a string of ${value.length} characters`;
  }
  if (typeof value !== 'string' || value === '') {
    problems.push(`Option "${name}" is required and must be a non-empty string (got ${shown}).`);
    return '';
  }
  if (value.length > MAX_CREDENTIAL_LENGTH || !CREDENTIAL.test(value)) {
    problems.push(`Option "${name}" must be 1 to ${MAX_CREDENTIAL_LENGTH} printable ASCII characters without spaces (got ${shown}).`);
  }
  return value;
}

function readAudience(input: Record<string, unknown>, problems: string[], style: TokenEndpointStyle): string | undefined {
  const value = input.audience;
  if (value === undefined) {
    if (style === 'oauth2') {
      problems.push('Option "audience" is required with endpointStyle "oauth2": set it to the API identifier, for example "https://api.example.com".');
    }
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '' || value.length > 2048) {
    problems.push(`Option "audience" must be a non-empty string of at most 2048 characters (got ${describe(value)}).`);
    return undefined;
  }
  if (style === 'cobee') {
    problems.push('Option "audience" is not sent with endpointStyle "cobee", because that endpoint issues tokens for its own API: remove it.');
  }
  return value;
}

function readScope(input: Record<string, unknown>, problems: string[], style: TokenEndpointStyle): string | undefined {
  const value = input.scope;
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || !/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/.test(value)) {
    problems.push(`Option "scope" must be space-separated scope names, for example "read:employees write:employees" (got ${describe(value)}).`);
    return undefined;
  }
  if (style === 'cobee') {
    problems.push('Option "scope" is not sent with endpointStyle "cobee": remove it.');
  }
  return value;
}

function readChoice<T extends string>(input: Record<string, unknown>, problems: string[], name: string, fallback: T, allowed: readonly T[]): T {
  const value = input[name];
  if (value === undefined) {
    return fallback;
  }
  if (!(allowed as readonly unknown[]).includes(value)) {
    problems.push(`Option "${name}" must be one of ${allowed.map((item) => `"${item}"`).join(', ')} (got ${describe(value)}).`);
    return fallback;
  }
  return value as T;
}

function readNumber(
  input: Record<string, unknown>,
  problems: string[],
  name: string,
  fallback: number,
  range: { min: number; max: number; integer?: boolean },
): number {
  const value = input[name];
  if (value === undefined) {
    return fallback;
  }
  const valid =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= range.min &&
    value <= range.max &&
    (range.integer !== true || Number.isInteger(value));
  if (!valid) {
    problems.push(
      `Option "${name}" must be ${range.integer === true ? 'an integer' : 'a number'} from ${range.min} to ${range.max} (got ${describe(value)}); leave it out to use ${fallback}.`,
    );
    return fallback;
  }
  return value;
}

function readLogger(input: Record<string, unknown>, problems: string[]): TokenClientLogger {
  const value = input.logger;
  if (value === undefined) {
    return SILENT_LOGGER;
  }
  if (typeof value !== 'object' || value === null || typeof (value as { warn?: unknown }).warn !== 'function') {
    problems.push('Option "logger" must be an object with at least a warn(message) method, such as Nest\'s Logger.');
    return SILENT_LOGGER;
  }
  return value as TokenClientLogger;
}

function readFunction<T>(input: Record<string, unknown>, problems: string[], name: (typeof FUNCTION_OPTIONS)[number]): T | undefined {
  const value = input[name];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'function') {
    problems.push(`Option "${name}" must be a function (got ${describe(value)}).`);
    return undefined;
  }
  return value as T;
}

function sleepWithTimer(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  }
  if (typeof value === 'function') {
    return 'a function';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (value === null) {
    return 'null';
  }
  return typeof value === 'object' ? 'an object' : String(value);
}
