import { generateKeyPairSync } from 'node:crypto';
import { CobeePrincipal } from './cobee-principal';
import { VerifiedToken, VerifiedTokenCache } from './verified-token.cache';

const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

function entry(clientId: string): VerifiedToken {
  return { principal: { clientId } as CobeePrincipal, kid: 'k1', keyObject: publicKey };
}

describe('VerifiedTokenCache', () => {
  it('returns a stored entry', () => {
    const cache = new VerifiedTokenCache(2);
    const stored = entry('a');

    cache.set('token-a', stored);

    expect(cache.get('token-a')).toBe(stored);
    expect(cache.size).toBe(1);
  });

  it('returns undefined for an unknown token', () => {
    expect(new VerifiedTokenCache(2).get('token-a')).toBeUndefined();
  });

  it('evicts the least recently used entry when full', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('token-a', entry('a'));
    cache.set('token-b', entry('b'));
    cache.get('token-a');

    cache.set('token-c', entry('c'));

    expect(cache.get('token-b')).toBeUndefined();
    expect(cache.get('token-a')?.principal.clientId).toBe('a');
    expect(cache.get('token-c')?.principal.clientId).toBe('c');
    expect(cache.size).toBe(2);
  });

  it('evicts the oldest entry when nothing was read', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('token-a', entry('a'));
    cache.set('token-b', entry('b'));

    cache.set('token-c', entry('c'));

    expect(cache.get('token-a')).toBeUndefined();
    expect(cache.get('token-b')?.principal.clientId).toBe('b');
  });

  it('replaces an entry and refreshes its position', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('token-a', entry('a'));
    cache.set('token-b', entry('b'));
    cache.set('token-a', entry('a2'));

    cache.set('token-c', entry('c'));

    expect(cache.get('token-a')?.principal.clientId).toBe('a2');
    expect(cache.get('token-b')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('keeps nothing with a size of 0', () => {
    const cache = new VerifiedTokenCache(0);

    cache.set('token-a', entry('a'));

    expect(cache.get('token-a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('deletes one entry', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('token-a', entry('a'));
    cache.set('token-b', entry('b'));

    cache.delete('token-a');

    expect(cache.get('token-a')).toBeUndefined();
    expect(cache.get('token-b')).toBeDefined();
  });

  it('clears every entry', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('token-a', entry('a'));

    cache.clear();

    expect(cache.size).toBe(0);
  });
});

describe('VerifiedTokenCache bound and keys', () => {
  it('never grows past its limit', () => {
    const cache = new VerifiedTokenCache(3);

    for (let index = 0; index < 10; index++) {
      cache.set(`token-${index}`, entry(`client-${index}`));
    }

    expect(cache.size).toBe(3);
    expect(cache.get('token-9')?.principal.clientId).toBe('client-9');
    expect(cache.get('token-6')).toBeUndefined();
  });

  it('evicts the least recently used entry', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', entry('a'));
    cache.set('b', entry('b'));

    cache.get('a');
    cache.set('c', entry('c'));

    expect(cache.get('a')).toBeDefined();
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('keeps nothing with a limit of 0', () => {
    const cache = new VerifiedTokenCache(0);

    cache.set('a', entry('a'));

    expect(cache.size).toBe(0);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keys entries by the whole token', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('header.payload.signature', entry('a'));

    expect(cache.get('header.payload.signaturf')).toBeUndefined();
    expect(cache.get('header.payload.')).toBeUndefined();
  });

  it('deletes and clears', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('a', entry('a'));
    cache.set('b', entry('b'));

    cache.delete('a');
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
