import { CobeeAuthModuleOptions } from '@cobee/auth';
import { TokenEndpointSettings } from '../oauth/token-endpoint.settings';

/** Everything the demo application needs, resolved from the environment (or set by tests). */
export interface DemoSettings {
  /** Options handed to `CobeeAuthModule`. */
  readonly auth: CobeeAuthModuleOptions;
  /** SQLite file, or `:memory:`. */
  readonly databasePath: string;
  /** Settings of `POST /oauth/token`; every one has a default. */
  readonly tokenEndpoint?: TokenEndpointSettings;
}
