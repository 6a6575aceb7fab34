import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CobeeAuthModule, CobeeAuthModuleOptions } from '@cobee/auth';
import { CompaniesModule } from './companies/companies.module';
import { DemoSettings } from './config/demo-settings';
import { DatabaseModule } from './database/database.module';
import { EmployeesModule } from './employees/employees.module';
import { HealthModule } from './health/health.module';
import { OAuthModule } from './oauth/oauth.module';

/**
 * The demo API: company-scoped companies and employees, protected by `CobeeAuthModule` with
 * global guards, and the Cobee-style token endpoint `POST /oauth/token`.
 */
@Module({})
export class AppModule {
  static forRoot(settings: DemoSettings): DynamicModule {
    const audiences = settings.auth.audience;
    const tokenAudience = Array.isArray(audiences) ? audiences[0] : audiences;
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ auth: settings.auth })] }),
        CobeeAuthModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => config.getOrThrow<CobeeAuthModuleOptions>('auth'),
          globalGuards: true,
        }),
        DatabaseModule.forRoot(settings.databasePath),
        CompaniesModule,
        EmployeesModule,
        HealthModule,
        OAuthModule.forRoot(settings.auth.issuerUrl, tokenAudience, settings.tokenEndpoint),
      ],
    };
  }
}
