import { InvalidTokenError } from './cobee-auth.errors';
import { CobeePrincipal } from './cobee-principal';
import { CompanyMetadataClaim, findInvalidMetadataFields } from './company-metadata.claim';

/** The settings the claims checks need, already validated by the options resolver. */
export interface ClaimsPolicy {
  readonly issuer: string;
  readonly audiences: ReadonlySet<string>;
  readonly allowedGrantTypes: ReadonlySet<string>;
  readonly claimNamespace: string;
  /** Allowed clock skew, in seconds, applied to `exp`, `nbf` and `iat` alike. */
  readonly clockToleranceSeconds: number;
  /** Maximum accepted age of a token, in seconds since its `iat`, or undefined for no limit. */
  readonly maxTokenAgeSeconds: number | undefined;
}

/** The latest NumericDate accepted: 9999-12-31T23:59:59Z, in seconds. */
const MAX_NUMERIC_DATE = 253_402_300_799;

/** C0 and C1 control characters and DEL, which no client id or subject contains. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** The longest accepted `sub`, `azp` or `gty`, in characters. */
const MAX_IDENTIFIER_LENGTH = 255;

/** Maximum number of audiences in an `aud` array. */
const MAX_AUDIENCES = 32;

/** Maximum number of scopes in `scope` and `permissions` together. */
const MAX_SCOPES = 256;

/**
 * Validates the claims of a decoded token, in a fixed order (issuer, audience, time claims,
 * grant type, subject, client, scopes, company claim), and builds the principal. It needs no
 * key, so the verifier runs it before any key lookup.
 *
 * @param payload the decoded, not yet verified, payload
 * @param policy the expected issuer, audiences and limits
 * @param nowSeconds the current time, in seconds since the Unix epoch
 * @throws InvalidTokenError with the claim name for the first failed check
 */
export function validateTokenClaims(
  payload: Readonly<Record<string, unknown>>,
  policy: ClaimsPolicy,
  nowSeconds: number,
): CobeePrincipal {
  if (ownClaim(payload, 'iss') !== policy.issuer) {
    throw new InvalidTokenError('ERR_JWT_CLAIM_INVALID', 'Claim "iss" does not equal the configured issuer', 'iss');
  }
  checkAudience(ownClaim(payload, 'aud'), policy.audiences);
  const expiresAt = checkTimeClaims(payload, policy, nowSeconds);

  const grantType = ownClaim(payload, 'gty');
  if (typeof grantType !== 'string' || !policy.allowedGrantTypes.has(grantType)) {
    throw new InvalidTokenError('ERR_JWT_CLAIM_INVALID', 'Claim "gty" is missing or not an allowed grant type', 'gty');
  }
  const subject = requireIdentifier(payload, 'sub');
  const clientId = requireIdentifier(payload, 'azp');
  const scopes = collectScopes(payload);
  const metadata = readCompanyMetadata(payload, policy.claimNamespace);

  return Object.freeze({
    clientId,
    subject,
    companyId: metadata.companyId.toLowerCase(),
    corporationId: metadata.corporationId?.toLowerCase(),
    grantType,
    scopes,
    expiresAt,
    claims: deepFreeze({ ...payload }),
  });
}

/**
 * Checks `exp`, `nbf` and `iat` against the clock with the same tolerance, and `iat` against
 * the maximum token age. The verified-token cache calls it again on every hit.
 *
 * Returns `exp`.
 * @throws InvalidTokenError `ERR_JWT_EXPIRED`, `ERR_JWT_NOT_YET_VALID`, `ERR_JWT_TOO_OLD` or `ERR_JWT_CLAIM_INVALID`
 */
export function checkTimeClaims(
  payload: Readonly<Record<string, unknown>>,
  policy: Pick<ClaimsPolicy, 'clockToleranceSeconds' | 'maxTokenAgeSeconds'>,
  nowSeconds: number,
): number {
  const tolerance = policy.clockToleranceSeconds;
  const expiresAt = requireNumericDate(payload, 'exp');
  const issuedAt = requireNumericDate(payload, 'iat');

  if (expiresAt <= nowSeconds - tolerance) {
    throw new InvalidTokenError('ERR_JWT_EXPIRED', 'Claim "exp" is in the past');
  }
  if (Object.hasOwn(payload, 'nbf')) {
    const notBefore = requireNumericDate(payload, 'nbf');
    if (notBefore > nowSeconds + tolerance) {
      throw new InvalidTokenError('ERR_JWT_NOT_YET_VALID', 'Claim "nbf" is in the future');
    }
  }
  if (issuedAt > nowSeconds + tolerance) {
    throw new InvalidTokenError('ERR_JWT_CLAIM_INVALID', 'Claim "iat" is in the future', 'iat');
  }
  if (expiresAt < issuedAt) {
    throw new InvalidTokenError('ERR_JWT_CLAIM_INVALID', 'Claim "exp" is before "iat"', 'exp');
  }
  if (policy.maxTokenAgeSeconds !== undefined && nowSeconds - issuedAt > policy.maxTokenAgeSeconds + tolerance) {
    throw new InvalidTokenError('ERR_JWT_TOO_OLD', 'Claim "iat" is older than the maximum token age');
  }
  return expiresAt;
}

