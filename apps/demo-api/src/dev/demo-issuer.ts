import { randomBytes } from 'node:crypto';
import { DevIssuer } from '@cobee/auth/testing';
import { DEMO_CLIENTS } from './demo-data';

/** The running dev issuer and the secret of each demo client. */
export interface DemoIssuer {
  readonly issuer: DevIssuer;
  /** Secrets by client id, until `forgetSecrets()`; generated ones exist only in this process. */
  readonly secrets: ReadonlyMap<string, string>;
  /** Drops the plain-text secrets once the banner has shown them; the issuer keeps only hashes. */
  forgetSecrets(): void;
  /** True when the secrets came from `DEV_CLIENT_SECRET`. */
  readonly sharedSecret: boolean;
}

/**
 * Starts the embedded dev issuer with the demo clients. Each client gets `sharedSecret` when
 * one is given, or a random 192-bit secret otherwise. The issuer keeps only scrypt hashes.
 */
export async function startDemoIssuer(options: {
  port: number;
  host: string;
  audience: string;
  sharedSecret?: string;
  corsOrigins?: readonly string[];
}): Promise<DemoIssuer> {
  const secrets = new Map<string, string>();
  for (const client of DEMO_CLIENTS) {
    secrets.set(client.clientId, options.sharedSecret ?? randomBytes(24).toString('base64url'));
  }
  const issuer = await DevIssuer.start({
    port: options.port,
    host: options.host,
    audiences: [options.audience],
    corsOrigins: options.corsOrigins,
    clients: DEMO_CLIENTS.map((client) => ({ ...client, secret: secrets.get(client.clientId) as string })),
  });
  return { issuer, secrets, sharedSecret: options.sharedSecret !== undefined, forgetSecrets: () => secrets.clear() };
}
