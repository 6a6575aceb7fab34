import { randomUUID } from 'node:crypto';
import { ServerResponse } from 'node:http';
import { InvalidTokenError, KeySetUnavailableError } from '../core/cobee-auth.errors';
import { DevIssuer, JwksResponder } from '../testing/dev-issuer';
import { toPublicJwk, SigningKeyRing } from '../testing/signing-key.ring';
import { JwksKeyStore, KeyStoreSettings } from './jwks-key.store';
import { KeyStoreLogger } from './verification-key';

const MAX_AGE_MS = 600_000;
const COOLDOWN_MS = 30_000;
const RETRY_AFTER_FAILURE_MS = 1000;
const GRACE_MS = 300_000;

class RecordingLogger implements KeyStoreLogger {
  readonly warnings: string[] = [];
  log(): void {}
  debug(): void {}
  warn(message: string): void {
    this.warnings.push(message);
  }
}

function sendJson(response: ServerResponse, status: number, body: string): true {
  response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  return true;
}

const hang: JwksResponder = () => true;
const serverError: JwksResponder = (_request, response) => sendJson(response, 500, '{"error":"down"}');

describe('JwksKeyStore', () => {
  let issuer: DevIssuer;
  let now: number;
  let logger: RecordingLogger;
  let store: JwksKeyStore;

  function createStore(overrides: Partial<KeyStoreSettings> = {}): JwksKeyStore {
    return new JwksKeyStore(
      {
        jwksUri: issuer.jwksUri,
        cacheMaxAgeMs: MAX_AGE_MS,
        cooldownMs: COOLDOWN_MS,
        retryAfterFailureMs: RETRY_AFTER_FAILURE_MS,
        staleGraceMs: GRACE_MS,
        requestTimeoutMs: 2000,
        maxResponseBytes: 65_536,
        maxKeys: 32,
        clock: () => now,
        ...overrides,
      },
      logger,
    );
  }

  beforeAll(async () => {
    issuer = await DevIssuer.start({ audiences: ['https://api.test'], clients: [] });
  });

  afterAll(() => issuer.stop());

  beforeEach(() => {
    issuer.keys.rotate();
    issuer.setJwksResponder(undefined);
    issuer.jwksRequestCount = 0;
    now = Date.UTC(2026, 0, 1);
    logger = new RecordingLogger();
    store = createStore();
  });

  afterEach(() => {
    store.close();
  });

  async function warm(): Promise<void> {
    await store.refresh();
    issuer.jwksRequestCount = 0;
  }

  describe('rotation', () => {
    it('new kid after cooldown causes one fetch', async () => {
      await warm();
      const added = issuer.keys.addKey();
      now += COOLDOWN_MS;

      const key = await store.getKey(added.kid);
      const again = await store.getKey(added.kid);

      expect(key.keyObject.equals(added.publicKey)).toBe(true);
      expect(again).toBe(key);
      expect(issuer.jwksRequestCount).toBe(1);
    });

    it('1,000 concurrent lookups of a new kid share one fetch', async () => {
      await warm();
      const added = issuer.keys.addKey();
      now += COOLDOWN_MS;

      const keys = await Promise.all(Array.from({ length: 1000 }, () => store.getKey(added.kid)));

      expect(new Set(keys).size).toBe(1);
      expect(keys[0].kid).toBe(added.kid);
      expect(issuer.jwksRequestCount).toBe(1);
      expect(store.state().fetchCount).toBe(2);
    });

    it('removed key works until the maximum age', async () => {
      const old = issuer.keys.activeKey;
      await warm();
      issuer.keys.rotate();

      now += MAX_AGE_MS - 1;
      await expect(store.getKey(old.kid)).resolves.toMatchObject({ kid: old.kid });
      expect(issuer.jwksRequestCount).toBe(0);

      now += 1;
      const outcome = store.getKey(old.kid);

      await expect(outcome).rejects.toBeInstanceOf(InvalidTokenError);
      await expect(outcome).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
      expect(issuer.jwksRequestCount).toBe(1);
    });

    it('current key survives the refetch at maximum age', async () => {
      const current = issuer.keys.activeKey;
      await warm();

      now += MAX_AGE_MS;

      await expect(store.getKey(current.kid)).resolves.toMatchObject({ kid: current.kid });
      expect(issuer.jwksRequestCount).toBe(1);
      expect(store.state()).toMatchObject({ status: 'ready', fetchedAt: now });
    });
  });

  describe('unknown kids', () => {
    it('unknown kid inside the cooldown causes no fetch', async () => {
      await warm();
      now += COOLDOWN_MS - 1;

      const outcome = store.getKey('unknown-kid');

      await expect(outcome).rejects.toBeInstanceOf(InvalidTokenError);
      await expect(outcome).rejects.toThrow(/cooldown/);
      expect(issuer.jwksRequestCount).toBe(0);
    });

    it('1,000 concurrent random kids share one fetch', async () => {
      await warm();
      now += COOLDOWN_MS;

      const outcomes = await Promise.allSettled(Array.from({ length: 1000 }, () => store.getKey(randomUUID())));

      expect(outcomes.every((outcome) => outcome.status === 'rejected' && outcome.reason instanceof InvalidTokenError)).toBe(true);
      expect(issuer.jwksRequestCount).toBe(1);
    });

    it('random kids fetch at most once per cooldown', async () => {
      await warm();
      const valid = issuer.keys.activeKey.kid;
      const windows = 4;
      const start = now + COOLDOWN_MS;

      for (let step = 0; step < 2000; step++) {
        now = start + Math.floor((step * windows * COOLDOWN_MS) / 2000);
        await expect(store.getKey(`random-${step}`)).rejects.toBeInstanceOf(InvalidTokenError);
        await expect(store.getKey(valid)).resolves.toMatchObject({ kid: valid });
      }

      expect(issuer.jwksRequestCount).toBe(windows);
    });

    it('cooldown is configurable', async () => {
      store = createStore({ cooldownMs: 5000 });
      await warm();

      now += 4999;
      await expect(store.getKey('first')).rejects.toThrow(/cooldown/);
      now += 1;
      await expect(store.getKey('second')).rejects.toThrow('No key in the key set matches the token "kid"');

      expect(issuer.jwksRequestCount).toBe(1);
    });

    it('missing kid matches only a single-key set', async () => {
      await warm();
      await expect(store.getKey(undefined)).resolves.toMatchObject({ kid: issuer.keys.activeKey.kid });

      issuer.keys.addKey();
      now += MAX_AGE_MS;

      await expect(store.getKey(undefined)).rejects.toBeInstanceOf(InvalidTokenError);
    });
  });

  describe('outage with a warm cache', () => {
    it('stale key is used within the grace period', async () => {
      const current = issuer.keys.activeKey;
      await warm();
      issuer.setJwksResponder(serverError);
      now += MAX_AGE_MS;

      const first = await store.getKey(current.kid);
      now += 10;
      const second = await store.getKey(current.kid);

      expect(first.kid).toBe(current.kid);
      expect(second.kid).toBe(current.kid);
      expect(store.state()).toMatchObject({ status: 'stale', staleFallbackCount: 2, failedFetchCount: 1 });
      const fallbackWarnings = logger.warnings.filter((line) => line.includes('using a stale key'));
      expect(fallbackWarnings).toHaveLength(2);
      expect(fallbackWarnings[1]).toContain('stale fallback #2');
      expect(fallbackWarnings[1]).toContain('Key set request returned HTTP 500');
    });

    it('stale key past the grace period gets 503', async () => {
      const current = issuer.keys.activeKey;
      await warm();
      issuer.setJwksResponder(serverError);

      now += MAX_AGE_MS + GRACE_MS - 1;
      await expect(store.getKey(current.kid)).resolves.toMatchObject({ kid: current.kid });

      now += RETRY_AFTER_FAILURE_MS;
      const outcome = store.getKey(current.kid);

      await expect(outcome).rejects.toBeInstanceOf(KeySetUnavailableError);
      await expect(outcome).rejects.toThrow(/past its grace period/);
      expect(store.state().status).toBe('unavailable');
    });

    it('grace period is configurable and 0 turns it off', async () => {
      store = createStore({ staleGraceMs: 0 });
      const current = issuer.keys.activeKey;
      await warm();
      issuer.setJwksResponder(serverError);
      now += MAX_AGE_MS;

      await expect(store.getKey(current.kid)).rejects.toBeInstanceOf(KeySetUnavailableError);
      expect(store.state().staleFallbackCount).toBe(0);
    });

    it('kid missing from the stale set gets 503', async () => {
      await warm();
      issuer.setJwksResponder(serverError);
      now += MAX_AGE_MS;

      const outcome = store.getKey('never-published');

      await expect(outcome).rejects.toBeInstanceOf(KeySetUnavailableError);
      await expect(outcome).rejects.toThrow(/without a key for the token "kid"/);
    });

    it('later lookups do not wait for a hanging retry', async () => {
      store = createStore({ requestTimeoutMs: 400 });
      const current = issuer.keys.activeKey;
      await warm();
      issuer.setJwksResponder(hang);
      now += MAX_AGE_MS;

      const firstStartedAt = Date.now();
      await store.getKey(current.kid);
      const firstElapsed = Date.now() - firstStartedAt;

      now += RETRY_AFTER_FAILURE_MS;
      const secondStartedAt = Date.now();
      await store.getKey(current.kid);
      const secondElapsed = Date.now() - secondStartedAt;

      now += RETRY_AFTER_FAILURE_MS;
      await store.getKey(current.kid);

      expect(firstElapsed).toBeGreaterThanOrEqual(390);
      expect(secondElapsed).toBeLessThan(200);
      expect(store.state()).toMatchObject({ status: 'stale', fetchInFlight: true, fetchCount: 3, staleFallbackCount: 3 });
    });

    it('background retry restores fresh keys', async () => {
      const current = issuer.keys.activeKey;
      await warm();
      issuer.setJwksResponder(serverError);
      now += MAX_AGE_MS;
      await store.getKey(current.kid);
      issuer.setJwksResponder(undefined);
      now += RETRY_AFTER_FAILURE_MS;

      await store.getKey(current.kid);
      await store.refreshIfDue();

      expect(store.state()).toMatchObject({ status: 'ready', fetchedAt: now, lastError: undefined });
    });
  });

  describe('failed fetches', () => {
    const tooManyKeys: JwksResponder = (_request, response) => {
      const jwk = toPublicJwk(SigningKeyRing.generateKey());
      return sendJson(response, 200, JSON.stringify({ keys: Array.from({ length: 33 }, (_, index) => ({ ...jwk, kid: `k${index}` })) }));
    };
    const cases: Array<[string, JwksResponder, RegExp]> = [
      ['HTTP 500', serverError, /HTTP 500/],
      ['HTTP 502 with a valid body', (_request, response) => sendJson(response, 502, JSON.stringify(issuer.keys.toJwks())), /HTTP 502/],
      ['body that is not JSON', (_request, response) => sendJson(response, 200, '{"keys": ['), /not JSON/],
      ['body over the size limit', (_request, response) => sendJson(response, 200, JSON.stringify({ keys: [], pad: 'x'.repeat(70_000) })), /limit of 65536/],
      ['more keys than the limit', tooManyKeys, /more than the limit of 32/],
      ['empty key set', (_request, response) => sendJson(response, 200, '{"keys":[]}'), /did not contain any keys/],
      [
        'only a symmetric key',
        (_request, response) => sendJson(response, 200, JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }] })),
        /did not contain any signing keys/,
      ],
      [
        'only a short RSA key',
        (_request, response) => {
          const { publicKey } = require('node:crypto').generateKeyPairSync('rsa', { modulusLength: 1024 });
          return sendJson(response, 200, JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'short', use: 'sig' }] }));
        },
        /no usable RSA signing key/,
      ],
    ];

    it.each(cases)('%s is not cached and recovery succeeds', async (_name, responder, message) => {
      const current = issuer.keys.activeKey;
      issuer.setJwksResponder(responder);

      const outcome = store.getKey(current.kid);

      await expect(outcome).rejects.toBeInstanceOf(KeySetUnavailableError);
      await expect(outcome).rejects.toMatchObject({ retryAfterSeconds: 1 });
      expect(store.state()).toMatchObject({ status: 'unavailable', keyCount: 0, failedFetchCount: 1 });
      expect(store.state().lastError).toMatch(message);

      issuer.setJwksResponder(undefined);
      now += RETRY_AFTER_FAILURE_MS;

      await expect(store.getKey(current.kid)).resolves.toMatchObject({ kid: current.kid });
      expect(store.state()).toMatchObject({ status: 'ready', keyCount: 1, lastError: undefined });
    });

    it('retry delay answers 503 without a fetch', async () => {
      issuer.setJwksResponder(serverError);
      await expect(store.getKey(issuer.keys.activeKey.kid)).rejects.toBeInstanceOf(KeySetUnavailableError);
      issuer.setJwksResponder(undefined);

      now += RETRY_AFTER_FAILURE_MS - 1;
      const outcome = store.getKey(issuer.keys.activeKey.kid);

      await expect(outcome).rejects.toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE', retryAfterSeconds: 1 });
      expect(issuer.jwksRequestCount).toBe(1);
    });

    it('retry delay 0 lets the next lookup recover at once', async () => {
      store = createStore({ retryAfterFailureMs: 0 });
      issuer.setJwksResponder(serverError);
      await expect(store.getKey(issuer.keys.activeKey.kid)).rejects.toBeInstanceOf(KeySetUnavailableError);
      issuer.setJwksResponder(undefined);

      await expect(store.getKey(issuer.keys.activeKey.kid)).resolves.toMatchObject({ kid: issuer.keys.activeKey.kid });
    });

    it('failed fetch keeps the previous keys and their age', async () => {
      await warm();
      const fetchedAt = store.state().fetchedAt;
      issuer.setJwksResponder((_request, response) => sendJson(response, 200, 'not json'));
      now += MAX_AGE_MS;

      await store.getKey(issuer.keys.activeKey.kid);

      expect(store.state()).toMatchObject({ status: 'stale', keyCount: 1, fetchedAt });
    });
  });

  describe('refreshIfDue', () => {
    it('fetches when no key set is loaded', async () => {
      const state = await store.refreshIfDue();

      expect(state).toMatchObject({ status: 'ready', keyCount: 1, fetchInFlight: false });
      expect(issuer.jwksRequestCount).toBe(1);
    });

    it('skips the fetch while keys are fresh', async () => {
      await warm();

      await store.refreshIfDue();

      expect(issuer.jwksRequestCount).toBe(0);
    });

    it('respects the retry delay', async () => {
      issuer.setJwksResponder(serverError);
      await store.refreshIfDue();
      issuer.setJwksResponder(undefined);

      now += RETRY_AFTER_FAILURE_MS - 1;
      expect((await store.refreshIfDue()).status).toBe('unavailable');
      now += 1;
      expect((await store.refreshIfDue()).status).toBe('ready');
      expect(issuer.jwksRequestCount).toBe(2);
    });
  });

  it('close aborts the fetch in flight', async () => {
    issuer.setJwksResponder(hang);
    store = createStore({ requestTimeoutMs: 10_000 });

    const outcome = store.refresh();
    await new Promise((resolve) => setTimeout(resolve, 50));
    store.close();

    await expect(outcome).rejects.toThrow('Key set request was aborted');
    expect(store.state().fetchInFlight).toBe(false);
  });
});
