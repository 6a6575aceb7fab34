import { createPublicKey } from 'node:crypto';
import { SigningKeyRing } from '../testing/signing-key.ring';
import { AccessTokenVerifier, AccessTokenVerifierSettings, KeyResolver, ResolvedKey } from './access-token.verifier';
import { InvalidTokenError, KeySetUnavailableError } from './cobee-auth.errors';
import { TEST_COMPANY as COMPANY, testClaims, testClaimsPolicy } from './core.fixtures';

/** Builds verifier settings for the test issuer and audience, reading the time from `clock` (milliseconds). */
function verifierSettings(clock: () => number, verifiedTokenCacheSize: number): AccessTokenVerifierSettings {
  return { ...testClaimsPolicy(), maxTokenBytes: 8192, algorithms: new Set(['RS256']), clock, verifiedTokenCacheSize };
}

/** Builds the claims of a token issued to the client `partner` at `nowMs`, valid for one hour. */
function partnerClaims(nowMs: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const seconds = Math.floor(nowMs / 1000);
  return testClaims({ sub: 'partner@clients', azp: 'partner', iat: seconds, ...overrides }, seconds);
}

/** Resolves keys from a ring held in memory and counts lookups; `fresh` tells the resolver to act as if the key set were within its maximum age. */
class RingResolver implements KeyResolver {
  fresh = true;
  available = true;
  currentKeyCalls = 0;
  getKeyCalls = 0;

  constructor(
    readonly ring: SigningKeyRing,
    private readonly alg?: string,
  ) {}

  currentKey(kid: string | undefined): ResolvedKey | undefined {
    this.currentKeyCalls++;
    return this.fresh ? this.find(kid) : undefined;
  }

  async getKey(kid: string | undefined): Promise<ResolvedKey> {
    this.getKeyCalls++;
    if (!this.available) {
      throw new KeySetUnavailableError('key server down', 1);
    }
    this.fresh = true;
    const key = this.find(kid);
    if (key === undefined) {
      throw new InvalidTokenError('ERR_JWKS_NO_MATCHING_KEY', 'no such key');
    }
    return key;
  }

  private find(kid: string | undefined): ResolvedKey | undefined {
    const key = kid === undefined ? undefined : this.ring.find(kid);
    return key === undefined ? undefined : { kid: key.kid, alg: this.alg, keyObject: key.publicKey };
  }
}

