import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import { openDemoDatabase } from './demo-database';

/** Injection token of the demo's better-sqlite3 connection. */
export const DATABASE = Symbol('DEMO:DATABASE');

/** Provides the demo's SQLite database, created and seeded when the module starts. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseModule.name);

  constructor(@Inject(DATABASE) private readonly database: Database.Database) {}

  /** @param path a file path, or `:memory:` for a database that lives as long as the process */
  static forRoot(path: string): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DATABASE, useFactory: () => openDemoDatabase(path) }],
      exports: [DATABASE],
    };
  }

  onApplicationShutdown(): void {
    this.database.close();
    this.logger.log('Database closed');
  }
}
