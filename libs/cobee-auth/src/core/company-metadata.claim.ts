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

/**
 * Validates the value of the namespaced claim with class-validator.
 *
 * Returns the names of the invalid fields, or an empty list when the claim is valid.
 */
export function findInvalidMetadataFields(claim: CompanyMetadataClaim): string[] {
  return validateSync(claim, { forbidUnknownValues: true, stopAtFirstError: true }).map((error) => error.property);
}
