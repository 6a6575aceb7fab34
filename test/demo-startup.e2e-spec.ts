import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { closedPort, DEMO_IDS } from './support/demo-ids';

/** Entry point that `nest build demo-api` writes and `npm start` runs. */
const REPO_ROOT = join(__dirname, '..');
const DEMO_MAIN = join(REPO_ROOT, 'dist/apps/demo-api/apps/demo-api/src/main.js');

const START_TIMEOUT_MS = 20_000;

interface Finished {
  readonly code: number | null;
  readonly output: string;
}

/** Runs the built demo with extra environment variables until it exits. */
function runDemoUntilExit(environment: Record<string, string>): Promise<Finished> {
  const child = startDemo(environment);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

function startDemo(environment: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [DEMO_MAIN], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'log', NO_COLOR: '1', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('built demo start-up (e2e)', () => {
  beforeAll(() => {
    const build = spawnSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build', 'demo-api'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (build.status !== 0) {
      throw new Error(`nest build demo-api failed (status ${build.status}):\n${build.stdout}\n${build.stderr}`);
    }
  }, 130_000);

  it.each([
    ['PORT', 'abc', 'PORT must be an integer number'],
    ['PORT', '70000', 'PORT must not be greater than 65535'],
    ['HTTP_ADAPTER', 'koa', 'HTTP_ADAPTER must be one of the following values: express, fastify'],
    ['COBEE_AUTH_ISSUER_URL', 'not a url', 'COBEE_AUTH_ISSUER_URL must be a URL address'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of the following values'],
  ])('%s=%s stops it naming the variable', async (name, value, reason) => {
    const finished = await runDemoUntilExit({ [name]: value });

    expect(finished.code).toBe(1);
    expect(finished.output).toContain('Invalid environment');
    expect(finished.output).toContain(`- ${name}=${JSON.stringify(value)}: `);
    expect(finished.output).toContain(reason);
    expect(finished.output).not.toContain('Listening on');
  }, START_TIMEOUT_MS);

  it('hides a rejected client secret', async () => {
    const finished = await runDemoUntilExit({ DEV_CLIENT_SECRET: 'short secret' });

    expect(finished.code).toBe(1);
    expect(finished.output).toContain('DEV_CLIENT_SECRET=(hidden)');
    expect(finished.output).not.toContain('short secret');
  }, START_TIMEOUT_MS);

  it.each([['express'], ['fastify']])('starts on %s and serves docs', async (adapter) => {
    const [port, issuerPort] = [await closedPort(), await closedPort()];
    const child = startDemo({ HTTP_ADAPTER: adapter, PORT: String(port), DEV_ISSUER_PORT: String(issuerPort) });
    let output = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Listening on')) {
            resolve();
          }
        });
        child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('exit', (code) => reject(new Error(`The demo exited with ${code} before listening:\n${output}`)));
      });
      const base = `http://127.0.0.1:${port}`;

      const health = await fetch(`${base}/health`);
      const docs = await fetch(`${base}/docs-json`);
      const unauthorised = await fetch(`${base}/companies/${DEMO_IDS.companies.acmeIberia}`);

      expect(output).toContain(`Listening on ${base} (${adapter})`);
      expect(health.status).toBe(200);
      expect(docs.status).toBe(200);
      expect(((await docs.json()) as { components: { securitySchemes: object } }).components.securitySchemes).toHaveProperty('oauth2');
      expect(unauthorised.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
    }
  }, START_TIMEOUT_MS);
});
