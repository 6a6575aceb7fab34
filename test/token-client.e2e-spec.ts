import { ServerResponse } from 'node:http';
import { Injectable, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  CobeeTokenClient,
  CobeeTokenClientModule,
  CobeeTokenClientOptions,
  InvalidTokenResponseError,
  TokenClientOptionsError,
  TokenEndpointUnavailableError,
  TokenRequestRejectedError,
} from '@cobee/auth/client';
import { DevIssuer } from '@cobee/auth/testing';
import { CapturingLogger } from './support/capturing.logger';
import { closedPort } from './support/demo-ids';

const AUDIENCE = 'https://partner-api.example';
const COMPANY_ID = '5e9e9701-9883-447d-9884-46e75993e33b';
const SECRET = 'partner-secret-0123456789abcdef';
const OTHER_SECRET = 'other-secret-0123456789abcdef';
const LIFETIME_SECONDS = 3600;

/** A mutable clock shared by the issuer and the client, so expiry is tested without waiting. */
class TestClock {
  now = Date.parse('2025-03-01T12:00:00Z');
  readonly read = (): number => this.now;
  advanceSeconds(seconds: number): void {
    this.now += seconds * 1000;
  }
}

function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

describe('CobeeTokenClient against the dev issuer (e2e)', () => {
  let issuer: DevIssuer;
  let clock: TestClock;
  let logger: CapturingLogger;
  let sleeps: number[];
  const issuedTokens: string[] = [];
  /** Receives what Nest's static Logger writes: the dev issuer and the module-provided client. */
  const nestLogs = new CapturingLogger();

  beforeAll(async () => {
    Logger.overrideLogger(nestLogs);
    clock = new TestClock();
    issuer = await DevIssuer.start({
      audiences: [AUDIENCE],
      clock: clock.read,
      tokenLifetimeSeconds: LIFETIME_SECONDS,
      clients: [
        { clientId: 'partner-a', secret: SECRET, companyId: COMPANY_ID, scopes: ['read:employees'] },
        { clientId: 'partner-b', secret: OTHER_SECRET, companyId: COMPANY_ID },
        { clientId: 'partner-revoked', secret: SECRET, companyId: COMPANY_ID },
        { clientId: 'partner-elsewhere', secret: SECRET, companyId: COMPANY_ID, audiences: ['https://another-api.example'] },
      ],
    });
  });

  afterAll(async () => {
    await issuer.stop();
  });

  beforeEach(() => {
    logger = new CapturingLogger();
    sleeps = [];
    issuer.setTokenResponder(undefined);
  });

  afterEach(() => {
    for (const text of [logger.text, nestLogs.text]) {
      for (const token of issuedTokens) {
        expect(text).not.toContain(token);
      }
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(OTHER_SECRET);
    }
  });

  function newClient(overrides: Partial<CobeeTokenClientOptions> = {}): CobeeTokenClient {
    return new CobeeTokenClient({
      tokenEndpoint: issuer.tokenEndpoint,
      clientId: 'partner-a',
      clientSecret: SECRET,
      audience: AUDIENCE,
      logger,
      clock: clock.read,
      random: () => 1,
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
      ...overrides,
    });
  }

  async function tokenOf(client: CobeeTokenClient): Promise<string> {
    const token = await client.getAccessToken();
    issuedTokens.push(token);
    return token;
  }

  async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (error) {
      return error as Error;
    }
    throw new Error('Expected the promise to reject');
  }

  describe('token requests', () => {
    it('gets a client-credentials token', async () => {
      const before = issuer.tokenRequestCount;

      const token = await tokenOf(newClient());

      expect(issuer.tokenRequestCount - before).toBe(1);
      const claims = decodePayload(token);
      expect(claims.azp).toBe('partner-a');
      expect(claims.aud).toBe(AUDIENCE);
      expect(claims.gty).toBe('client-credentials');
      expect(claims.exp).toBe(Math.floor(clock.now / 1000) + LIFETIME_SECONDS);
    });

    it('sends credentials with HTTP Basic', async () => {
      const token = await tokenOf(newClient({ authMethod: 'client_secret_basic' }));

      expect(decodePayload(token).azp).toBe('partner-a');
    });

    it('requests the configured scope', async () => {
      const token = await tokenOf(newClient({ scope: 'read:employees' }));

      expect(decodePayload(token).scope).toBe('read:employees');
    });

    it('reports expiry and refresh times', async () => {
      const sentAt = clock.now;

      const token = await newClient({ refreshMarginSeconds: 300 }).getToken();
      issuedTokens.push(token.value);

      expect(token.tokenType).toBe('Bearer');
      expect(token.expiresAt).toBe(sentAt + LIFETIME_SECONDS * 1000);
      expect(token.refreshAt).toBe(sentAt + (LIFETIME_SECONDS - 300) * 1000);
    });
  });

  describe('caching', () => {
    it('100 concurrent callers cause one request', async () => {
      const client = newClient();
      const before = issuer.tokenRequestCount;

      const tokens = await Promise.all(Array.from({ length: 100 }, () => client.getAccessToken()));
      issuedTokens.push(tokens[0]);

      expect(issuer.tokenRequestCount - before).toBe(1);
      expect(new Set(tokens).size).toBe(1);
    });

    it('reuses the token until the refresh margin', async () => {
      const client = newClient({ refreshMarginSeconds: 120 });
      const first = await tokenOf(client);
      const before = issuer.tokenRequestCount;

      clock.advanceSeconds(LIFETIME_SECONDS - 121);
      const cached = await tokenOf(client);

      expect(cached).toBe(first);
      expect(issuer.tokenRequestCount).toBe(before);
    });

    it('renews an expiring token before expiry', async () => {
      const client = newClient({ refreshMarginSeconds: 120 });
      const first = await tokenOf(client);
      const firstExpiry = decodePayload(first).exp as number;
      const before = issuer.tokenRequestCount;

      clock.advanceSeconds(LIFETIME_SECONDS - 120);
      const renewed = await tokenOf(client);

      expect(issuer.tokenRequestCount - before).toBe(1);
      expect(renewed).not.toBe(first);
      expect(clock.now / 1000).toBeLessThan(firstExpiry);
      expect(decodePayload(renewed).exp as number).toBeGreaterThan(firstExpiry);
    });

    it('concurrent callers share the renewal', async () => {
      const client = newClient({ refreshMarginSeconds: 120 });
      await tokenOf(client);
      clock.advanceSeconds(LIFETIME_SECONDS - 60);
      const before = issuer.tokenRequestCount;

      const tokens = await Promise.all(Array.from({ length: 100 }, () => client.getAccessToken()));
      issuedTokens.push(tokens[0]);

      expect(issuer.tokenRequestCount - before).toBe(1);
      expect(new Set(tokens).size).toBe(1);
    });

    it('keeps a short-lived token for half its lifetime', async () => {
      const shortIssuer = await DevIssuer.start({
        audiences: [AUDIENCE],
        clock: clock.read,
        tokenLifetimeSeconds: 100,
        clients: [{ clientId: 'partner-a', secret: SECRET, companyId: COMPANY_ID }],
      });
      try {
        const client = newClient({ tokenEndpoint: shortIssuer.tokenEndpoint, refreshMarginSeconds: 300 });
        const first = await tokenOf(client);

        clock.advanceSeconds(49);
        expect(await tokenOf(client)).toBe(first);
        expect(shortIssuer.tokenRequestCount).toBe(1);

        clock.advanceSeconds(1);
        expect(await tokenOf(client)).not.toBe(first);
        expect(shortIssuer.tokenRequestCount).toBe(2);
      } finally {
        await shortIssuer.stop();
      }
    });

    it('forceRefresh requests a new token', async () => {
      const client = newClient();
      const first = await tokenOf(client);
      clock.advanceSeconds(1);

      const forced = await client.getToken({ forceRefresh: true });
      issuedTokens.push(forced.value);

      expect(forced.value).not.toBe(first);
    });

    it('invalidate drops only the named token', async () => {
      const client = newClient();
      const first = await tokenOf(client);
      const before = issuer.tokenRequestCount;

      client.invalidate('some-other-token');
      expect(await tokenOf(client)).toBe(first);
      expect(issuer.tokenRequestCount).toBe(before);

      clock.advanceSeconds(1);
      client.invalidate(first);
      expect(await tokenOf(client)).not.toBe(first);
      expect(issuer.tokenRequestCount - before).toBe(1);
    });
  });

  describe('rejected credentials', () => {
    it('wrong secret fails without retry', async () => {
      const before = issuer.tokenRequestCount;

      const error = await rejectionOf(newClient({ clientSecret: 'wrong-secret-0123456789' }).getAccessToken());

      expect(error).toBeInstanceOf(TokenRequestRejectedError);
      const rejected = error as TokenRequestRejectedError;
      expect(rejected.code).toBe('ERR_TOKEN_REQUEST_REJECTED');
      expect(rejected.status).toBe(401);
      expect(rejected.oauthError).toBe('invalid_client');
      expect(rejected.message).toContain('rejected client "partner-a" with HTTP 401 invalid_client');
      expect(rejected.message).not.toContain('wrong-secret');
      expect(issuer.tokenRequestCount - before).toBe(1);
      expect(sleeps).toEqual([]);
    });

    it('unknown client fails without retry', async () => {
      const before = issuer.tokenRequestCount;

      const error = await rejectionOf(newClient({ clientId: 'no-such-client' }).getAccessToken());

      expect(error).toBeInstanceOf(TokenRequestRejectedError);
      expect((error as TokenRequestRejectedError).status).toBe(401);
      expect(issuer.tokenRequestCount - before).toBe(1);
    });

    it('revoked client gets a clear error and loses its cached token', async () => {
      const client = newClient({ clientId: 'partner-revoked' });
      await tokenOf(client);
      issuer.clients.revoke('partner-revoked');
      const before = issuer.tokenRequestCount;

      const error = await rejectionOf(client.getToken({ forceRefresh: true }));

      expect(error).toBeInstanceOf(TokenRequestRejectedError);
      expect((error as TokenRequestRejectedError).status).toBe(401);
      expect((error as TokenRequestRejectedError).oauthError).toBe('invalid_client');
      expect(error.message).toContain('a revoked or deleted client gets this error too');
      expect(issuer.tokenRequestCount - before).toBe(1);
      await expect(client.getAccessToken()).rejects.toBeInstanceOf(TokenRequestRejectedError);
      expect(issuer.tokenRequestCount - before).toBe(2);
      expect(logger.at('warn').some((line) => line.includes('partner-revoked') && line.includes('HTTP 401'))).toBe(true);
    });

    it('403 for another audience is not retried', async () => {
      const before = issuer.tokenRequestCount;

      const error = await rejectionOf(newClient({ clientId: 'partner-elsewhere' }).getAccessToken());

      expect(error).toBeInstanceOf(TokenRequestRejectedError);
      expect((error as TokenRequestRejectedError).status).toBe(403);
      expect((error as TokenRequestRejectedError).oauthError).toBe('unauthorized_client');
      expect(issuer.tokenRequestCount - before).toBe(1);
      expect(sleeps).toEqual([]);
    });

    it('400 is not retried', async () => {
      issuer.setTokenResponder((_request, response) => {
        sendJson(response, 400, { error: 'invalid_request', error_description: 'Missing required parameter: audience' });
        return true;
      });
      const before = issuer.tokenRequestCount;

      const error = await rejectionOf(newClient().getAccessToken());

      expect(error).toBeInstanceOf(TokenRequestRejectedError);
      expect((error as TokenRequestRejectedError).status).toBe(400);
      expect((error as TokenRequestRejectedError).description).toBe('Missing required parameter: audience');
      expect(issuer.tokenRequestCount - before).toBe(1);
    });

    it('a redirect is not followed', async () => {
      const target = await DevIssuer.start({ audiences: [AUDIENCE], clients: [{ clientId: 'partner-a', secret: SECRET, companyId: COMPANY_ID }] });
      issuer.setTokenResponder((_request, response) => {
        response.writeHead(307, { location: target.tokenEndpoint }).end();
        return true;
      });
      try {
        const error = await rejectionOf(newClient().getAccessToken());

        expect(error).toBeInstanceOf(TokenRequestRejectedError);
        expect((error as TokenRequestRejectedError).status).toBe(307);
        expect(target.tokenRequestCount).toBe(0);
      } finally {
        await target.stop();
      }
    });
  });

  describe('transient failures', () => {
    function failTimes(count: number, status: number, headers: Record<string, string> = {}): void {
      let remaining = count;
      issuer.setTokenResponder((_request, response) => {
        if (remaining <= 0) {
          return false;
        }
        remaining--;
        sendJson(response, status, { error: 'temporarily_unavailable', error_description: 'Try later' }, headers);
        return true;
      });
    }

    it('retries 5xx with exponential backoff', async () => {
      failTimes(2, 503);
      const before = issuer.tokenRequestCount;

      const token = await tokenOf(newClient({ retryBaseDelayMs: 100 }));

      expect(decodePayload(token).azp).toBe('partner-a');
      expect(issuer.tokenRequestCount - before).toBe(3);
      expect(sleeps).toEqual([100, 200]);
      expect(logger.at('warn').filter((line) => line.includes('Retry'))).toHaveLength(2);
    });

    it('honours Retry-After in seconds', async () => {
      failTimes(1, 429, { 'retry-after': '3' });
      const before = issuer.tokenRequestCount;

      await tokenOf(newClient({ retryBaseDelayMs: 100 }));

      expect(issuer.tokenRequestCount - before).toBe(2);
      expect(sleeps).toEqual([3000]);
    });

    it('honours Retry-After as an HTTP-date', async () => {
      failTimes(1, 503, { 'retry-after': new Date(clock.now + 7000).toUTCString() });

      await tokenOf(newClient({ retryBaseDelayMs: 100 }));

      expect(sleeps).toEqual([7000]);
    });

    it('stops when Retry-After exceeds the cap', async () => {
      failTimes(5, 429, { 'retry-after': '120' });
      const before = issuer.tokenRequestCount;

      const error = await rejectionOf(newClient({ maxRetryDelayMs: 30_000 }).getAccessToken());

      expect(error).toBeInstanceOf(TokenEndpointUnavailableError);
      const unavailable = error as TokenEndpointUnavailableError;
      expect(unavailable.reason).toBe('rate_limited');
      expect(unavailable.status).toBe(429);
      expect(unavailable.retryAfterMs).toBe(120_000);
      expect(unavailable.attempts).toBe(1);
      expect(issuer.tokenRequestCount - before).toBe(1);
      expect(sleeps).toEqual([]);
    });

    it('gives up after maxRetries', async () => {
      failTimes(10, 500);
      const before = issuer.tokenRequestCount;

      const error = await rejectionOf(newClient({ maxRetries: 2, retryBaseDelayMs: 100 }).getAccessToken());

      expect(error).toBeInstanceOf(TokenEndpointUnavailableError);
      const unavailable = error as TokenEndpointUnavailableError;
      expect(unavailable.code).toBe('ERR_TOKEN_ENDPOINT_UNAVAILABLE');
      expect(unavailable.reason).toBe('server_error');
      expect(unavailable.status).toBe(500);
      expect(unavailable.attempts).toBe(3);
      expect(unavailable.message).toContain('after 3 attempts');
      expect(issuer.tokenRequestCount - before).toBe(3);
      expect(sleeps).toEqual([100, 200]);
    });

    it('caps the backoff at maxRetryDelayMs', async () => {
      failTimes(10, 502);

      await rejectionOf(newClient({ maxRetries: 5, retryBaseDelayMs: 100, maxRetryDelayMs: 500 }).getAccessToken());

      expect(sleeps).toEqual([100, 200, 400, 500, 500]);
    });

    it('maxRetries 0 sends one request', async () => {
      failTimes(10, 503);
      const before = issuer.tokenRequestCount;

      await rejectionOf(newClient({ maxRetries: 0 }).getAccessToken());

      expect(issuer.tokenRequestCount - before).toBe(1);
    });

    it('retries network errors', async () => {
      const port = await closedPort();

      const error = await rejectionOf(
        newClient({ tokenEndpoint: `http://127.0.0.1:${port}/oauth/token`, maxRetries: 2, retryBaseDelayMs: 100 }).getAccessToken(),
      );

      expect(error).toBeInstanceOf(TokenEndpointUnavailableError);
      expect((error as TokenEndpointUnavailableError).reason).toBe('network_error');
      expect((error as TokenEndpointUnavailableError).attempts).toBe(3);
      expect(error.message).toContain('ECONNREFUSED');
      expect(sleeps).toEqual([100, 200]);
    });

    it('times out a hanging request and retries it', async () => {
      issuer.setTokenResponder(() => true);
      const before = issuer.tokenRequestCount;

      const error = await rejectionOf(newClient({ requestTimeoutMs: 150, maxRetries: 1 }).getAccessToken());

      expect(error).toBeInstanceOf(TokenEndpointUnavailableError);
      expect((error as TokenEndpointUnavailableError).reason).toBe('timeout');
      expect((error as TokenEndpointUnavailableError).attempts).toBe(2);
      expect(issuer.tokenRequestCount - before).toBe(2);
    });

    it('keeps the unexpired token when renewal fails', async () => {
      const client = newClient({ refreshMarginSeconds: 120, maxRetries: 1 });
      const first = await tokenOf(client);
      clock.advanceSeconds(LIFETIME_SECONDS - 60);
      failTimes(10, 503);

      expect(await tokenOf(client)).toBe(first);
      expect(logger.at('warn').some((line) => line.includes('using the cached token, which expires in 60 s'))).toBe(true);

      clock.advanceSeconds(60);
      await expect(client.getAccessToken()).rejects.toBeInstanceOf(TokenEndpointUnavailableError);
    });

    it('a success body that is not a token is not retried', async () => {
      issuer.setTokenResponder((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
        return true;
      });
      const before = issuer.tokenRequestCount;

      const error = await rejectionOf(newClient().getAccessToken());

      expect(error).toBeInstanceOf(InvalidTokenResponseError);
      expect(error.message).toContain('the body is not JSON');
      expect(issuer.tokenRequestCount - before).toBe(1);
    });

    it('an oversized body is rejected', async () => {
      issuer.setTokenResponder((_request, response) => {
        sendJson(response, 200, { access_token: 'a'.repeat(5000), token_type: 'Bearer', expires_in: 60 });
        return true;
      });

      const error = await rejectionOf(newClient({ maxResponseBytes: 1024 }).getAccessToken());

      expect(error).toBeInstanceOf(InvalidTokenResponseError);
      expect(error.message).toContain('the body exceeds 1024 bytes');
    });

    it('after a failure the next call tries again', async () => {
      failTimes(1, 503);
      const client = newClient({ maxRetries: 0 });

      await expect(client.getAccessToken()).rejects.toBeInstanceOf(TokenEndpointUnavailableError);
      expect(decodePayload(await tokenOf(client)).azp).toBe('partner-a');
    });
  });

  describe('CobeeTokenClientModule', () => {
    @Injectable()
    class PartnerService {
      constructor(readonly tokens: CobeeTokenClient) {}
    }

    @Module({ providers: [PartnerService], exports: [PartnerService] })
    class PartnerModule {}

    it('forRootAsync provides an injectable client', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          CobeeTokenClientModule.forRootAsync({
            useFactory: () => ({ tokenEndpoint: issuer.tokenEndpoint, clientId: 'partner-b', clientSecret: OTHER_SECRET, audience: AUDIENCE }),
            isGlobal: true,
          }),
          PartnerModule,
        ],
      })
        .setLogger(nestLogs)
        .compile();

      const token = await moduleRef.get(PartnerService).tokens.getAccessToken();
      issuedTokens.push(token);

      expect(decodePayload(token).azp).toBe('partner-b');
      expect(nestLogs.at('debug').some((line) => line.includes('Obtained an access token for client partner-b'))).toBe(true);
      await moduleRef.close();
    });

    it('forRoot rejects invalid options at start-up', async () => {
      const compiling = Test.createTestingModule({
        imports: [CobeeTokenClientModule.forRoot({ tokenEndpoint: 'http://issuer.example/oauth/token', clientId: 'partner-b', clientSecret: OTHER_SECRET })],
      }).compile();

      const error = await rejectionOf(compiling);

      expect(error).toBeInstanceOf(TokenClientOptionsError);
      expect(error.message).toContain('Option "tokenEndpoint" must use https');
      expect(error.message).toContain('Option "audience" is required');
      expect(error.message).not.toContain(OTHER_SECRET);
    });
  });
});
