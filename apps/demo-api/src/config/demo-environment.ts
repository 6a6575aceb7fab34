import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength, validateSync } from 'class-validator';
import { HTTP_ADAPTERS, HttpAdapterName } from '../http-adapter';

/** Audience the demo accepts unless `COBEE_AUTH_AUDIENCE` names another. */
export const DEFAULT_DEMO_AUDIENCE = 'https://demo-api.cobee.local';

const toNumber = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);
const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** The environment variables the demo reads, validated at start-up. */
export class DemoEnvironment {
  /** Port of the demo API. */
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(65_535)
  PORT = 3000;

  /** HTTP platform: `express` or `fastify`. */
  @IsOptional()
  @IsIn(HTTP_ADAPTERS)
  HTTP_ADAPTER: HttpAdapterName = 'express';

  /** Interface the demo API and the dev issuer listen on. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  HOST = '127.0.0.1';

  /** External token issuer; when set, no dev issuer starts. */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  COBEE_AUTH_ISSUER_URL?: string;

  /** The API identifier tokens must be issued for. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  COBEE_AUTH_AUDIENCE = DEFAULT_DEMO_AUDIENCE;

  /** Key-set URL, when it is not `<issuer>.well-known/jwks.json`. */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  COBEE_AUTH_JWKS_URI?: string;

  /** Port of the embedded dev issuer. */
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(65_535)
  DEV_ISSUER_PORT = 3001;

  /** SQLite file, or `:memory:`. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  DATABASE_PATH = ':memory:';

  /** Secret of every demo client; generated per client at start-up when unset. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  @Matches(/^[\x21-\x7e]+$/, { message: 'DEV_CLIENT_SECRET must be printable ASCII without spaces' })
  DEV_CLIENT_SECRET?: string;

  /** Most verbose Nest log level printed. */
  @IsOptional()
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';
}

const KNOWN_VARIABLES = Object.keys(new DemoEnvironment()).concat(['COBEE_AUTH_ISSUER_URL', 'COBEE_AUTH_JWKS_URI', 'DEV_CLIENT_SECRET']);

/** Raised when an environment variable has an invalid value; the message names each variable. */
export class DemoEnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoEnvironmentError';
  }
}

/**
 * Reads and validates the demo's environment variables. Empty values count as unset.
 *
 * @throws DemoEnvironmentError naming every invalid variable, without echoing secret values
 */
export function readDemoEnvironment(env: NodeJS.ProcessEnv): DemoEnvironment {
  const relevant: Record<string, string> = {};
  for (const name of KNOWN_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      relevant[name] = value;
    }
  }

  const environment = plainToInstance(DemoEnvironment, relevant);
  const errors = validateSync(environment, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const reasons = Object.values(error.constraints ?? {}).join('; ');
      const shown = error.property === 'DEV_CLIENT_SECRET' ? '(hidden)' : JSON.stringify(relevant[error.property]);
      return `  - ${error.property}=${shown}: ${reasons}`;
    });
    throw new DemoEnvironmentError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return environment;
}
