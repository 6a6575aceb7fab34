import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import Database from 'better-sqlite3';
import { CompanyContext } from '@cobee/auth';
import { DATABASE } from '../database/database.module';
import { CreateEmployeeDto, ListEmployeesQuery, UpdateEmployeeDto } from './employee.dto';
import { Employee, EmployeePage } from './employee.model';
import { EMPLOYEE_COLUMNS, EmployeeRow, toEmployee } from './employee-row.mapper';

interface ListFilter {
  readonly field: 'email' | 'legalId' | 'internalId';
  readonly column: string;
}

/** The exact-match filters of the employee list, in a fixed order so each combination has one cache key. */
const LIST_FILTERS: readonly ListFilter[] = [
  { field: 'email', column: 'email' },
  { field: 'legalId', column: 'legal_id' },
  { field: 'internalId', column: 'internal_id' },
];

interface ListStatements {
  readonly page: Database.Statement<[Record<string, unknown>], EmployeeRow>;
  readonly count: Database.Statement<[Record<string, unknown>], { total: number }>;
}

/**
 * Employee rows of the current request's company. Every statement filters by the company
 * from `CompanyContext`, which only the auth guards set, so a caller cannot pass another
 * company's id even by mistake. The one exception, `moveToCompany()`, takes its target from
 * the caller, which must have checked it against the token's scope.
 */
@Injectable()
export class EmployeesRepository {
  private readonly selectOne: Database.Statement<[string, string], EmployeeRow>;
  private readonly insert: Database.Statement<[Record<string, unknown>]>;
  private readonly remove: Database.Statement<[string, string]>;
  private readonly listStatements = new Map<string, ListStatements>();

  constructor(
    @Inject(DATABASE) private readonly database: Database.Database,
    private readonly companyContext: CompanyContext,
  ) {
    this.selectOne = database.prepare(`SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE company_id = ? AND id = ?`);
    this.insert = database.prepare(
      `INSERT INTO employees (id, company_id, email, legal_id, name, surname, birth_date, internal_id, created_at)
       VALUES (@id, @companyId, @email, @legalId, @name, @surname, @birthDate, @internalId, @createdAt)`,
    );
    this.remove = database.prepare('DELETE FROM employees WHERE company_id = ? AND id = ?');
  }

  /** Lists the company's employees, oldest first, with optional exact-match filters. */
  list(query: ListEmployeesQuery): EmployeePage {
    const filters = LIST_FILTERS.filter((filter) => query[filter.field] !== undefined);
    const statements = this.listStatementsFor(filters);
    const parameters: Record<string, unknown> = {
      companyId: this.companyContext.companyId,
      limit: query.limit,
      offset: query.offset,
    };
    for (const filter of filters) {
      parameters[filter.field] = query[filter.field];
    }

    const rows = statements.page.all(parameters);
    const { total } = statements.count.get(parameters) as { total: number };
    return { items: rows.map(toEmployee), total, limit: query.limit, offset: query.offset };
  }

  /** Finds one employee of the company. */
  findById(employeeId: string): Employee | undefined {
    const row = this.selectOne.get(this.companyContext.companyId, employeeId.toLowerCase());
    return row === undefined ? undefined : toEmployee(row);
  }

  /**
   * Creates an employee in the company.
   *
   * @throws ConflictException when the email or legal id already exists in the company
   */
  create(input: CreateEmployeeDto): Employee {
    const id = randomUUID();
    this.runUnique(() =>
      this.insert.run({
        id,
        companyId: this.companyContext.companyId,
        email: input.email,
        legalId: input.legalId,
        name: input.name,
        surname: input.surname,
        birthDate: input.birthDate ?? null,
        internalId: input.internalId ?? null,
        createdAt: new Date().toISOString(),
      }),
    );
    return this.findById(id) as Employee;
  }

  /**
   * Changes the given fields of one employee of the company.
   *
   * Returns the updated employee, or undefined when the company has no such employee.
   * @throws ConflictException when the new email or legal id already exists in the company
   */
  update(employeeId: string, changes: UpdateEmployeeDto): Employee | undefined {
    const columns: Record<keyof UpdateEmployeeDto, string> = {
      email: 'email',
      legalId: 'legal_id',
      name: 'name',
      surname: 'surname',
      birthDate: 'birth_date',
      internalId: 'internal_id',
    };
    const assignments = (Object.keys(columns) as Array<keyof UpdateEmployeeDto>)
      .filter((field) => changes[field] !== undefined)
      .map((field) => `${columns[field]} = @${field}`);
    if (assignments.length > 0) {
      this.runUnique(() =>
        this.database
          .prepare(`UPDATE employees SET ${assignments.join(', ')} WHERE company_id = @companyId AND id = @employeeId`)
          .run({ ...changes, companyId: this.companyContext.companyId, employeeId: employeeId.toLowerCase() }),
      );
    }
    return this.findById(employeeId);
  }

  /** Deletes one employee of the company; returns false when the company has no such employee. */
  delete(employeeId: string): boolean {
    return this.remove.run(this.companyContext.companyId, employeeId.toLowerCase()).changes === 1;
  }

  /**
   * Moves one employee of the company to `targetCompanyId`, which the caller has checked.
   *
   * Returns the moved employee, or undefined when the company has no such employee.
   * @throws ConflictException when the target company already has the email or legal id
   */
  moveToCompany(employeeId: string, targetCompanyId: string): Employee | undefined {
    const result = this.runUnique(() =>
      this.database
        .prepare('UPDATE employees SET company_id = ? WHERE company_id = ? AND id = ?')
        .run(targetCompanyId, this.companyContext.companyId, employeeId.toLowerCase()),
    );
    if (result.changes !== 1) {
      return undefined;
    }
    const row = this.selectOne.get(targetCompanyId, employeeId.toLowerCase());
    return row === undefined ? undefined : toEmployee(row);
  }

  /** Prepares the page and count statements for one combination of filters, once. */
  private listStatementsFor(filters: readonly ListFilter[]): ListStatements {
    const key = filters.map((filter) => filter.field).join(',');
    let statements = this.listStatements.get(key);
    if (statements === undefined) {
      const where = ['company_id = @companyId', ...filters.map((filter) => `${filter.column} = @${filter.field}`)].join(' AND ');
      statements = {
        page: this.database.prepare(`SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE ${where} ORDER BY created_at, id LIMIT @limit OFFSET @offset`),
        count: this.database.prepare(`SELECT COUNT(*) AS total FROM employees WHERE ${where}`),
      };
      this.listStatements.set(key, statements);
    }
    return statements;
  }

  /**
   * Runs a write and maps constraint failures caused by the request's values: a duplicate to
   * 409, a missing required value to 400. Other database errors stay server errors.
   */
  private runUnique<T>(statement: () => T): T {
    try {
      return statement();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_CONSTRAINT_UNIQUE') {
        const field = (error as Error).message.includes('legal_id') ? 'legalId' : 'email';
        throw new ConflictException(`An employee with this ${field} already exists in the company`);
      }
      if (code === 'SQLITE_CONSTRAINT_NOTNULL') {
        throw new BadRequestException('A required employee field is missing');
      }
      throw error;
    }
  }
}
