import { ThrottlerStorage } from '@nestjs/throttler';

/** The record `ThrottlerGuard` reads; @nestjs/throttler 6 does not export its type from the package root. */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Counted attempts of one key and the end of its block, both in milliseconds since the Unix epoch. */
interface AttemptEntry {
  /** Expiry time of each counted attempt, oldest first. */
  hits: number[];
  /** End of the current block, or 0 when the key is not blocked. */
  blockedUntil: number;
}

/** Default maximum number of keys kept; beyond it, keys without live attempts are swept first, then the oldest keys. */
const DEFAULT_MAX_KEYS = 100_000;

/**
 * In-memory `ThrottlerStorage` for counting failed attempts, with an injectable clock and a
 * `release()` that takes back an attempt that turned out not to fail.
 *
 * `ThrottlerGuard` calls `increment()` when a request arrives, which counts one attempt in a
 * sliding window of `ttl` milliseconds. When `limit` attempts are already counted, the request
 * is rejected instead and starts a block of `blockDuration` milliseconds, during which every
 * request for the key is rejected. After the block the count starts again from zero. An
 * attempt that did not fail is released, so only failures, and attempts still in flight,
 * count against the limit.
 */
export class FailedAttemptStore implements ThrottlerStorage {
  private readonly entries = new Map<string, AttemptEntry>();

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = this.clock();
    const entry = this.liveEntry(`${throttlerName}:${key}`, now);

    if (entry.blockedUntil > now) {
      return this.blockedRecord(entry, now);
    }
    if (entry.blockedUntil !== 0) {
      entry.blockedUntil = 0;
      entry.hits = [];
    }
    if (entry.hits.length >= limit) {
      entry.blockedUntil = now + (blockDuration > 0 ? blockDuration : ttl);
      return this.blockedRecord(entry, now);
    }

    entry.hits.push(now + ttl);
    return {
      totalHits: entry.hits.length,
      timeToExpire: toSeconds(entry.hits[0] - now),
      isBlocked: false,
      timeToBlockExpire: 0,
    };
  }

  /**
   * Takes back one attempt counted for `key`. The most recent attempt is removed; all attempts
   * share one window length, so the count is the same whichever one is removed.
   */
  release(key: string, throttlerName: string): void {
    const id = `${throttlerName}:${key}`;
    const entry = this.entries.get(id);
    if (entry === undefined) {
      return;
    }
    entry.hits.pop();
    if (entry.hits.length === 0 && entry.blockedUntil === 0) {
      this.entries.delete(id);
    }
  }

  /** Number of keys kept, for tests of the memory bound. */
  get size(): number {
    return this.entries.size;
  }

  private liveEntry(id: string, now: number): AttemptEntry {
    let entry = this.entries.get(id);
    if (entry === undefined) {
      this.makeRoom(now);
      entry = { hits: [], blockedUntil: 0 };
      this.entries.set(id, entry);
      return entry;
    }
    entry.hits = entry.hits.filter((expiresAt) => expiresAt > now);
    return entry;
  }

  /** Keeps the map under `maxKeys`, so that requests with ever new client ids cannot exhaust memory. */
  private makeRoom(now: number): void {
    if (this.entries.size < this.maxKeys) {
      return;
    }
    for (const [id, entry] of this.entries) {
      if (entry.blockedUntil <= now && entry.hits.every((expiresAt) => expiresAt <= now)) {
        this.entries.delete(id);
      }
    }
    // NOTE: when every kept key is live, the oldest is dropped, which clears its count or
    // ends its block early. Reaching this needs more than maxKeys distinct client ids within one window.
    for (const id of this.entries.keys()) {
      if (this.entries.size < this.maxKeys) {
        break;
      }
      this.entries.delete(id);
    }
  }

  private blockedRecord(entry: AttemptEntry, now: number): ThrottlerStorageRecord {
    return {
      totalHits: entry.hits.length,
      timeToExpire: entry.hits.length === 0 ? 0 : toSeconds(entry.hits[0] - now),
      isBlocked: true,
      timeToBlockExpire: toSeconds(entry.blockedUntil - now),
    };
  }
}

function toSeconds(milliseconds: number): number {
  return Math.max(0, Math.ceil(milliseconds / 1000));
}
