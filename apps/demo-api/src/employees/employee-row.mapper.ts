import { Employee } from './employee.model';

/** A row of the `employees` table, as better-sqlite3 returns it. */
export interface EmployeeRow {
  id: string;
  company_id: string;
  email: string;
  legal_id: string;
  name: string;
  surname: string;
  birth_date: string | null;
  internal_id: string | null;
  created_at: string;
}

/** The columns of an `EmployeeRow`, in table order, for SELECT statements. */
export const EMPLOYEE_COLUMNS = 'id, company_id, email, legal_id, name, surname, birth_date, internal_id, created_at';

/** Maps a table row to the API's employee shape. */
export function toEmployee(row: EmployeeRow): Employee {
  return {
    id: row.id,
    companyId: row.company_id,
    email: row.email,
    legalId: row.legal_id,
    name: row.name,
    surname: row.surname,
    birthDate: row.birth_date,
    internalId: row.internal_id,
    createdAt: row.created_at,
  };
}
