import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { SEED_COMPANIES, SEED_CORPORATIONS, SEED_EMPLOYEES } from './seed-data';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS corporations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS companies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    corporation_id TEXT REFERENCES corporations (id)
  );
  CREATE TABLE IF NOT EXISTS employees (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies (id),
    email TEXT NOT NULL COLLATE NOCASE,
    legal_id TEXT NOT NULL COLLATE NOCASE,
    name TEXT NOT NULL,
    surname TEXT NOT NULL,
    birth_date TEXT,
    internal_id TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (company_id, email),
    UNIQUE (company_id, legal_id)
  );
  CREATE INDEX IF NOT EXISTS employees_by_company ON employees (company_id, created_at, id);
`;

/**
 * Opens the demo database, creates the schema and inserts the seed rows that are missing.
 *
 * @param path a file path (its folder is created), or `:memory:`
 */
export function openDemoDatabase(path: string): Database.Database {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
  }
  const database = new Database(path);
  database.pragma('foreign_keys = ON');
  if (path !== ':memory:') {
    database.pragma('journal_mode = WAL');
  }
  database.exec(SCHEMA);
  seed(database);
  new Logger('DemoDatabase').log(`Database ready at ${path}`);
  return database;
}

function seed(database: Database.Database): void {
  const insertCorporation = database.prepare('INSERT OR IGNORE INTO corporations (id, name) VALUES (@id, @name)');
  const insertCompany = database.prepare(
    'INSERT OR IGNORE INTO companies (id, name, corporation_id) VALUES (@id, @name, @corporationId)',
  );
  const insertEmployee = database.prepare(
    `INSERT OR IGNORE INTO employees (id, company_id, email, legal_id, name, surname, birth_date, internal_id, created_at)
     VALUES (@id, @companyId, @email, @legalId, @name, @surname, @birthDate, @internalId, @createdAt)`,
  );
  database.transaction(() => {
    SEED_CORPORATIONS.forEach((row) => insertCorporation.run(row));
    SEED_COMPANIES.forEach((row) => insertCompany.run(row));
    SEED_EMPLOYEES.forEach((row, index) =>
      insertEmployee.run({ ...row, createdAt: new Date(Date.UTC(2026, 0, 1, 9, index)).toISOString() }),
    );
  })();
}
