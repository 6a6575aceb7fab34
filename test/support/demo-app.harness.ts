import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { CobeeAuthModuleOptions } from '@cobee/auth';
import { DevIssuer, DevIssuerOptions, TokenBuilder } from '@cobee/auth/testing';
import { AppModule } from '../../apps/demo-api/src/app.module';
import { configureDemoApp } from '../../apps/demo-api/src/app.setup';
import { DEFAULT_DEMO_AUDIENCE } from '../../apps/demo-api/src/config/demo-environment';
import { DEMO_CLIENTS } from '../../apps/demo-api/src/dev/demo-data';
import { TokenEndpointSettings } from '../../apps/demo-api/src/oauth/token-endpoint.settings';
import { CapturingLogger } from './capturing.logger';

/** Secret of every demo client in the e2e suites. */
export const TEST_CLIENT_SECRET = 'e2e-client-secret-0123456789';

/** A running demo application with its dev issuer, for one e2e suite. */
export interface DemoAppHarness {
  readonly app: INestApplication;
  readonly issuer: DevIssuer;
  readonly logger: CapturingLogger;
  readonly audience: string;
  /** A supertest client bound to the application's HTTP server. */
  http(): ReturnType<typeof request>;
  /** A valid token for a demo client, minted directly by the issuer. */
  tokenFor(clientId: string): string;
  /** A token builder preset with a demo client's claims. */
  tokenBuilder(clientId: string): TokenBuilder;
  close(): Promise<void>;
}

/** Overrides for {@link startDemoApp}. */
export interface DemoAppOptions {
  /** Extra or replaced `CobeeAuthModule` options. */
  readonly auth?: Partial<CobeeAuthModuleOptions>;
  /** Extra or replaced dev issuer options. */
  readonly issuer?: Partial<DevIssuerOptions>;
  /** An issuer started by the test itself; the harness then does not stop it. */
  readonly existingIssuer?: DevIssuer;
  /** Settings of the demo's `POST /oauth/token`. */
  readonly tokenEndpoint?: TokenEndpointSettings;
}

/**
 * Starts the real demo application (in-memory database, global guards) against a real dev
 * issuer on loopback, with debug logging captured. No part of the token path is mocked.
 */
export async function startDemoApp(options: DemoAppOptions = {}): Promise<DemoAppHarness> {
  const audience = DEFAULT_DEMO_AUDIENCE;
  const issuer =
    options.existingIssuer ??
    (await DevIssuer.start({
      audiences: [audience],
      clients: DEMO_CLIENTS.map((client) => ({ ...client, secret: TEST_CLIENT_SECRET })),
      ...options.issuer,
    }));

  const logger = new CapturingLogger();
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        auth: { issuerUrl: issuer.url, audience, ...options.auth },
        databasePath: ':memory:',
        tokenEndpoint: options.tokenEndpoint,
      }),
    ],
  })
    .setLogger(logger)
    .compile();

  const app = configureDemoApp(moduleRef.createNestApplication({ logger }));
  app.useLogger(logger);
  await app.init();

  return {
    app,
    issuer,
    logger,
    audience,
    http: () => request(app.getHttpServer()),
    tokenFor: (clientId) => issuer.issueToken(clientId),
    tokenBuilder: (clientId) => TokenBuilder.forClient(issuer, clientId),
    close: async () => {
      await app.close();
      if (options.existingIssuer === undefined) {
        await issuer.stop();
      }
    },
  };
}
