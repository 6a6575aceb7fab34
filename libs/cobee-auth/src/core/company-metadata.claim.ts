import { IsDefined, IsString, IsUUID, ValidateIf, validateSync } from 'class-validator';

/** The namespaced custom claim that ties a token to a company and, optionally, to a corporation. */
export class CompanyMetadataClaim {
  /** The client's company, as a UUID. */
  @IsDefined()
  @IsString()
  @IsUUID('all')
  companyId!: string;

  /** The client's corporation, as a UUID; absent for clients of a single company. `null` is rejected. */
  @ValidateIf((claim: CompanyMetadataClaim) => claim.corporationId !== undefined)
  @IsString()
  @IsUUID('all')
  corporationId?: string;
}

/** Maximum number of distinct valid claims remembered; a client sends the same claim on every token. */
const MAX_REMEMBERED_CLAIMS = 1024;

/** Claims class-validator accepted, keyed by their two string values. */
const acceptedClaims = new Set<string>();

/** Returns how many valid claims are remembered; tests use it to check the bound. */
export function countRememberedClaims(): number {
  return acceptedClaims.size;
}

/**
 * Validates the value of the namespaced claim with class-validator.
 *
 * The result depends only on the two fields, and one client's tokens all carry the same
 * values, so claims that passed are remembered (up to 1024 of them) and not validated again.
 * Only claims whose fields are strings or an absent corporation are remembered; everything
 * else goes through class-validator every time.
 *
 * Returns the names of the invalid fields, or an empty list when the claim is valid.
 */
export function findInvalidMetadataFields(claim: CompanyMetadataClaim): string[] {
  // Length prefixes make the key unambiguous, and keep an absent corporation apart from an empty one.
  const key =
    typeof claim.companyId === 'string' && (claim.corporationId === undefined || typeof claim.corporationId === 'string')
      ? `${claim.companyId.length}:${claim.companyId}|${claim.corporationId === undefined ? '-' : `${claim.corporationId.length}:${claim.corporationId}`}`
      : undefined;
  if (key !== undefined && acceptedClaims.has(key)) {
    return [];
  }

  const invalid = validateSync(claim, { forbidUnknownValues: true, stopAtFirstError: true }).map((error) => error.property);
  if (invalid.length === 0 && key !== undefined) {
    if (acceptedClaims.size >= MAX_REMEMBERED_CLAIMS) {
      acceptedClaims.delete(acceptedClaims.values().next().value as string);
    }
    acceptedClaims.add(key);
  }
  return invalid;
}
