import { Logger, Module } from '@nestjs/common';
import { CobeeTokenClient } from './cobee-token.client';
import { CobeeTokenClientConfigurableModule, COBEE_TOKEN_CLIENT_OPTIONS } from './cobee-token-client.module-definition';
import { CobeeTokenClientOptions } from './token-client.options';

/**
 * Provides `CobeeTokenClient` as an injectable: `CobeeTokenClientModule.forRoot(options)` or
 * `forRootAsync({ imports, inject, useFactory })`, plus `isGlobal: true` to share it with
 * every module. Unless the options name a logger, the client logs through Nest's `Logger`
 * under the context `CobeeTokenClient`. Invalid options stop the application at start-up.
 */
@Module({
  providers: [
    {
      provide: CobeeTokenClient,
      inject: [COBEE_TOKEN_CLIENT_OPTIONS],
      useFactory: (options: CobeeTokenClientOptions) =>
        new CobeeTokenClient({ logger: new Logger(CobeeTokenClient.name), ...withoutExtras(options) }),
    },
  ],
  exports: [CobeeTokenClient],
})
export class CobeeTokenClientModule extends CobeeTokenClientConfigurableModule {}

/** Nest passes the module extras (`isGlobal`) along with the options; the client would reject them as unknown. */
function withoutExtras(options: CobeeTokenClientOptions): CobeeTokenClientOptions {
  const { isGlobal: _isGlobal, ...clientOptions } = options as CobeeTokenClientOptions & { isGlobal?: unknown };
  return clientOptions;
}
