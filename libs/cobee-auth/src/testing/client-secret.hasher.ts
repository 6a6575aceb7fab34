import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters (N = 2^14, r = 8, p = 1: about 16 MiB and tens of milliseconds per hash). */
const SCRYPT_OPTIONS: ScryptOptions = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function deriveKey(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Hashes a client secret with scrypt and a random salt. The result has the form
 * `scrypt$N$r$p$<salt>$<hash>`, salt and hash in base64url, so the parameters travel with it.
 */
export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await deriveKey(secret, salt, SCRYPT_OPTIONS);
  return ['scrypt', SCRYPT_OPTIONS.N, SCRYPT_OPTIONS.r, SCRYPT_OPTIONS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Compares a presented secret with a stored hash in constant time.
 *
 * Returns false for a wrong secret and for a malformed hash.
 */
export async function verifyClientSecret(secret: string, storedHash: string): Promise<boolean> {
  const parts = storedHash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    return false;
  }
  const [, cost, blockSize, parallelization, salt, hash] = parts;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await deriveKey(secret, Buffer.from(salt, 'base64url'), {
    N: Number(cost),
    r: Number(blockSize),
    p: Number(parallelization),
    maxmem: SCRYPT_OPTIONS.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random secret, compared against when a client id is unknown, so both cases take the same time. */
let placeholderHash: Promise<string> | undefined;

/** Returns a hash that no presented secret matches in practice. */
export function placeholderSecretHash(): Promise<string> {
  placeholderHash ??= hashClientSecret(randomBytes(32).toString('base64url'));
  return placeholderHash;
}
