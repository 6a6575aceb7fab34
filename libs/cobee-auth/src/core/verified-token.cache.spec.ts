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
