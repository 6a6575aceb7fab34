import { Controller, Get, Module, Param, Query } from '@nestjs/common';
import { CompanyContext, normalizeCompanyId, Public } from '@cobee/auth';
import { EmployeePage } from '../../apps/demo-api/src/employees/employee.model';
import { ListEmployeesQuery } from '../../apps/demo-api/src/employees/employee.dto';
import { EmployeesModule } from '../../apps/demo-api/src/employees/employees.module';
import { EmployeesRepository } from '../../apps/demo-api/src/employees/employees.repository';

/**
 * Scenario (e) of the benchmark: the demo's employee list without authentication. It runs the
 * same query DTO, repository and response as `GET /companies/:companyId/employees`, with the
 * company taken from the path instead of a token, so that (b)/(e) and (c)/(e) isolate what
 * authentication and the company scope cost on that route. Benchmark code only: it puts a
 * request value into the company context, which the library itself never does.
 */
@Controller('bench-public/companies/:companyId/employees')
@Public()
export class PublicEmployeesController {
  constructor(
    private readonly employees: EmployeesRepository,
    private readonly companyContext: CompanyContext,
  ) {}

  @Get()
  list(@Param('companyId') companyId: string, @Query() query: ListEmployeesQuery): EmployeePage {
    const canonical = normalizeCompanyId(companyId, 'path parameter "companyId"');
    return this.companyContext.runWithState({ companyId: canonical }, () => this.employees.list(query));
  }
}

/** Adds scenario (e) to the benchmark's demo application. */
@Module({ imports: [EmployeesModule], controllers: [PublicEmployeesController] })
export class PublicEmployeesModule {}