function checkAudience(audience: unknown, accepted: ReadonlySet<string>): void {
  const audiences = typeof audience === 'string' ? [audience] : audience;
  const wellFormed =
    Array.isArray(audiences) &&
    audiences.length > 0 &&
    audiences.length <= MAX_AUDIENCES &&
    audiences.every((value) => typeof value === 'string');
  if (!wellFormed || !audiences.some((value: string) => accepted.has(value))) {
    throw new InvalidTokenError('ERR_JWT_CLAIM_INVALID', 'Claim "aud" does not name a configured audience', 'aud');
  }
}

function requireNumericDate(payload: Readonly<Record<string, unknown>>, claim: 'exp' | 'nbf' | 'iat'): number {
  const value = ownClaim(payload, claim);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_NUMERIC_DATE) {
    throw new InvalidTokenError('ERR_JWT_CLAIM_INVALID', `Claim "${claim}" is missing or not a valid NumericDate`, claim);
  }
  return value;
}

function requireIdentifier(payload: Readonly<Record<string, unknown>>, claim: 'sub' | 'azp'): string {
  const value = ownClaim(payload, claim);
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > MAX_IDENTIFIER_LENGTH ||
    CONTROL_CHARACTERS.test(value)
  ) {
    throw new InvalidTokenError('ERR_JWT_CLAIM_INVALID', `Claim "${claim}" is missing or not a valid string`, claim);
  }
  return value;
}

function collectScopes(payload: Readonly<Record<string, unknown>>): readonly string[] {
  const scopes = new Set<string>();

  if (Object.hasOwn(payload, 'scope')) {
    const scope = payload.scope;
    if (typeof scope !== 'string') {
      throw new InvalidTokenError('ERR_JWT_CLAIM_INVALID', 'Claim "scope" is not a string', 'scope');
    }
    for (const name of scope.split(' ')) {
      if (name !== '') {
        scopes.add(name);
      }
    }
  }

  if (Object.hasOwn(payload, 'permissions')) {
    const permissions = payload.permissions;
    if (!Array.isArray(permissions) || !permissions.every((name) => typeof name === 'string' && name !== '')) {
      throw new InvalidTokenError('ERR_JWT_CLAIM_INVALID', 'Claim "permissions" is not a list of strings', 'permissions');
    }
    for (const name of permissions as string[]) {
      scopes.add(name);
    }
  }

  if (scopes.size > MAX_SCOPES) {
    throw new InvalidTokenError('ERR_JWT_CLAIM_INVALID', `Token carries more than ${MAX_SCOPES} scopes`, 'scope');
  }
  return Object.freeze([...scopes]);
}

function readCompanyMetadata(payload: Readonly<Record<string, unknown>>, namespace: string): CompanyMetadataClaim {
  const raw = ownClaim(payload, namespace);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidTokenError('ERR_JWT_CLAIM_INVALID', 'The company claim is missing or not an object', namespace);
  }

  // Copy only the two known fields, as own properties, so inherited or extra members play no part.
  const source = raw as Record<string, unknown>;
  const claim = new CompanyMetadataClaim();
  claim.companyId = (Object.hasOwn(source, 'companyId') ? source.companyId : undefined) as string;
  if (Object.hasOwn(source, 'corporationId')) {
    claim.corporationId = source.corporationId as string;
  }

  const invalidFields = findInvalidMetadataFields(claim);
  if (invalidFields.length > 0) {
    throw new InvalidTokenError(
      'ERR_JWT_CLAIM_INVALID',
      `The company claim has invalid fields: ${invalidFields.join(', ')}`,
      namespace,
    );
  }
  return claim;
}

/**
 * Reads a claim only when it is the payload's own member, so a name such as `constructor`
 * or `toString` never resolves to something inherited from `Object.prototype`.
 */
function ownClaim(payload: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(payload, name) ? payload[name] : undefined;
}

function deepFreeze<T extends object>(value: T): T {
  Object.freeze(value);
  for (const key of Object.keys(value)) {
    const child: unknown = (value as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) {
      deepFreeze(child);
    }
  }
  return value;
}
