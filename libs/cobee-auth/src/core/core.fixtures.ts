import { ClaimsPolicy } from './token-claims.validator';

/**
 * Values and helpers shared by the unit specs of the core and the options. This file is left
 * out of the package build (see `tsconfig.lib.json`) and out of mutation testing.
 */

/** An Auth0-style issuer, with its trailing slash. */
export const TEST_ISSUER = 'https://tenant.eu.auth0.com/';
export const TEST_AUDIENCE = 'https://api.example.com';
export const TEST_NAMESPACE = 'https://auth.cobee.io/metadata';
/** Acme Iberia in the demo's seed data. */
export const TEST_COMPANY = '5e9e9701-9883-447d-9884-46e75993e33b';
/** Acme Group in the demo's seed data. */
export const TEST_CORPORATION = '9b1d7c3e-0c5a-4e7b-9a41-1f2e3d4c5b6a';
/** The specs' current time, in seconds since the epoch. */
export const TEST_NOW = 1_750_000_000;

/** Builds a claims policy for the test issuer and audience, with a 5 s clock tolerance and no maximum token age. */
export function testClaimsPolicy(overrides: Partial<ClaimsPolicy> = {}): ClaimsPolicy {
  return {
    issuer: TEST_ISSUER,
    audiences: new Set([TEST_AUDIENCE]),
    allowedGrantTypes: new Set(['client-credentials']),
    claimNamespace: TEST_NAMESPACE,
    clockToleranceSeconds: 5,
    maxTokenAgeSeconds: undefined,
    ...overrides,
  };
}

/**
 * Builds the payload of a valid machine-to-machine token, issued a minute before `now` and
 * expiring an hour after it. An override whose value is `undefined` removes that claim.
 */
export function testClaims(overrides: Record<string, unknown> = {}, now = TEST_NOW): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    iss: TEST_ISSUER,
    sub: 'client-1@clients',
    aud: TEST_AUDIENCE,
    iat: now - 60,
    exp: now + 3600,
    azp: 'client-1',
    gty: 'client-credentials',
    [TEST_NAMESPACE]: { companyId: TEST_COMPANY },
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete payload[name];
    } else {
      payload[name] = value;
    }
  }
  return payload;
}

/**
 * Runs `action` and returns the error it throws when that error is a `type`. Any other error
 * is thrown again, and an action that throws nothing fails the spec with `acceptedMessage`.
 */
export function captureError<T extends Error>(type: abstract new (...args: never[]) => T, action: () => unknown, acceptedMessage: string): T {
  try {
    action();
  } catch (error) {
    if (error instanceof type) {
      return error;
    }
    throw error;
  }
  throw new Error(acceptedMessage);
}
