import { CompanyRecord } from '../core/company-scope.policy';

/**
 * Tells the library which companies exist and which corporation each belongs to. Register an
 * implementation anywhere in the application, for example
 * `{ provide: CompanyDirectory, useClass: DatabaseCompanyDirectory }`; the module finds it at
 * start-up. Without one, a token reaches only its own company.
 */
export abstract class CompanyDirectory {
  /**
   * Looks up a company by its lower-case UUID.
   *
   * Returns the company, or undefined or null when no company has this id.
   */
  abstract findCompany(companyId: string): Promise<CompanyRecord | null | undefined> | CompanyRecord | null | undefined;
}
