import { Inject, Injectable } from '@nestjs/common';
import Database from 'better-sqlite3';
import { CobeePrincipal, CompanyContext, CompanyDirectory, CompanyRecord } from '@cobee/auth';
import { DATABASE } from '../database/database.module';
import { Company } from './company.model';

interface CompanyRow {
  id: string;
  name: string;
  corporation_id: string | null;
}

function toCompany(row: CompanyRow): Company {
  return { id: row.id, name: row.name, corporationId: row.corporation_id };
}

/**
 * Reads companies. `findCurrent()` takes the company from the request's company context;
 * `findReachable()` lists what a principal may see. It also serves as the library's
 * `CompanyDirectory`.
 */
@Injectable()
export class CompaniesRepository implements CompanyDirectory {
  private readonly selectById: Database.Statement<[string], CompanyRow>;
  private readonly selectByCorporation: Database.Statement<[string, string], CompanyRow>;

  constructor(
    @Inject(DATABASE) database: Database.Database,
    private readonly companyContext: CompanyContext,
  ) {
    this.selectById = database.prepare('SELECT id, name, corporation_id FROM companies WHERE id = ?');
    this.selectByCorporation = database.prepare(
      'SELECT id, name, corporation_id FROM companies WHERE corporation_id = ? OR id = ? ORDER BY name, id',
    );
  }

  /** The company of the current request. */
  findCurrent(): Company | undefined {
    const row = this.selectById.get(this.companyContext.companyId);
    return row === undefined ? undefined : toCompany(row);
  }

  /** The principal's own company and, for a corporation client, every company of its corporation. */
  findReachable(principal: CobeePrincipal): Company[] {
    if (principal.corporationId === undefined) {
      const own = this.selectById.get(principal.companyId);
      return own === undefined ? [] : [toCompany(own)];
    }
    return this.selectByCorporation.all(principal.corporationId, principal.companyId).map(toCompany);
  }

  findCompany(companyId: string): CompanyRecord | undefined {
    const row = this.selectById.get(companyId);
    return row === undefined ? undefined : { id: row.id, corporationId: row.corporation_id };
  }
}
