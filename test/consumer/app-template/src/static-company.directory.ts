import { Injectable } from '@nestjs/common';
import { CompanyDirectory, CompanyRecord } from '@cobee/auth';

/** Company ids of the consumer app's fixed data. */
export const COMPANIES = {
  acme: '11111111-1111-4111-8111-111111111111',
  globex: '22222222-2222-4222-8222-222222222222',
} as const;

/** A company directory backed by a constant list, as a consumer would back one by its database. */
@Injectable()
export class StaticCompanyDirectory extends CompanyDirectory {
  private readonly companies = new Map<string, CompanyRecord>([
    [COMPANIES.acme, { id: COMPANIES.acme, corporationId: null }],
    [COMPANIES.globex, { id: COMPANIES.globex, corporationId: null }],
  ]);

  findCompany(companyId: string): CompanyRecord | undefined {
    return this.companies.get(companyId);
  }
}
