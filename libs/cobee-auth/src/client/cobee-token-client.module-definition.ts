import { ConfigurableModuleBuilder } from '@nestjs/common';
import { CobeeTokenClientOptions } from './token-client.options';

/** Module-level settings of `CobeeTokenClientModule` that are not client options. */
export interface CobeeTokenClientModuleExtras {
  /** Registers the module globally, so every module can inject `CobeeTokenClient`. Default: false. */
  readonly isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: CobeeTokenClientConfigurableModule,
  MODULE_OPTIONS_TOKEN: COBEE_TOKEN_CLIENT_OPTIONS,
  OPTIONS_TYPE: COBEE_TOKEN_CLIENT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: COBEE_TOKEN_CLIENT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CobeeTokenClientOptions>({ moduleName: 'CobeeTokenClient' })
  .setClassMethodName('forRoot')
  .setExtras<CobeeTokenClientModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal === true,
  }))
  .build();