describe('AccessTokenVerifier', () => {
  let ring: SigningKeyRing;
  let resolver: RingResolver;
  let now: number;
  let settings: AccessTokenVerifierSettings;

  const claims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => partnerClaims(now, overrides);

  beforeAll(() => {
    ring = new SigningKeyRing(1);
  });

  beforeEach(() => {
    now = Date.UTC(2026, 11, 4, 12);
    resolver = new RingResolver(ring);
    settings = verifierSettings(() => now, 100);
  });

  it('returns the principal of a valid token', async () => {
    const verifier = new AccessTokenVerifier(settings, resolver);

    const principal = await verifier.verify(ring.sign(claims()));

    expect(principal.clientId).toBe('partner');
    expect(principal.companyId).toBe(COMPANY);
    expect(verifier.cachedTokenCount).toBe(1);
  });

  it('serves a reused token from the cache', async () => {
    const verifier = new AccessTokenVerifier(settings, resolver);
    const token = ring.sign(claims());
    const first = await verifier.verify(token);

    const second = await verifier.verify(token);

    expect(second).toBe(first);
    expect(resolver.getKeyCalls).toBe(0);
  });

  it('rejects a changed signature and records the claimed client', async () => {
    const verifier = new AccessTokenVerifier(settings, resolver);
    const token = ring.sign(claims());
    const forged = `${token.slice(0, -6)}AAAAAA`;

    const error = await verifier.verify(forged).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as InvalidTokenError).code).toBe('ERR_JWS_SIGNATURE_INVALID');
    expect((error as InvalidTokenError).clientId).toBe('partner');
    expect(verifier.cachedTokenCount).toBe(0);
  });

  it('rejects a key bound to another algorithm', async () => {
    const verifier = new AccessTokenVerifier(settings, new RingResolver(ring, 'RS512'));

    await expect(verifier.verify(ring.sign(claims()))).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  it('looks up no key for a foreign issuer', async () => {
    const verifier = new AccessTokenVerifier(settings, resolver);

    await expect(verifier.verify(ring.sign(claims({ iss: 'https://evil.example/' })))).rejects.toMatchObject({ claim: 'iss' });
    expect(resolver.currentKeyCalls).toBe(0);
    expect(resolver.getKeyCalls).toBe(0);
  });

  it('rechecks expiry on a cache hit', async () => {
    const verifier = new AccessTokenVerifier(settings, resolver);
    const token = ring.sign(claims({ exp: Math.floor(now / 1000) + 60 }));
    await verifier.verify(token);

    now += 66_000;

    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
    expect(verifier.cachedTokenCount).toBe(0);
  });

  it('accepts a hit within the clock tolerance', async () => {
    const verifier = new AccessTokenVerifier(settings, resolver);
    const token = ring.sign(claims({ exp: Math.floor(now / 1000) + 60 }));
    await verifier.verify(token);

    now += 64_000;

    await expect(verifier.verify(token)).resolves.toMatchObject({ clientId: 'partner' });
  });

  it('re-verifies a hit once the key set is stale', async () => {
    const verifier = new AccessTokenVerifier(settings, resolver);
    const token = ring.sign(claims());
    await verifier.verify(token);

    resolver.fresh = false;
    await verifier.verify(token);

    expect(resolver.getKeyCalls).toBe(1);
  });

  it('drops a hit whose key left the key set', async () => {
    const localRing = new SigningKeyRing(1);
    const localResolver = new RingResolver(localRing);
    const verifier = new AccessTokenVerifier(settings, localResolver);
    const token = localRing.sign(claims());
    await verifier.verify(token);

    localRing.rotate();
    localResolver.fresh = false;

    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    expect(verifier.cachedTokenCount).toBe(0);
  });

  it('passes an unavailable key set through', async () => {
    resolver.fresh = false;
    resolver.available = false;
    const verifier = new AccessTokenVerifier(settings, resolver);

    await expect(verifier.verify(ring.sign(claims()))).rejects.toBeInstanceOf(KeySetUnavailableError);
    expect(verifier.cachedTokenCount).toBe(0);
  });

  it('caches nothing when its size is 0', async () => {
    const verifier = new AccessTokenVerifier({ ...settings, verifiedTokenCacheSize: 0 }, resolver);
    const token = ring.sign(claims());

    await verifier.verify(token);
    await verifier.verify(token);

    expect(verifier.cachedTokenCount).toBe(0);
    expect(resolver.currentKeyCalls).toBe(2);
  });

  it('keeps entries separate per verifier', async () => {
    const lenient = new AccessTokenVerifier(settings, resolver);
    const strict = new AccessTokenVerifier({ ...settings, audiences: new Set(['https://other.example']) }, resolver);
    const token = ring.sign(claims());
    await lenient.verify(token);

    await expect(strict.verify(token)).rejects.toMatchObject({ claim: 'aud' });
  });

  it('accepts a key bound to the token algorithm', async () => {
    const verifier = new AccessTokenVerifier(settings, new RingResolver(ring, 'RS256'));

    await expect(verifier.verify(ring.sign(claims()))).resolves.toMatchObject({ clientId: 'partner' });
  });

  it('names the reason for a key bound to another algorithm', async () => {
    const verifier = new AccessTokenVerifier(settings, new RingResolver(ring, 'PS256'));

    await expect(verifier.verify(ring.sign(claims()))).rejects.toThrow('The key for this "kid" is bound to another algorithm');
  });

  it('names the reason for a signature that does not verify', async () => {
    const verifier = new AccessTokenVerifier(settings, resolver);
    const token = ring.sign(claims());

    await expect(verifier.verify(`${token.slice(0, -6)}AAAAAA`)).rejects.toThrow('The signature does not verify with the key');
  });

  it('returns the principal after fetching the key', async () => {
    resolver.fresh = false;
    const verifier = new AccessTokenVerifier(settings, resolver);

    const principal = await verifier.verify(ring.sign(claims()));

    expect(resolver.getKeyCalls).toBe(1);
    expect(principal.clientId).toBe('partner');
    expect(verifier.cachedTokenCount).toBe(1);
  });

  it.each([
    ['no dots', 'abc', 'Token has 1 segments instead of 3'],
    ['four segments', 'a.b.c.d', 'Token has 4 segments instead of 3'],
    ['an empty signature', 'eyJh.eyJh.', 'The signature segment is missing or not base64url'],
  ])('rejects a token with %s before any key lookup', async (_name, token, message) => {
    const verifier = new AccessTokenVerifier(settings, resolver);

    const error = await verifier.verify(token).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as InvalidTokenError).code).toBe('ERR_JWT_MALFORMED');
    expect((error as InvalidTokenError).message).toBe(message);
    expect(resolver.currentKeyCalls).toBe(0);
  });

  it('passes an unexpected resolver error through untouched', async () => {
    const failure = new Error('resolver bug');
    const failing: KeyResolver = {
      currentKey: () => {
        throw failure;
      },
      getKey: async () => {
        throw failure;
      },
    };
    const verifier = new AccessTokenVerifier(settings, failing);

    const error = await verifier.verify(ring.sign(claims())).catch((caught: unknown) => caught);

    expect(error).toBe(failure);
    expect(error).not.toHaveProperty('clientId');
  });

  it('records the claimed client on a key lookup that throws', async () => {
    const failing: KeyResolver = {
      currentKey: () => {
        throw new InvalidTokenError('ERR_JWKS_NO_MATCHING_KEY', 'cached lookup failed');
      },
      getKey: async () => {
        throw new InvalidTokenError('ERR_JWKS_NO_MATCHING_KEY', 'fetch failed');
      },
    };
    const verifier = new AccessTokenVerifier(settings, failing);

    await expect(verifier.verify(ring.sign(claims()))).rejects.toMatchObject({ message: 'cached lookup failed', clientId: 'partner' });
  });

  it('serves a hit for a re-parsed equal key', async () => {
    const key = ring.activeKey;
    let published = key.publicKey;
    const reparsing: KeyResolver = {
      currentKey: (kid) => (kid === key.kid ? { kid, alg: undefined, keyObject: published } : undefined),
      getKey: async () => {
        throw new InvalidTokenError('ERR_JWKS_NO_MATCHING_KEY', 'no key');
      },
    };
    const verifier = new AccessTokenVerifier(settings, reparsing);
    const token = ring.sign(claims());
    const first = await verifier.verify(token);

    published = createPublicKey(key.publicKey.export({ format: 'pem', type: 'spki' }));

    await expect(verifier.verify(token)).resolves.toBe(first);
    expect(verifier.cachedTokenCount).toBe(1);
  });

  it('drops a hit whose kid now names another key', async () => {
    const key = ring.activeKey;
    const impostor = SigningKeyRing.generateKey(key.kid);
    let published = key.publicKey;
    const swapping: KeyResolver = {
      currentKey: (kid) => (kid === key.kid ? { kid, alg: undefined, keyObject: published } : undefined),
      getKey: async (kid) => ({ kid, alg: undefined, keyObject: published }),
    };
    const verifier = new AccessTokenVerifier(settings, swapping);
    const token = ring.sign(claims());
    await verifier.verify(token);

    published = impostor.publicKey;

    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_INVALID' });
    expect(verifier.cachedTokenCount).toBe(0);
  });

  it('empties the cache on clear', async () => {
    const verifier = new AccessTokenVerifier(settings, resolver);
    const token = ring.sign(claims());
    await verifier.verify(token);

    verifier.clear();

    expect(verifier.cachedTokenCount).toBe(0);
    await verifier.verify(token);
    expect(resolver.currentKeyCalls).toBe(2);
  });
});

describe('AccessTokenVerifier with a token without kid', () => {
  it('stops serving the cached token once the key set has two keys', async () => {
    const ring = new SigningKeyRing(1);
    const only = ring.activeKey;
    const resolver: KeyResolver = {
      currentKey: (kid) => (kid === undefined && ring.all.length === 1 ? { kid: only.kid, alg: undefined, keyObject: only.publicKey } : kid === only.kid ? { kid, alg: undefined, keyObject: only.publicKey } : undefined),
      getKey: async (kid) => {
        const key = resolver.currentKey(kid);
        if (key === undefined) {
          throw new InvalidTokenError('ERR_JWKS_NO_MATCHING_KEY', 'no single key');
        }
        return key;
      },
    };
    const now = Date.now();
    const verifier = new AccessTokenVerifier(verifierSettings(() => now, 10), resolver);
    const token = ring.sign(partnerClaims(now), { kid: undefined });
    await verifier.verify(token);

    ring.addKey();

    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });
});
