import { randomBytes } from 'node:crypto';
import type { DynamicModule, ModuleMetadata, Provider, Type } from '@nestjs/common';
import type { TestingModule, TestingModuleBuilder } from '@nestjs/testing';
import { CobeeAuthConfig } from '../options/cobee-auth-config';
import { CobeeAuthModuleOptions } from '../options/cobee-auth-options.interface';
import { CobeeAuthModule } from '../nest/cobee-auth.module';
import { COBEE_AUTH_MODULE_OPTIONS } from '../nest/cobee-auth.module-definition';
import { COBEE_AUTH_CONFIG } from '../nest/cobee-auth.tokens';
import { DevClientDefinition } from './dev-client.registry';
import { DevIssuer, DevIssuerOptions } from './dev-issuer';
import { TokenBuilder } from './token.builder';

/** Audience of the test issuer and of the module unless `audience` names another. */
export const DEFAULT_TEST_AUDIENCE = 'https://api.test.local';

/** A client of the test issuer. A secret is generated when none is given. */
export type CobeeAuthTestClient = Omit<DevClientDefinition, 'secret' | 'secretHash'> & { readonly secret?: string };

/** Options of {@link createCobeeAuthTestingModule}. */
export interface CobeeAuthTestingOptions extends Pick<ModuleMetadata, 'imports' | 'controllers' | 'providers'> {
  /** The machine-to-machine clients registered with the test issuer. At least one, unless `existingIssuer` is given. */
  readonly clients?: readonly CobeeAuthTestClient[];
  /** The API identifier tokens are issued for and the module accepts. Default: `https://api.test.local`. */
  readonly audience?: string;
  /** Further `CobeeAuthModule` options, for example `companyDeniedStatus` or `clock`. */
  readonly auth?: Partial<CobeeAuthModuleOptions>;
  /** Further dev issuer options, for example `clock` or `tokenLifetimeSeconds`. */
  readonly issuer?: Partial<Omit<DevIssuerOptions, 'audiences' | 'clients'>>;
  /**
   * An issuer the test started itself, used instead of a new one; `clients` and `issuer` are
   * then ignored, and `close()` leaves it running. Its default audience is used unless
   * `audience` names another.
   */
  readonly existingIssuer?: DevIssuer;
  /**
   * Whether the helper imports `CobeeAuthModule.forRoot()` itself. Default: true unless
   * `imports` already contain `CobeeAuthModule` (for example the application's root module);
   * then the helper replaces that module's options instead.
   */
  readonly registerModule?: boolean;
  /** `globalGuards` of the module the helper registers. Default: true. */
  readonly globalGuards?: boolean;
}

/**
 * A `Test.createTestingModule()` builder wired to an in-process test issuer, with the tokens
 * to call the application with. Call `close()` after the application, to stop the issuer.
 */
export interface CobeeAuthTestBed {
  /** The test issuer, listening on loopback. It serves its key set over HTTP as Auth0 does. */
  readonly issuer: DevIssuer;
  /** The audience tokens are issued for. */
  readonly audience: string;
  /** The options `CobeeAuthModule` receives: the issuer's URL, the audience and `auth`. */
  readonly moduleOptions: CobeeAuthModuleOptions;
  /** The testing module builder. Add overrides before `compile()`. */
  readonly builder: TestingModuleBuilder;
  /**
   * Compiles the testing module and checks that `CobeeAuthModule` trusts the test issuer.
   *
   * @throws Error when the compiled module validates tokens of another issuer
   */
  compile(): Promise<TestingModule>;
  /** A valid token for a client, as the issuer's token endpoint would issue it. */
  token(clientId: string): string;
  /** A token builder preset with a client's claims, for the bad cases. */
  tokenBuilder(clientId: string): TokenBuilder;
  /** The client's secret, for token requests over HTTP. */
  clientSecret(clientId: string): string;
  /** Stops the issuer, unless it was passed as `existingIssuer`. */
  close(): Promise<void>;
}

/**
 * Starts a test issuer and prepares `Test.createTestingModule()` so that `CobeeAuthModule`
 * validates that issuer's tokens. No Auth0 tenant or network access is needed.
 *
 * When `imports` contain `CobeeAuthModule` (directly or through the application's modules),
 * its options are replaced by the test options, so an application configured with
 * `forRootAsync()` and `ConfigService` is tested unchanged. Options the application passes in
 * its own factory are not kept: repeat the ones the tests rely on in `auth`.
 *
 * @example
 * const bed = await createCobeeAuthTestingModule({
 *   imports: [AppModule],
 *   clients: [{ clientId: 'acme', companyId: ACME_ID, scopes: ['read:employees'] }],
 * });
 * const app = (await bed.compile()).createNestApplication();
 * await app.init();
 */
