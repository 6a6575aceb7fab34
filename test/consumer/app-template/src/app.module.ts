import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CobeeAuthModule, CompanyDirectory } from '@cobee/auth';
import { HealthController } from './health.controller';
import { PayrollController } from './payroll.controller';
import { StaticCompanyDirectory } from './static-company.directory';

/**
 * A consumer's root module: the issuer and audience come from the environment through
 * `ConfigService`, and the guards protect every route.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
    CobeeAuthModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        issuerUrl: config.getOrThrow<string>('AUTH_ISSUER_URL'),
        audience: config.getOrThrow<string>('AUTH_AUDIENCE'),
      }),
      globalGuards: true,
    }),
  ],
  controllers: [PayrollController, HealthController],
  providers: [{ provide: CompanyDirectory, useClass: StaticCompanyDirectory }],
})
export class AppModule {}
