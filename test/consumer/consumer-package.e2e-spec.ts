import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Logger } from '@nestjs/common';

/**
 * Packs the library with `npm pack`, installs the tarball into a fresh Nest application in
 * the system's temporary folder (outside the repository, so none of its path aliases or
 * node_modules can help), and runs that application's own type-check and Jest suite. The
 * application is `app-template/`; its suite uses the testing kit.
 */

const REPO_ROOT = join(__dirname, '..', '..');
const LIBRARY_DIR = join(REPO_ROOT, 'libs', 'cobee-auth');
const TEMPLATE_DIR = join(__dirname, 'app-template');

/** Number of tests in app-template/test/app.e2e-spec.ts, so a suite that silently loses tests fails here. */
const CONSUMER_TEST_COUNT = 10;

/** The install took 15 to 60 s with a warm npm cache on a 2-core machine. A cold cache downloads every package. */
const INSTALL_TIMEOUT_MS = 8 * 60_000;
const STEP_TIMEOUT_MS = 3 * 60_000;

const logger = new Logger('ConsumerPackageTest');

interface PackedFile {
  readonly path: string;
}

interface PackResult {
  readonly filename: string;
  readonly files: readonly PackedFile[];
}

interface JestReport {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly success: boolean;
}

describe('@cobee/auth installed from its tarball (e2e)', () => {
  const keepWorkDir = process.env.KEEP_CONSUMER_APP === '1';
  let workDir: string;
  let appDir: string;
  let packed: PackResult;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'cobee-auth-consumer-'));
    appDir = join(workDir, 'app');

    timed('build the library', () => {
      rmSync(join(LIBRARY_DIR, 'dist'), { recursive: true, force: true });
      run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(LIBRARY_DIR, 'tsconfig.lib.json')], REPO_ROOT, STEP_TIMEOUT_MS);
    });
    timed('npm pack', () => {
      const output = run('npm', ['pack', LIBRARY_DIR, '--pack-destination', workDir, '--json', '--loglevel=error'], REPO_ROOT, STEP_TIMEOUT_MS);
      packed = (JSON.parse(output) as PackResult[])[0];
    });
    timed('scaffold the consumer app', () => {
      cpSync(TEMPLATE_DIR, appDir, { recursive: true });
      writeFileSync(join(appDir, 'package.json'), `${JSON.stringify(consumerPackageJson(join(workDir, packed.filename)), null, 2)}\n`);
    });
    timed('npm install', () => {
      run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], appDir, INSTALL_TIMEOUT_MS);
    });
  }, INSTALL_TIMEOUT_MS + 3 * STEP_TIMEOUT_MS);

  afterAll(() => {
    if (workDir === undefined) {
      return;
    }
    if (keepWorkDir) {
      logger.log(`Kept the consumer app in ${workDir}`);
    } else {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('packs compiled code, types and source maps', () => {
    const files = packed.files.map((file) => file.path);

    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'CHANGELOG.md',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/index.js.map',
        'dist/testing/index.js',
        'dist/testing/index.d.ts',
        'dist/swagger/index.js',
        'dist/swagger/index.d.ts',
      ]),
    );
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((file) => /\.spec\./.test(file))).toEqual([]);
  });

  it('embeds the sources in the source maps', () => {
    const map = JSON.parse(readFileSync(join(appDir, 'node_modules/@cobee/auth/dist/index.js.map'), 'utf8')) as { sourcesContent?: string[] };

    expect(map.sourcesContent?.[0]).toContain('CobeeAuthModule');
  });

  it('resolves every entry inside the consumer app', () => {
    const installed = realpathSync(join(appDir, 'node_modules', '@cobee', 'auth'));
    const script = [
      "const main = require('@cobee/auth');",
      "const testing = require('@cobee/auth/testing');",
      "const paths = ['@cobee/auth', '@cobee/auth/testing', '@cobee/auth/swagger'].map((name) => require.resolve(name));",
      'process.stdout.write(JSON.stringify({ paths, main: typeof main.CobeeAuthModule, kit: typeof testing.createCobeeAuthTestingModule }));',
    ].join('\n');

    const result = JSON.parse(run(process.execPath, ['-e', script], appDir, STEP_TIMEOUT_MS)) as { paths: string[]; main: string; kit: string };

    expect(result.main).toBe('function');
    expect(result.kit).toBe('function');
    expect(result.paths.map((path) => relative(installed, path))).toEqual([
      'dist/index.js',
      'dist/testing/index.js',
      'dist/swagger/index.js',
    ]);
  });

  it.each([['tsconfig.json'], ['tsconfig.node10.json']])('type-checks with %s', (tsconfig) => {
    timed(`tsc -p ${tsconfig}`, () => {
      run(process.execPath, [join(appDir, 'node_modules/typescript/bin/tsc'), '-p', tsconfig, '--noEmit'], appDir, STEP_TIMEOUT_MS);
    });
  }, STEP_TIMEOUT_MS);

  it('passes its own Jest suite', () => {
    const reportPath = join(workDir, 'jest-report.json');

    timed('consumer jest', () => {
      run(
        process.execPath,
        [join(appDir, 'node_modules/jest/bin/jest.js'), '--ci', '--runInBand', '--json', `--outputFile=${reportPath}`],
        appDir,
        STEP_TIMEOUT_MS,
      );
    });

    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as JestReport;
    expect(report.numFailedTests).toBe(0);
    expect(report.numPendingTests).toBe(0);
    expect(report.numPassedTests).toBe(CONSUMER_TEST_COUNT);
    expect(report.success).toBe(true);
  }, STEP_TIMEOUT_MS);
});

