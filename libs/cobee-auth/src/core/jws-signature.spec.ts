import { createHmac, createPublicKey, generateKeyPairSync, KeyObject, sign, constants } from 'node:crypto';
import { verifyJwsSignature } from './jws-signature';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const INPUT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0';

function pkcs1(hash: string, key: KeyObject = rsa.privateKey): Buffer {
  return sign(hash, Buffer.from(INPUT), key);
}

function pss(hash: string, saltLength: number): Buffer {
  return sign(hash, Buffer.from(INPUT), { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
}

describe('verifyJwsSignature', () => {
  it.each([
    ['RS256', 'sha256'],
    ['RS384', 'sha384'],
    ['RS512', 'sha512'],
  ])('accepts a valid %s signature', (alg, hash) => {
    expect(verifyJwsSignature(alg, INPUT, pkcs1(hash), rsa.publicKey)).toBe(true);
  });

  it.each([
    ['PS256', 'sha256', 32],
    ['PS384', 'sha384', 48],
    ['PS512', 'sha512', 64],
  ])('accepts a valid %s signature', (alg, hash, saltLength) => {
    expect(verifyJwsSignature(alg, INPUT, pss(hash, saltLength), rsa.publicKey)).toBe(true);
  });

  it('rejects a signature with the wrong hash', () => {
    expect(verifyJwsSignature('RS256', INPUT, pkcs1('sha512'), rsa.publicKey)).toBe(false);
  });

  it('rejects PSS with a short salt', () => {
    expect(verifyJwsSignature('PS256', INPUT, pss('sha256', 0), rsa.publicKey)).toBe(false);
  });

  it('rejects another key', () => {
    expect(verifyJwsSignature('RS256', INPUT, pkcs1('sha256', otherRsa.privateKey), rsa.publicKey)).toBe(false);
  });

  it('rejects changed input', () => {
    expect(verifyJwsSignature('RS256', `${INPUT}x`, pkcs1('sha256'), rsa.publicKey)).toBe(false);
  });

  it.each(['none', 'HS256', 'HS384', 'HS512', 'ES256', 'rs256', '__proto__', 'constructor', ''])('never verifies %p', (alg) => {
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' });
    const hmac = createHmac('sha256', pem).update(INPUT).digest();

    expect(verifyJwsSignature(alg, INPUT, hmac, rsa.publicKey)).toBe(false);
    expect(verifyJwsSignature(alg, INPUT, Buffer.alloc(0), rsa.publicKey)).toBe(false);
  });

  it('rejects a private key passed as the verification key', () => {
    expect(verifyJwsSignature('RS256', INPUT, pkcs1('sha256'), rsa.privateKey)).toBe(false);
  });

  it('rejects an empty or truncated signature', () => {
    expect(verifyJwsSignature('RS256', INPUT, Buffer.alloc(0), rsa.publicKey)).toBe(false);
    expect(verifyJwsSignature('RS256', INPUT, pkcs1('sha256').subarray(1), rsa.publicKey)).toBe(false);
  });

  it('rejects an EC key without throwing', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(verifyJwsSignature('RS256', INPUT, pkcs1('sha256'), createPublicKey(ec.publicKey.export({ type: 'spki', format: 'pem' })))).toBe(false);
  });
});

describe('verifyJwsSignature with keys OpenSSL refuses', () => {
  it('returns false for an RSA-PSS key restricted to another hash', () => {
    const restricted = generateKeyPairSync('rsa-pss', { modulusLength: 2048, hashAlgorithm: 'sha512', mgf1HashAlgorithm: 'sha512' });
    const signature = sign('sha512', Buffer.from(INPUT), { key: restricted.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 });

    expect(verifyJwsSignature('RS256', INPUT, signature, restricted.publicKey)).toBe(false);
    expect(verifyJwsSignature('PS256', INPUT, signature, restricted.publicKey)).toBe(false);
  });

  it('returns false for an Ed25519 key', () => {
    const edwards = generateKeyPairSync('ed25519');

    expect(verifyJwsSignature('RS256', INPUT, Buffer.alloc(64), edwards.publicKey)).toBe(false);
  });
});
