/** An employee as the API returns it. */
export interface Employee {
  readonly id: string;
  readonly companyId: string;
  readonly email: string;
  readonly legalId: string;
  readonly name: string;
  readonly surname: string;
  readonly birthDate: string | null;
  readonly internalId: string | null;
  readonly createdAt: string;
}

/** One page of employees. */
export interface EmployeePage {
  readonly items: Employee[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}
