import { CobeeAuthModuleOptions } from '@cobee/auth';

/** Everything the demo application needs, resolved from the environment (or set by tests). */
export interface DemoSettings {
  /** Options handed to `CobeeAuthModule`. */
  readonly auth: CobeeAuthModuleOptions;
  /** SQLite file, or `:memory:`. */
  readonly databasePath: string;
}
