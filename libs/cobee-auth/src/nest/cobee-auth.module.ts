import { Logger, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JwksKeyStore } from '../keys/jwks-key.store';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { resolveCobeeAuthConfig } from '../options/cobee-auth-options.validator';
import { CobeeAuthGuard } from './cobee-auth.guard';
import { CobeeAuthConfigurableModule, COBEE_AUTH_MODULE_OPTIONS } from './cobee-auth.module-definition';
import { COBEE_AUTH_CONFIG } from './cobee-auth.tokens';
import { CobeeJwtStrategy } from './cobee-jwt.strategy';
import { CompanyAccessService } from './company-access.service';
import { CompanyContextMiddleware } from './company-context.middleware';
import { CompanyContext } from './company-context.service';
import { CompanyScopeGuard } from './company-scope.guard';
import { OptionsRequestMiddleware } from './options-request.middleware';
import { RouteAuditService } from './route-audit.service';
import { TokenVerifier } from './token-verifier.service';

/**
 * Protects a company-scoped API with client-credentials access tokens.
 *
 * `CobeeAuthModule.forRoot(options)` or `forRootAsync({ imports, inject, useFactory })`; add
 * `globalGuards: true` to protect every route. The module is global, so guards, decorators
 * and `CompanyContext` work in every module of the application. Invalid options stop the
 * application at start-up.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: COBEE_AUTH_CONFIG,
      inject: [COBEE_AUTH_MODULE_OPTIONS],
      useFactory: resolveCobeeAuthConfig,
    },
    {
      provide: JwksKeyStore,
      inject: [COBEE_AUTH_CONFIG],
      useFactory: (config: CobeeAuthConfig) =>
        new JwksKeyStore(
          {
            jwksUri: config.jwksUri,
            cacheMaxAgeMs: config.jwksCacheMaxAgeMs,
            cooldownMs: config.jwksCooldownMs,
            retryAfterFailureMs: config.jwksRetryAfterFailureMs,
            staleGraceMs: config.jwksStaleGraceMs,
            requestTimeoutMs: config.jwksRequestTimeoutMs,
            maxResponseBytes: config.jwksMaxResponseBytes,
            maxKeys: config.jwksMaxKeys,
            clock: config.clock,
          },
          new Logger('CobeeAuthKeySet'),
        ),
    },
    CobeeJwtStrategy,
    TokenVerifier,
    CompanyAccessService,
    CompanyContext,
    CobeeAuthGuard,
    CompanyScopeGuard,
    RouteAuditService,
    OptionsRequestMiddleware,
    CompanyContextMiddleware,
  ],
  exports: [
    COBEE_AUTH_CONFIG,
    JwksKeyStore,
    TokenVerifier,
    CobeeJwtStrategy,
    CompanyAccessService,
    CompanyContext,
    CobeeAuthGuard,
    CompanyScopeGuard,
  ],
})
export class CobeeAuthModule extends CobeeAuthConfigurableModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CompanyContextMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
    consumer.apply(OptionsRequestMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.OPTIONS });
  }
}