export async function createCobeeAuthTestingModule(options: CobeeAuthTestingOptions): Promise<CobeeAuthTestBed> {
  const clients = options.clients ?? [];
  if (options.existingIssuer === undefined && clients.length === 0) {
    throw new TypeError('createCobeeAuthTestingModule() needs at least one client in "clients"');
  }
  const { Test } = await loadNestTesting();
  const audience = options.audience ?? options.existingIssuer?.defaultAudience ?? DEFAULT_TEST_AUDIENCE;
  const imports = await Promise.all(options.imports ?? []);
  const registerModule = options.registerModule ?? !(await importsCobeeAuthModule(imports, new Set()));

  const secrets = new Map<string, string>();
  for (const client of clients) {
    secrets.set(client.clientId, client.secret ?? randomBytes(24).toString('base64url'));
  }
  const issuer =
    options.existingIssuer ??
    (await DevIssuer.start({
      ...options.issuer,
      audiences: [audience],
      clients: clients.map((client) => ({ ...client, secret: secrets.get(client.clientId) as string })),
    }));

  const moduleOptions: CobeeAuthModuleOptions = { issuerUrl: issuer.url, audience, ...options.auth };
  const moduleImports: ModuleMetadata['imports'] = registerModule
    ? [CobeeAuthModule.forRoot({ ...moduleOptions, globalGuards: options.globalGuards ?? true }), ...imports]
    : imports;
  const builder = Test.createTestingModule({
    imports: moduleImports,
    controllers: options.controllers,
    providers: options.providers as Provider[] | undefined,
  })
    .overrideProvider(COBEE_AUTH_MODULE_OPTIONS)
    .useValue(moduleOptions);

  return {
    issuer,
    audience,
    moduleOptions,
    builder,
    compile: async () => {
      const moduleRef = await builder.compile();
      assertTrustsIssuer(moduleRef, issuer);
      return moduleRef;
    },
    token: (clientId) => issuer.issueToken(clientId),
    tokenBuilder: (clientId) => TokenBuilder.forClient(issuer, clientId),
    clientSecret: (clientId) => {
      const secret = secrets.get(clientId);
      if (secret === undefined) {
        throw new Error(`The test bed has no secret for client "${clientId}": only clients passed in "clients" have one`);
      }
      return secret;
    },
    close: async () => {
      if (options.existingIssuer === undefined) {
        await issuer.stop();
      }
    },
  };
}

async function loadNestTesting(): Promise<typeof import('@nestjs/testing')> {
  try {
    return await import('@nestjs/testing');
  } catch (error) {
    throw new Error(
      `createCobeeAuthTestingModule() needs @nestjs/testing; install it as a dev dependency (${(error as Error).message})`,
    );
  }
}

type ImportEntry = NonNullable<ModuleMetadata['imports']>[number];

/** Searches the static module graph (module classes, dynamic modules, forward references) for `CobeeAuthModule`. */
async function importsCobeeAuthModule(entries: readonly ImportEntry[] | undefined, seen: Set<unknown>): Promise<boolean> {
  for (const entry of entries ?? []) {
    const resolved = await resolveImport(entry);
    if (resolved === undefined || seen.has(resolved)) {
      continue;
    }
    seen.add(resolved);

    const moduleClass = typeof resolved === 'function' ? resolved : resolved.module;
    if (moduleClass === CobeeAuthModule || moduleClass.prototype instanceof CobeeAuthModule) {
      return true;
    }
    const staticImports = Reflect.getMetadata('imports', moduleClass) as ImportEntry[] | undefined;
    const dynamicImports = typeof resolved === 'function' ? undefined : resolved.imports;
    if ((await importsCobeeAuthModule(staticImports, seen)) || (await importsCobeeAuthModule(dynamicImports, seen))) {
      return true;
    }
  }
  return false;
}

async function resolveImport(entry: ImportEntry): Promise<Type<unknown> | DynamicModule | undefined> {
  const value = (await entry) as unknown;
  if (typeof value === 'function') {
    return value as Type<unknown>;
  }
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  if ('forwardRef' in value && typeof value.forwardRef === 'function') {
    return resolveImport((value.forwardRef as () => ImportEntry)());
  }
  return 'module' in value ? (value as DynamicModule) : undefined;
}

function assertTrustsIssuer(moduleRef: TestingModule, issuer: DevIssuer): void {
  let config: CobeeAuthConfig;
  try {
    config = moduleRef.get<CobeeAuthConfig>(COBEE_AUTH_CONFIG, { strict: false });
  } catch {
    throw new Error(
      'The testing module has no CobeeAuthModule; leave registerModule unset or import a module that imports CobeeAuthModule',
    );
  }
  if (config.issuer !== issuer.url) {
    throw new Error(
      `CobeeAuthModule validates tokens of ${config.issuer}, not of the test issuer ${issuer.url}; ` +
        'pass registerModule: false when the imported modules configure CobeeAuthModule themselves',
    );
  }
}
