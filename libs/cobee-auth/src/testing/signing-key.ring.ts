import { createHash, generateKeyPairSync, KeyObject, sign } from 'node:crypto';

/** One RSA key pair of the ring, named by its `kid`. */
export interface RingKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A public key as a JWK with the members Auth0 publishes. */
export interface PublicJwk {
  readonly kty: string;
  readonly n: string;
  readonly e: string;
  readonly kid: string;
  readonly use: 'sig';
  readonly alg: 'RS256';
}

/** RSA modulus size of generated keys, in bits. */
const MODULUS_BITS = 2048;

/**
 * The issuer's signing keys: RS256 key pairs generated in memory, the newest one used for
 * signing. Tests rotate, add and remove keys to exercise key-set changes.
 */
export class SigningKeyRing {
  private keys: RingKey[] = [];

  /** @param initialKeys how many key pairs to generate now */
  constructor(initialKeys = 1) {
    for (let index = 0; index < initialKeys; index++) {
      this.addKey();
    }
  }

  /** The key new tokens are signed with: the most recently added one. */
  get activeKey(): RingKey {
    const key = this.keys[this.keys.length - 1];
    if (key === undefined) {
      throw new Error('The signing key ring is empty; call addKey() first');
    }
    return key;
  }

  /** Every key, oldest first. */
  get all(): readonly RingKey[] {
    return this.keys;
  }

  /**
   * Generates a key pair and makes it the active key. The `kid` is the key's RFC 7638
   * thumbprint unless one is given.
   */
  addKey(kid?: string): RingKey {
    const key = SigningKeyRing.generateKey(kid);
    this.keys.push(key);
    return key;
  }

  /** Generates a key pair that belongs to no ring, for tokens signed with a key the issuer never published. */
  static generateKey(kid?: string): RingKey {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: MODULUS_BITS });
    return { kid: kid ?? thumbprint(publicKey), privateKey, publicKey };
  }

  /** Removes a key, so it disappears from the published key set. */
  removeKey(kid: string): void {
    this.keys = this.keys.filter((key) => key.kid !== kid);
  }

  /** Adds a new active key and removes every older one. */
  rotate(): RingKey {
    const key = this.addKey();
    this.keys = [key];
    return key;
  }

  /** Finds a key by `kid`. */
  find(kid: string): RingKey | undefined {
    return this.keys.find((key) => key.kid === kid);
  }

  /** The public keys as a JSON Web Key Set. */
  toJwks(): { keys: PublicJwk[] } {
    return { keys: this.keys.map(toPublicJwk) };
  }

  /**
   * Signs a JWS with RS256, using the active key unless another is given. The header is
   * `{ alg: "RS256", typ: "JWT", kid }` merged with `header`; a member set to undefined there
   * is left out. The signature is always RS256, whatever `alg` says.
   */
  sign(payload: object, header: Record<string, unknown> = {}, key: RingKey = this.activeKey): string {
    const fullHeader = withoutUndefined({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header });
    const signingInput = `${encodeJson(fullHeader)}.${encodeJson(payload)}`;
    const signature = sign('sha256', Buffer.from(signingInput), key.privateKey);
    return `${signingInput}.${signature.toString('base64url')}`;
  }
}

/** Returns the public JWK of a key pair, as published in the key set. */
export function toPublicJwk(key: RingKey): PublicJwk {
  const jwk = key.publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: key.kid, use: 'sig', alg: 'RS256' };
}

/** Encodes a value as base64url JSON, the form of JWS header and payload segments. */
export function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function thumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' }) as { e: string; n: string };
  return createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n })).digest('base64url');
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
