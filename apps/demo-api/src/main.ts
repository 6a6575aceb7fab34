import { Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureDemoApp } from './app.setup';
import { DemoEnvironmentError, readDemoEnvironment } from './config/demo-environment';
import { DOCS_PATH, setupDemoDocs } from './docs/demo-docs.setup';
import { DemoIssuer, startDemoIssuer } from './dev/demo-issuer';
import { buildStartupBanner } from './dev/startup-banner';
import { createHttpAdapter } from './http-adapter';

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

async function bootstrap(): Promise<void> {
  const logger = new Logger('DemoApi');
  const environment = readDemoEnvironment(process.env);
  const logLevels = LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(environment.LOG_LEVEL) + 1);
  Logger.overrideLogger(logLevels);

  const apiUrl = `http://${environment.HOST}:${environment.PORT}`;
  const demoIssuer: DemoIssuer | undefined =
    environment.COBEE_AUTH_ISSUER_URL === undefined
      ? await startDemoIssuer({
          port: environment.DEV_ISSUER_PORT,
          host: environment.HOST,
          audience: environment.COBEE_AUTH_AUDIENCE,
          sharedSecret: environment.DEV_CLIENT_SECRET,
          corsOrigins: [apiUrl, `http://localhost:${environment.PORT}`],
        })
      : undefined;
  const issuerUrl = environment.COBEE_AUTH_ISSUER_URL ?? (demoIssuer as DemoIssuer).issuer.url;

  const app = await NestFactory.create(
    AppModule.forRoot({
      auth: {
        issuerUrl,
        audience: environment.COBEE_AUTH_AUDIENCE,
        ...(environment.COBEE_AUTH_JWKS_URI === undefined ? {} : { jwksUri: environment.COBEE_AUTH_JWKS_URI }),
      },
      databasePath: environment.DATABASE_PATH,
    }),
    createHttpAdapter(environment.HTTP_ADAPTER),
    { logger: logLevels },
  );
  configureDemoApp(app);
  setupDemoDocs(app, { tokenUrl: demoIssuer?.issuer.tokenEndpoint ?? new URL('oauth/token', issuerUrl).href });
  if (demoIssuer !== undefined) {
    app.getHttpServer().on('close', () => void demoIssuer.issuer.stop());
  }
  await app.listen(environment.PORT, environment.HOST);

  logger.log(`Listening on ${apiUrl} (${environment.HTTP_ADAPTER}); API documentation at ${apiUrl}/${DOCS_PATH}`);
  process.stdout.write(
    buildStartupBanner({ apiUrl, issuerUrl, audience: environment.COBEE_AUTH_AUDIENCE, demoIssuer }),
  );
  demoIssuer?.forgetSecrets();
}

bootstrap().catch((error: Error & { code?: string }) => {
  const message =
    error instanceof DemoEnvironmentError
      ? error.message
      : error.code === 'EADDRINUSE'
        ? `Start-up failed: ${error.message}. Another process uses the port: set PORT (API) or DEV_ISSUER_PORT (dev issuer) to a free one.`
        : `Start-up failed: ${error.message}`;
  new Logger('DemoApi').error(message, error instanceof DemoEnvironmentError || error.code === 'EADDRINUSE' ? undefined : error.stack);
  process.exitCode = 1;
  process.exit(1);
});
