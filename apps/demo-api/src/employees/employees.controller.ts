import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { CobeePrincipal, CompanyAccessService, CurrentCompany, CurrentPrincipal, normalizeCompanyId, RequiredScopes } from '@cobee/auth';
import { CompaniesRepository } from '../companies/companies.repository';
import { DEMO_SCOPES } from '../dev/demo-data';
import { CreateEmployeeDto, ListEmployeesQuery, MigrateEmployeeDto, UpdateEmployeeDto } from './employee.dto';
import { Employee, EmployeePage } from './employee.model';
import { EmployeesRepository } from './employees.repository';

const EMPLOYEE_ID = new ParseUUIDPipe({ version: undefined });

/**
 * Employees of one company. The route's `:companyId` scopes every handler, and the
 * repository reads the company from the company context, so no handler passes it on.
 */
@Controller('companies/:companyId/employees')
export class EmployeesController {
  constructor(
    private readonly employees: EmployeesRepository,
    private readonly companies: CompaniesRepository,
    private readonly companyAccess: CompanyAccessService,
  ) {}

  @Get()
  @RequiredScopes(DEMO_SCOPES.readEmployees)
  list(@Query() query: ListEmployeesQuery): EmployeePage {
    return this.employees.list(query);
  }

  @Post()
  @HttpCode(201)
  @RequiredScopes(DEMO_SCOPES.writeEmployees)
  create(@Body() body: CreateEmployeeDto): { id: string } {
    return { id: this.employees.create(body).id };
  }

  @Get(':employeeId')
  @RequiredScopes(DEMO_SCOPES.readEmployees)
  get(@Param('employeeId', EMPLOYEE_ID) employeeId: string): Employee {
    return this.found(this.employees.findById(employeeId));
  }

  @Patch(':employeeId')
  @HttpCode(204)
  @RequiredScopes(DEMO_SCOPES.writeEmployees)
  update(@Param('employeeId', EMPLOYEE_ID) employeeId: string, @Body() body: UpdateEmployeeDto): void {
    this.found(this.employees.update(employeeId, body));
  }

  @Delete(':employeeId')
  @HttpCode(204)
  @RequiredScopes(DEMO_SCOPES.writeEmployees)
  remove(@Param('employeeId', EMPLOYEE_ID) employeeId: string): void {
    if (!this.employees.delete(employeeId)) {
      throw new NotFoundException('Employee not found in this company');
    }
  }

  /**
   * Moves an employee to another company of the same corporation. Both companies must be in
   * the token's scope; otherwise the answer is 403 and nothing changes.
   */
  @Post(':employeeId/migrate')
  @HttpCode(200)
  @RequiredScopes(DEMO_SCOPES.writeEmployees)
  async migrate(
    @Param('employeeId', EMPLOYEE_ID) employeeId: string,
    @Body() body: MigrateEmployeeDto,
    @CurrentCompany() sourceCompanyId: string,
    @CurrentPrincipal() principal: CobeePrincipal,
  ): Promise<Employee> {
    const targetCompanyId = normalizeCompanyId(body.targetCompanyId, 'body field "targetCompanyId"');
    if (targetCompanyId === sourceCompanyId) {
      throw new ForbiddenException('The employee already belongs to the target company');
    }
    await this.companyAccess.assertAccess(principal, targetCompanyId, 'EmployeesController.migrate');

    const source = this.companies.findCompany(sourceCompanyId);
    const target = this.companies.findCompany(targetCompanyId);
    if (source?.corporationId === null || source?.corporationId !== target?.corporationId) {
      throw new ForbiddenException('Employees can move only between companies of the same corporation');
    }
    return this.found(this.employees.moveToCompany(employeeId, targetCompanyId));
  }

  private found<T>(value: T | undefined): T {
    if (value === undefined) {
      throw new NotFoundException('Employee not found in this company');
    }
    return value;
  }
}
