import { CobeePrincipal } from './cobee-principal';

/** The entry the cache keeps for a token whose signature and claims were verified. */
export interface VerifiedToken {
  readonly principal: CobeePrincipal;
  /** The `kid` the token named (not the key's), so a hit can check that its key is still published. */
  readonly kid: string | undefined;
  /** The key that verified the signature. */
  readonly keyObject: import('node:crypto').KeyObject;
}

/**
 * A bounded map from token text to its verification result, evicting the least recently used
 * entry when full. It stores successes only. Each instance belongs to one verifier
 * configuration, so two configurations never share an entry. Callers re-check time claims
 * and key presence on every hit.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  /** @param maxEntries the most tokens kept; 0 keeps none */
  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(token: string): VerifiedToken | undefined {
    const entry = this.entries.get(token);
    if (entry !== undefined) {
      // Re-inserting moves the entry to the most recently used end of the map's order.
      this.entries.delete(token);
      this.entries.set(token, entry);
    }
    return entry;
  }

  set(token: string, entry: VerifiedToken): void {
    if (this.maxEntries === 0) {
      return;
    }
    this.entries.delete(token);
    this.entries.set(token, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(token: string): void {
    this.entries.delete(token);
  }

  clear(): void {
    this.entries.clear();
  }
}
