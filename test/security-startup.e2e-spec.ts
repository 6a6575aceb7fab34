import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CobeeAuthConfigurationError, CobeeAuthModule, CobeeAuthModuleOptions } from '@cobee/auth';

const VALID = { issuerUrl: 'https://tenant.eu.auth0.com/', audience: 'https://api.example.com' };

type Registration = 'forRoot' | 'forRootAsync useFactory' | 'forRootAsync async useFactory' | 'forRootAsync useClass';
const REGISTRATIONS: Registration[] = ['forRoot', 'forRootAsync useFactory', 'forRootAsync async useFactory', 'forRootAsync useClass'];

/** Registers the module the way an application would, with options that bypass the type checks. */
function register(registration: Registration, options: unknown) {
  const typed = options as CobeeAuthModuleOptions;
  switch (registration) {
    case 'forRoot':
      return CobeeAuthModule.forRoot(typed);
    case 'forRootAsync useFactory':
      return CobeeAuthModule.forRootAsync({ useFactory: () => typed });
    case 'forRootAsync async useFactory':
      return CobeeAuthModule.forRootAsync({ useFactory: async () => typed });
    case 'forRootAsync useClass': {
      @Injectable()
      class OptionsFactory {
        create(): CobeeAuthModuleOptions {
          return typed;
        }
      }
      return CobeeAuthModule.forRootAsync({ useClass: OptionsFactory });
    }
  }
}

/** Compiles and initialises a module, as application start-up does, and returns the start-up error. */
async function startupError(registration: Registration, options: unknown): Promise<unknown> {
  // The registration call is inside the try block: forRoot() itself may throw.
  try {
    const moduleRef = await Test.createTestingModule({ imports: [register(registration, options)] }).compile();
    await moduleRef.init();
    await moduleRef.close();
  } catch (error) {
    return error;
  }
  return undefined;
}

async function expectStartupFailure(registration: Registration, options: unknown, ...fragments: string[]): Promise<void> {
  const error = await startupError(registration, options);

  expect(error).toBeInstanceOf(CobeeAuthConfigurationError);
  for (const fragment of fragments) {
    expect((error as Error).message).toContain(fragment);
  }
}

describe('module start-up with invalid options (e2e)', () => {
  describe.each(REGISTRATIONS)('%s', (registration) => {
    it('starts with valid options', async () => {
      expect(await startupError(registration, VALID)).toBeUndefined();
    });

    it.each([
      ['audiance', 'audience'],
      ['Audience', 'audience'],
      ['audiences', 'audience'],
      ['aud', undefined],
      ['issuer', undefined],
      ['issuerURL', 'issuerUrl'],
      ['issuer_url', 'issuerUrl'],
      ['jwksURI', 'jwksUri'],
      ['jwks_uri', 'jwksUri'],
      ['algorithm', 'algorithms'],
      ['clockTolerance', undefined],
      ['maxTokenAge', undefined],
      ['ignoreExpiration', undefined],
      ['claimsNamespace', 'claimNamespace'],
    ])('rejects the unknown option %s', async (key, suggestion) => {
      const fragments = [`Unknown option "${key}".`];
      if (suggestion !== undefined) {
        fragments.push(`Did you mean "${suggestion}"?`);
      }

      await expectStartupFailure(registration, { ...VALID, [key]: 'https://api.example.com' }, ...fragments);
    });

    it('rejects a misspelled audience that leaves the audience unset', async () => {
      await expectStartupFailure(
        registration,
        { issuerUrl: VALID.issuerUrl, audiance: VALID.audience },
        'Unknown option "audiance". Did you mean "audience"?',
        'Option "audience" is required',
      );
    });

    it.each([
      ['issuerUrl empty', { issuerUrl: '' }, 'Option "issuerUrl" is required'],
      ['issuerUrl over http', { issuerUrl: 'http://tenant.eu.auth0.com/' }, 'Option "issuerUrl" must use https:'],
      ['issuerUrl as a list', { issuerUrl: [VALID.issuerUrl] }, 'Option "issuerUrl" is required'],
      ['audience empty', { audience: '' }, 'Option "audience" is required'],
      ['audience an empty list', { audience: [] }, 'Option "audience" is required'],
      ['audience a number', { audience: 1 }, 'Option "audience" is required'],
      ['algorithms with none', { algorithms: ['none'] }, 'Option "algorithms" contains "none"'],
      ['algorithms with HS256', { algorithms: ['RS256', 'HS256'] }, 'Option "algorithms" contains "HS256"'],
      ['algorithms empty', { algorithms: [] }, 'Option "algorithms" must be a non-empty list'],
      ['clockToleranceSeconds as a string', { clockToleranceSeconds: '5' }, 'Option "clockToleranceSeconds" must be a number'],
      ['maxTokenAgeSeconds zero', { maxTokenAgeSeconds: 0 }, 'Option "maxTokenAgeSeconds" must be a number'],
      ['maxTokenBytes too large', { maxTokenBytes: 1_000_000 }, 'Option "maxTokenBytes" must be an integer'],
      ['claimNamespace empty', { claimNamespace: '' }, 'Option "claimNamespace" must be a claim name'],
      ['allowedGrantTypes empty', { allowedGrantTypes: [] }, 'Option "allowedGrantTypes" must be a non-empty list'],
      ['realm with a quote', { realm: 'a"b' }, 'Option "realm" must be printable ASCII'],
      ['companyDeniedStatus 401', { companyDeniedStatus: 401 }, 'Option "companyDeniedStatus" must be one of 403, 404'],
      ['clock as a number', { clock: 0 }, 'Option "clock" must be a function'],
    ])('rejects %s', async (_name, overrides, fragment) => {
      await expectStartupFailure(registration, { ...VALID, ...overrides }, fragment);
    });

    it.each([
      ['undefined', undefined],
      ['null', null],
      ['a string', VALID.issuerUrl],
    ])('rejects options that are %s', async (_name, options) => {
      const error = await startupError(registration, options);

      // Nest's forRoot() reads the extras from its argument first: it throws its own
      // TypeError for undefined and null, and copies a string into an object of characters,
      // which the resolver then reports as unknown options and missing required ones.
      expect(error).toBeInstanceOf(TypeError);
      if (registration !== 'forRoot') {
        expect(error).toBeInstanceOf(CobeeAuthConfigurationError);
        expect((error as Error).message).toContain('CobeeAuthModule options must be an object');
      }
    });
  });

  it('forRoot accepts the globalGuards extra without reporting it as an option', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [CobeeAuthModule.forRoot({ ...VALID, globalGuards: true })],
    }).compile();

    await moduleRef.close();
  });
});
