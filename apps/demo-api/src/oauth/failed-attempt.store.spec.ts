import { FailedAttemptStore } from './failed-attempt.store';

const TTL = 60_000;
const LIMIT = 3;
const BLOCK = 120_000;

describe('FailedAttemptStore', () => {
  let now: number;
  let store: FailedAttemptStore;

  beforeEach(() => {
    now = 1_000_000;
    store = new FailedAttemptStore(() => now, 10);
  });

  const increment = (key = 'a') => store.increment(key, TTL, LIMIT, BLOCK, 'failed');

  it('counts attempts up to the limit', async () => {
    const records = [await increment(), await increment(), await increment()];

    expect(records.map((record) => record.totalHits)).toEqual([1, 2, 3]);
    expect(records.every((record) => !record.isBlocked)).toBe(true);
    expect(records[0].timeToExpire).toBe(60);
  });

  it('blocks the attempt after the limit', async () => {
    await increment();
    await increment();
    await increment();

    const blocked = await increment();

    expect(blocked.isBlocked).toBe(true);
    expect(blocked.timeToBlockExpire).toBe(120);
  });

  it('keeps the block for its duration', async () => {
    for (let i = 0; i <= LIMIT; i++) {
      await increment();
    }

    now += BLOCK - 1;
    expect((await increment()).isBlocked).toBe(true);

    now += 1;
    const after = await increment();
    expect(after.isBlocked).toBe(false);
    expect(after.totalHits).toBe(1);
  });

  it('forgets attempts older than the window', async () => {
    await increment();
    await increment();
    now += TTL;

    const record = await increment();

    expect(record.totalHits).toBe(1);
  });

  it('release takes back one attempt', async () => {
    await increment();
    await increment();
    await increment();
    store.release('a', 'failed');

    const record = await increment();

    expect(record.isBlocked).toBe(false);
    expect(record.totalHits).toBe(3);
  });

  it('release of the last attempt drops the key', async () => {
    await increment();

    store.release('a', 'failed');

    expect(store.size).toBe(0);
  });

  it('keys and throttler names are separate', async () => {
    for (let i = 0; i <= LIMIT; i++) {
      await increment('a');
    }

    expect((await increment('b')).isBlocked).toBe(false);
    expect((await store.increment('a', TTL, LIMIT, BLOCK, 'other')).isBlocked).toBe(false);
  });

  it('a zero block duration blocks for the window', async () => {
    for (let i = 0; i < LIMIT; i++) {
      await store.increment('a', TTL, LIMIT, 0, 'failed');
    }

    expect((await store.increment('a', TTL, LIMIT, 0, 'failed')).timeToBlockExpire).toBe(60);
  });

  it('stays within the key limit', async () => {
    for (let i = 0; i < 25; i++) {
      await increment(`key-${i}`);
    }

    expect(store.size).toBeLessThanOrEqual(10);
  });

  it('sweeps expired keys before live ones', async () => {
    for (let i = 0; i < 9; i++) {
      await increment(`old-${i}`);
    }
    now += TTL;
    await increment('live');
    await increment('new');

    expect(store.size).toBe(2);
    expect((await increment('live')).totalHits).toBe(2);
  });
});
