import { constants, KeyObject, verify } from 'node:crypto';

/** Hash and padding of each supported JWS algorithm (RFC 7518 sections 3.3 and 3.5). */
const ALGORITHMS: Readonly<Record<string, { readonly hash: string; readonly pss: boolean; readonly saltLength: number }>> = {
  RS256: { hash: 'sha256', pss: false, saltLength: 0 },
  RS384: { hash: 'sha384', pss: false, saltLength: 0 },
  RS512: { hash: 'sha512', pss: false, saltLength: 0 },
  PS256: { hash: 'sha256', pss: true, saltLength: 32 },
  PS384: { hash: 'sha384', pss: true, saltLength: 48 },
  PS512: { hash: 'sha512', pss: true, saltLength: 64 },
};

/**
 * Verifies a JWS signature with a parsed public key. Only the RSA algorithms above exist
 * here, so `none` and HMAC can never verify, whatever the header claims.
 *
 * Returns false for a wrong signature, an unknown algorithm or a key that does not fit it.
 */
export function verifyJwsSignature(alg: string, signingInput: string, signature: Buffer, key: KeyObject): boolean {
  const algorithm = Object.hasOwn(ALGORITHMS, alg) ? ALGORITHMS[alg] : undefined;
  if (algorithm === undefined || key.type !== 'public') {
    return false;
  }
  const data = Buffer.from(signingInput, 'latin1');
  try {
    if (algorithm.pss) {
      return verify(algorithm.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.saltLength }, signature);
    }
    return verify(algorithm.hash, data, key, signature);
  } catch {
    // OpenSSL throws for keys that cannot do this algorithm, for example an rsa-pss key with RS256.
    return false;
  }
}
