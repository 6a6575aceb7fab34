import { constants, createHmac, KeyObject, sign } from 'node:crypto';
import { RingKey, toPublicJwk } from '@cobee/auth/testing';

/** RSA signature algorithms the forgeries sign with; the library enables only RS256 by default. */
export type RsaAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512';

/** HMAC algorithms of the key-confusion forgeries. */
export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

const HASHES: Record<RsaAlgorithm | HmacAlgorithm, string> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  HS256: 'sha256',
  HS384: 'sha384',
  HS512: 'sha512',
};

/** Encodes text or bytes as one base64url segment. */
export function segment(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** Signs a JWS signing input with an RSA private key. */
export function rsaSignature(alg: RsaAlgorithm, signingInput: string, privateKey: KeyObject): string {
  // RFC 7518 section 3.5: PS* uses a salt as long as the hash output.
  const signingKey = alg.startsWith('PS')
    ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 }
    : privateKey;
  return sign(HASHES[alg], Buffer.from(signingInput), signingKey).toString('base64url');
}

/**
 * Builds a compact JWS from raw header and payload JSON texts, so a test can send what a
 * JSON serializer would never produce (duplicate members, `__proto__`), and signs it with a
 * real RSA key. The signature is valid, so only the library's own checks can reject it.
 */
export function signJsonTexts(headerText: string, payloadText: string, key: RingKey, alg: RsaAlgorithm = 'RS256'): string {
  const signingInput = `${segment(headerText)}.${segment(payloadText)}`;
  return `${signingInput}.${rsaSignature(alg, signingInput, key.privateKey)}`;
}

/** Signs header and payload objects with a real RSA key and the given algorithm. */
export function signWithRsa(header: Record<string, unknown>, payload: Record<string, unknown>, key: RingKey, alg: RsaAlgorithm): string {
  return signJsonTexts(JSON.stringify({ ...header, alg }), JSON.stringify(payload), key, alg);
}

/** Signs header and payload with an HMAC algorithm and the given secret bytes. */
export function signWithHmac(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  alg: HmacAlgorithm,
  secret: string | Buffer,
): string {
  const signingInput = `${segment(JSON.stringify({ ...header, alg }))}.${segment(JSON.stringify(payload))}`;
  return `${signingInput}.${createHmac(HASHES[alg], secret).update(signingInput).digest('base64url')}`;
}

/**
 * The issuer's public key in every form an attacker can obtain and a confused verifier might
 * use as an HMAC secret.
 */
export function publicKeyForms(key: RingKey): Record<string, string | Buffer> {
  return {
    'SPKI PEM': key.publicKey.export({ type: 'spki', format: 'pem' }),
    'PKCS#1 PEM': key.publicKey.export({ type: 'pkcs1', format: 'pem' }),
    'JWK JSON': JSON.stringify(toPublicJwk(key)),
    'SPKI DER': key.publicKey.export({ type: 'spki', format: 'der' }),
    'PKCS#1 DER': key.publicKey.export({ type: 'pkcs1', format: 'der' }),
  };
}

/** Replaces the payload of a signed token and keeps its header and signature. */
export function replacePayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${segment(JSON.stringify(payload))}.${signature}`;
}

/** Decodes the payload of a compact JWS without any check. */
export function readPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}
