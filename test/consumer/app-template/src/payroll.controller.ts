import { Controller, Get } from '@nestjs/common';
import { CurrentCompany, CurrentPrincipal, RequiredScopes, Unscoped } from '@cobee/auth';
import type { CobeePrincipal } from '@cobee/auth';

@Controller()
export class PayrollController {
  /** The payroll of the company in the path; the guards have checked that the token may reach it. */
  @Get('companies/:companyId/payroll')
  @RequiredScopes('read:payroll')
  payroll(@CurrentCompany() companyId: string): { companyId: string; total: number } {
    return { companyId, total: 1000 };
  }

  /** The calling client, on a route that serves no single company. */
  @Get('me')
  @Unscoped()
  me(@CurrentPrincipal() principal: CobeePrincipal): { clientId: string; companyId: string } {
    return { clientId: principal.clientId, companyId: principal.companyId };
  }
}
