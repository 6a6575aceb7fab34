import { ConfigurableModuleBuilder, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CobeeAuthModuleExtras, CobeeAuthModuleOptions } from '../options/cobee-auth-options.interface';
import { CobeeAuthGuard } from './cobee-auth.guard';
import { CompanyScopeGuard } from './company-scope.guard';
import { GLOBAL_GUARDS_ENABLED } from './route-audit.service';

/**
 * Application guards for `globalGuards: true`. They are registered with `useClass`, so Nest
 * creates real instances; they run in this order, authentication first.
 */
function guardProviders(globalGuards: boolean): Provider[] {
  const providers: Provider[] = [{ provide: GLOBAL_GUARDS_ENABLED, useValue: globalGuards }];
  if (globalGuards) {
    providers.push({ provide: APP_GUARD, useClass: CobeeAuthGuard }, { provide: APP_GUARD, useClass: CompanyScopeGuard });
  }
  return providers;
}

export const {
  ConfigurableModuleClass: CobeeAuthConfigurableModule,
  MODULE_OPTIONS_TOKEN: COBEE_AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE: COBEE_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: COBEE_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CobeeAuthModuleOptions>({ moduleName: 'CobeeAuth' })
  .setClassMethodName('forRoot')
  .setExtras<CobeeAuthModuleExtras>({ globalGuards: false }, (definition, extras) => ({
    ...definition,
    global: true,
    providers: [...(definition.providers ?? []), ...guardProviders(extras.globalGuards === true)],
  }))
  .build();