/** Builds the consumer's package.json: the tarball plus the dependency versions installed in this repository. */
function consumerPackageJson(tarball: string): Record<string, unknown> {
  const pinned = (names: string[]): Record<string, string> =>
    Object.fromEntries(names.map((name) => [name, installedVersion(name)]));
  return {
    name: 'cobee-auth-consumer-check',
    version: '0.0.0',
    private: true,
    dependencies: {
      '@cobee/auth': `file:${tarball}`,
      ...pinned([
        '@nestjs/common',
        '@nestjs/config',
        '@nestjs/core',
        '@nestjs/passport',
        '@nestjs/platform-express',
        'passport',
        'reflect-metadata',
        'rxjs',
      ]),
    },
    devDependencies: pinned([
      '@nestjs/testing',
      '@swc/core',
      '@swc/jest',
      '@types/jest',
      '@types/node',
      '@types/supertest',
      'jest',
      'supertest',
      'typescript',
    ]),
    // @swc/core's install script only checks its prebuilt binary, which an optional dependency ships.
    allowScripts: { '@swc/core': false },
  };
}

function installedVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/**
 * Runs a command and returns its standard output.
 *
 * @throws Error with the exit status and the end of both output streams when the command fails
 */
function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): string {
  const result = spawnSync(command, args, { cwd, env: childEnvironment(), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (result.error !== undefined || result.status !== 0) {
    const tail = (text: string | null): string => (text ?? '').split('\n').slice(-40).join('\n');
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd} (status ${result.status}, ${result.error?.message ?? 'no spawn error'})\n` +
        `--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`,
    );
  }
  return result.stdout;
}

/**
 * Copies the environment without what `npm test` and Jest set for this repository. npm's
 * `npm_*` settings would point the nested npm at this package, and `JEST_*` and `NODE_ENV`
 * would leak into the consumer's own Jest run.
 */
function childEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|JEST_)/i.test(name) && !['INIT_CWD', 'NODE_ENV', 'NODE_OPTIONS'].includes(name)) {
      environment[name] = value;
    }
  }
  return environment;
}

function timed(step: string, action: () => void): void {
  const started = Date.now();
  action();
  logger.log(`${step}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
