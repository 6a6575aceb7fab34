import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf } from 'class-validator';

const LEGAL_ID = /^[A-Za-z0-9-]+$/;

/** Body of `POST /companies/:companyId/employees`. */
export class CreateEmployeeDto {
  @IsEmail()
  @Length(3, 254)
  email!: string;

  /** National identity number (for example a Spanish DNI or NIE). */
  @IsString()
  @Length(3, 32)
  @Matches(LEGAL_ID, { message: 'legalId may contain only letters, digits and "-"' })
  legalId!: string;

  @IsString()
  @Length(1, 100)
  name!: string;

  @IsString()
  @Length(1, 100)
  surname!: string;

  /** Date of birth, `YYYY-MM-DD`. */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be a date in the form YYYY-MM-DD' })
  birthDate?: string;

  /** The partner's own id for the employee. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  internalId?: string;
}

/** Skips a field's checks only when it is absent; `null` is checked, and fails, like any other value. */
const IfPresent = (): PropertyDecorator => ValidateIf((_dto: object, value: unknown) => value !== undefined);

/**
 * Body of `PATCH /companies/:companyId/employees/:employeeId`: any subset of the creation
 * fields. Unlike `PartialType`, whose `@IsOptional()` also lets `null` through, a field that
 * is present must be valid, so `{ "name": null }` is rejected with 400.
 */
export class UpdateEmployeeDto {
  @IfPresent()
  @IsEmail()
  @Length(3, 254)
  email?: string;

  @IfPresent()
  @IsString()
  @Length(3, 32)
  @Matches(LEGAL_ID, { message: 'legalId may contain only letters, digits and "-"' })
  legalId?: string;

  @IfPresent()
  @IsString()
  @Length(1, 100)
  name?: string;

  @IfPresent()
  @IsString()
  @Length(1, 100)
  surname?: string;

  /** Date of birth, `YYYY-MM-DD`, or null to clear it. */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be a date in the form YYYY-MM-DD' })
  birthDate?: string | null;

  /** The partner's own id for the employee, or null to clear it. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  internalId?: string | null;
}

/** Body of `POST /companies/:companyId/employees/:employeeId/migrate`. */
export class MigrateEmployeeDto {
  /** The company the employee moves to; it must be in the token's scope and in the same corporation. */
  @IsUUID('all')
  targetCompanyId!: string;
}

/** Query of `GET /companies/:companyId/employees`. */
export class ListEmployeesQuery {
  @IsOptional()
  @IsString()
  @Length(1, 254)
  email?: string;

  @IsOptional()
  @IsString()
  @Length(1, 32)
  legalId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  internalId?: string;

  /** Page size. Default: 50. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  /** Rows to skip. Default: 0. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset = 0;
}
