import { CobeeAuthError } from './cobee-auth.errors';
import { CobeePrincipal } from './cobee-principal';
import { decodeJwt } from './jwt.decoder';
import { ClaimsPolicy, validateTokenClaims } from './token-claims.validator';
import { validateTokenHeader, ValidatedHeader } from './token-header.validator';

/** Everything checked before a key is looked up. */
export interface InspectionPolicy extends ClaimsPolicy {
  readonly maxTokenBytes: number;
  readonly algorithms: ReadonlySet<string>;
}

/** A token that passed every check that needs no key; its signature is still unverified. */
export interface InspectedToken {
  readonly header: ValidatedHeader;
  readonly principal: CobeePrincipal;
  /** The bytes the signature covers. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

/**
 * Runs every check that needs no key, cheapest first: size, structure, header (algorithm
 * allow-list, type, forbidden parameters, `kid`), then the claims. A token that fails here
 * never causes a key lookup, so junk and foreign tokens cost no key-set fetch.
 *
 * @throws InvalidTokenError for the first failed check
 */
export function inspectToken(token: string, policy: InspectionPolicy, nowSeconds: number): InspectedToken {
  const headers = knownHeadersOf(policy);
  const decoded = decodeJwt(token, policy.maxTokenBytes, (encodedHeader) => headers.has(encodedHeader));
  try {
    const header = headers.get(decoded.encodedHeader) ?? rememberHeader(headers, decoded.encodedHeader, validateTokenHeader(decoded.header, policy.algorithms));
    const principal = validateTokenClaims(decoded.payload, policy, nowSeconds);
    return { header, principal, signingInput: decoded.signingInput, signature: decoded.signature };
  } catch (error) {
    if (error instanceof CobeeAuthError) {
      error.clientId = loggableClientId(decoded.payload.azp);
    }
    throw error;
  }
}

/** Maximum number of header segments remembered per policy. An issuer has a handful of keys, and so of headers. */
const MAX_KNOWN_HEADERS = 64;

/**
 * Header segments that passed validation, per policy (the allowed algorithms differ between
 * configurations). Every token signed with one key has the same header, so decoding and
 * checking it once per key saves work on every new token. Only headers that passed are kept.
 */
const knownHeaders = new WeakMap<InspectionPolicy, Map<string, ValidatedHeader>>();

function knownHeadersOf(policy: InspectionPolicy): Map<string, ValidatedHeader> {
  let headers = knownHeaders.get(policy);
  if (headers === undefined) {
    headers = new Map();
    knownHeaders.set(policy, headers);
  }
  return headers;
}

/** Returns how many header segments are remembered for a policy; tests use it to check the bound. */
export function countKnownHeaders(policy: InspectionPolicy): number {
  return knownHeaders.get(policy)?.size ?? 0;
}

function rememberHeader(headers: Map<string, ValidatedHeader>, encodedHeader: string, header: ValidatedHeader): ValidatedHeader {
  if (headers.size >= MAX_KNOWN_HEADERS) {
    headers.delete(headers.keys().next().value as string);
  }
  headers.set(encodedHeader, header);
  return header;
}

/** Client ids that are safe to write into a log line as they are. */
const LOGGABLE_CLIENT_ID = /^[A-Za-z0-9._@-]{1,128}$/;

/** Returns an unverified `azp` claim when it is safe to log, or undefined. */
function loggableClientId(azp: unknown): string | undefined {
  return typeof azp === 'string' && LOGGABLE_CLIENT_ID.test(azp) ? azp : undefined;
}
