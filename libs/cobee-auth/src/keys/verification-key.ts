import { KeyObject } from 'node:crypto';

/** A public key from the key set, parsed once when the set is fetched. */
export interface VerificationKey {
  /** The JWK `kid`, or undefined for a key without one. */
  readonly kid: string | undefined;
  /** The JWK `alg`, when the key set binds the key to one algorithm. */
  readonly alg: string | undefined;
  readonly keyObject: KeyObject;
}

/** The minimal logger the key store writes to; Nest's `Logger` fits it. */
export interface KeyStoreLogger {
  log(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}
