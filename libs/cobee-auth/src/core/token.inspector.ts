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
  const decoded = decodeJwt(token, policy.maxTokenBytes);
  try {
    const header = validateTokenHeader(decoded.header, policy.algorithms);
    const principal = validateTokenClaims(decoded.payload, policy, nowSeconds);
    return { header, principal, signingInput: decoded.signingInput, signature: decoded.signature };
  } catch (error) {
    if (error instanceof CobeeAuthError) {
      error.clientId = loggableClientId(decoded.payload.azp);
    }
    throw error;
  }
}

/** Client ids that are safe to write into a log line as they are. */
const LOGGABLE_CLIENT_ID = /^[A-Za-z0-9._@-]{1,128}$/;

/** Returns an unverified `azp` claim when it is safe to log, or undefined. */
function loggableClientId(azp: unknown): string | undefined {
  return typeof azp === 'string' && LOGGABLE_CLIENT_ID.test(azp) ? azp : undefined;
}
