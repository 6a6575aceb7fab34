import { Controller, Get, NotFoundException } from '@nestjs/common';
import { CobeePrincipal, CurrentPrincipal, RequiredScopes, Unscoped } from '@cobee/auth';
import { DEMO_SCOPES } from '../dev/demo-data';
import { CompaniesRepository } from './companies.repository';
import { Company } from './company.model';

@Controller('companies')
@RequiredScopes(DEMO_SCOPES.readCompanies)
export class CompaniesController {
  constructor(private readonly companies: CompaniesRepository) {}

  /** Lists the companies the token may reach: its own, or every company of its corporation. */
  @Get()
  @Unscoped()
  list(@CurrentPrincipal() principal: CobeePrincipal): Company[] {
    return this.companies.findReachable(principal);
  }

  /** Returns the scoped company. */
  @Get(':companyId')
  get(): Company {
    const company = this.companies.findCurrent();
    if (company === undefined) {
      throw new NotFoundException('Company not found');
    }
    return company;
  }
}
