import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CobeeAuthModuleOptions, JwksKeyStore } from '@cobee/auth';
import { createCobeeAuthTestingModule, DevIssuer, DevIssuerOptions, TokenBuilder } from '@cobee/auth/testing';
import { AppModule } from '../../apps/demo-api/src/app.module';
import { configureDemoApp } from '../../apps/demo-api/src/app.setup';
import { DEFAULT_DEMO_AUDIENCE } from '../../apps/demo-api/src/config/demo-environment';
import { DEMO_CLIENTS } from '../../apps/demo-api/src/dev/demo-data';
import { setupDemoDocs } from '../../apps/demo-api/src/docs/demo-docs.setup';
import { createHttpAdapter, HTTP_ADAPTERS, HttpAdapterName, waitForHttpServer } from '../../apps/demo-api/src/http-adapter';
import { TokenEndpointSettings } from '../../apps/demo-api/src/oauth/token-endpoint.settings';
import { CapturingLogger } from './capturing.logger';

/**
 * The HTTP platforms every e2e suite runs on, for `describe.each(ADAPTERS)`:
 *
 *     describe.each(ADAPTERS)('demo API on %s (e2e)', (adapter) => {
 *       beforeAll(async () => { harness = await startDemoApp({ adapter }); });
 *     });
 */
export const ADAPTERS: readonly HttpAdapterName[] = HTTP_ADAPTERS;

export type { HttpAdapterName };

/** Secret of every demo client in the e2e suites. */
export const TEST_CLIENT_SECRET = 'e2e-client-secret-0123456789';

/** A running demo application with its dev issuer, for one e2e suite. */
export interface DemoAppHarness {
  readonly app: INestApplication;
  readonly issuer: DevIssuer;
  readonly logger: CapturingLogger;
  readonly audience: string;
  readonly adapter: HttpAdapterName;
  /** The application's key store, for key-set state and counters. */
  readonly keyStore: JwksKeyStore;
  /** `http://127.0.0.1:<port>` when the harness was started with `listen: true`. */
  readonly baseUrl: string | undefined;
  /** A supertest client bound to the application's HTTP server. */
  http(): ReturnType<typeof request>;
  /** A valid token for a demo client, minted directly by the issuer. */
  tokenFor(clientId: string): string;
  /** A token builder preset with a demo client's claims. */
  tokenBuilder(clientId: string): TokenBuilder;
  /** Resolves once the start-up key-set fetch has logged its outcome. */
  waitForKeySetWarmUp(timeoutMs?: number): Promise<void>;
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
  /** HTTP platform. Default: `express`. */
  readonly adapter?: HttpAdapterName;
  /** Serves Swagger UI at `/docs` and the OpenAPI document at `/docs-json`. Default: false. */
  readonly docs?: boolean;
  /** Listen on a free loopback port, for clients other than supertest. Default: false. */
  readonly listen?: boolean;
}

/** Log lines `TokenVerifier` writes when the start-up key-set fetch ends. */
const WARM_UP_OUTCOMES = ['Key set loaded', 'Key set not loaded at start-up'];

/**
 * Starts the real demo application (in-memory database, global guards) on Express or Fastify
 * against a real dev issuer on loopback, with debug logging captured. No part of the token
 * path is mocked.
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

  // The testing kit replaces the options of the demo's CobeeAuthModule.forRootAsync() with
  // the same values, so every e2e suite runs through it as a consumer's tests would.
  const bed = await createCobeeAuthTestingModule({
    imports: [
      AppModule.forRoot({
        auth: { issuerUrl: issuer.url, audience, ...options.auth },
        databasePath: ':memory:',
        tokenEndpoint: options.tokenEndpoint,
      }),
    ],
    existingIssuer: issuer,
    audience,
    auth: options.auth,
  });
  const logger = new CapturingLogger();
  const moduleRef = await bed.builder.setLogger(logger).compile();

  const adapter = options.adapter ?? 'express';
  const httpAdapter = createHttpAdapter(adapter);
  const app = configureDemoApp(moduleRef.createNestApplication(httpAdapter, { logger }));
  app.useLogger(logger);
  if (options.docs === true) {
    setupDemoDocs(app, { tokenUrl: issuer.tokenEndpoint });
  }
  let baseUrl: string | undefined;
  if (options.listen === true) {
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  } else {
    await app.init();
    await waitForHttpServer(httpAdapter);
  }

  return {
    app,
    issuer,
    logger,
    audience,
    adapter,
    keyStore: app.get(JwksKeyStore),
    baseUrl,
    http: () => request(app.getHttpServer()),
    tokenFor: (clientId) => bed.token(clientId),
    tokenBuilder: (clientId) => bed.tokenBuilder(clientId),
    waitForKeySetWarmUp: async (timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!WARM_UP_OUTCOMES.some((outcome) => logger.text.includes(outcome))) {
        if (Date.now() > deadline) {
          throw new Error(`The start-up key-set fetch logged no outcome within ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: async () => {
      await app.close();
      if (options.existingIssuer === undefined) {
        await issuer.stop();
      }
    },
  };
}
