/**
 * Soak test of the demo API: starts a dev issuer and the demo (as a child process) on
 * loopback, drives the demo with autocannon, and writes a Markdown report to stdout.
 *
 * Phases: warm-up (valid traffic), baseline (valid traffic only), mixed (the same valid
 * traffic plus junk). Valid traffic is sent by its own autocannon instance in both measured
 * phases, so its p99 latency can be compared with and without junk.
 *
 *   npm run soak                        # 60 s in total
 *   SOAK_DURATION_SECONDS=20 npm run soak
 *   npm run soak -- --duration=20 --rate=200 --connections=10
 *
 * Exit code 1 when valid traffic saw an error, a timeout or a status other than 200, or when
 * junk got a status other than 401 and 403. The latency and memory goals are reported only.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { DevIssuer, SigningKeyRing, TokenBuilder } from '@cobee/auth/testing';
import { PhaseResult, runLoad, SoakRequest, SoakSettings } from './soak-load';
import { DEFAULT_DEMO_AUDIENCE } from '../apps/demo-api/src/config/demo-environment';
import { DEMO_CLIENTS, DEMO_IDS } from '../apps/demo-api/src/dev/demo-data';

/** Maximum run length the script accepts, in seconds, so a typo cannot start an hour-long load. */
const MAX_DURATION_SECONDS = 600;
const MAX_CONNECTIONS = 100;
const MAX_RATE = 5000;
/** Goal: valid-traffic p99 with junk mixed in is at most this multiple of the baseline p99. */
const P99_GOAL_RATIO = 2;
/**
 * Goal: the demo's V8 heap in use after a full GC grows by at most this much, in MiB, from
 * the end of warm-up to the end. The soak reuses a few valid tokens and the library caches
 * nothing for rejected tokens, so retained memory should stay flat. The allowance is an
 * estimate for V8's own code and inline caches, which grow while new paths get optimised.
 */
const HEAP_GROWTH_GOAL_MIB = 16;
const REPO_ROOT = join(__dirname, '..');



function readSettings(argv: readonly string[], env: NodeJS.ProcessEnv): SoakSettings {
  const flag = (name: string): string | undefined =>
    argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3);
  const integer = (name: string, envName: string, fallback: number, max: number): number => {
    const text = flag(name) ?? env[envName];
    if (text === undefined || text === '') {
      return fallback;
    }
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new Error(`--${name} / ${envName} must be an integer from 1 to ${max} (got "${text}")`);
    }
    return value;
  };
  const durationSeconds = integer('duration', 'SOAK_DURATION_SECONDS', 60, MAX_DURATION_SECONDS);
  if (durationSeconds < 10) {
    throw new Error(`--duration / SOAK_DURATION_SECONDS must be at least 10 s for three phases (got ${durationSeconds})`);
  }
  return {
    durationSeconds,
    connections: integer('connections', 'SOAK_CONNECTIONS', 10, MAX_CONNECTIONS),
    rate: integer('rate', 'SOAK_RATE', 200, MAX_RATE),
  };
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Memory of the demo process, in MiB. */
interface MemorySample {
  /** Resident set size. */
  readonly rss: number;
  /** V8 heap in use right after a full garbage collection: what the process retains. */
  readonly heapUsed: number;
  /** V8 heap reserved, used or not. */
  readonly heapTotal: number;
  /** Memory of C++ objects bound to JavaScript objects, Buffers included. */
  readonly external: number;
}

/** Asks the demo's memory probe (see soak-memory.probe.ts) for a sample after a full GC. */
async function sampleMemory(child: ChildProcess): Promise<MemorySample> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error('The demo did not respond to the memory probe within 10 s'));
    }, 10_000);
    const onMessage = (message: { kind?: string; usage?: NodeJS.MemoryUsage }): void => {
      if (message.kind !== 'memory' || message.usage === undefined) {
        return;
      }
      clearTimeout(timer);
      child.off('message', onMessage);
      const mebibytes = (bytes: number): number => bytes / 2 ** 20;
      resolve({
        rss: mebibytes(message.usage.rss),
        heapUsed: mebibytes(message.usage.heapUsed),
        heapTotal: mebibytes(message.usage.heapTotal),
        external: mebibytes(message.usage.external),
      });
    };
    child.on('message', onMessage);
    child.send('memory');
  });
}

/** Returns the CPU model named in /proc/cpuinfo, or the one Node reports where that file is missing. */
function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match !== null) {
      return match[1].trim();
    }
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return cpus()[0]?.model.trim() ?? 'unknown';
}

/** Starts the demo from its TypeScript sources, configured to trust `issuer`. */
function startDemo(port: number, issuer: DevIssuer, output: string[]): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '-r',
      '@swc-node/register',
      '-r',
      join(REPO_ROOT, 'scripts/soak-memory.probe.ts'),
      join(REPO_ROOT, 'apps/demo-api/src/main.ts'),
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        COBEE_AUTH_ISSUER_URL: issuer.url,
        COBEE_AUTH_AUDIENCE: DEFAULT_DEMO_AUDIENCE,
        DATABASE_PATH: ':memory:',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  const keepTail = (chunk: Buffer): void => {
    output.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
    output.splice(0, Math.max(0, output.length - 40));
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  return child;
}

async function waitUntilReady(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`The demo exited with code ${child.exitCode} before it was ready`);
    }
    try {
      const response = await fetch(`${baseUrl}/health/ready`);
      if (response.status === 200) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The demo was not ready within ${timeoutMs} ms`);
}

async function stopDemo(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function validRequests(issuer: DevIssuer): SoakRequest[] {
  const { acmeIberia, acmePortugal, otherRetail, soloFoods } = DEMO_IDS.companies;
  return [
    { label: 'acme-iberia employees', path: `/companies/${acmeIberia}/employees`, token: issuer.issueToken('demo-acme-iberia'), expected: [200] },
    { label: 'solo-foods employees', path: `/companies/${soloFoods}/employees`, token: issuer.issueToken('demo-solo-foods'), expected: [200] },
    { label: 'acme-group on acme-portugal', path: `/companies/${acmePortugal}/employees`, token: issuer.issueToken('demo-acme-group'), expected: [200] },
    { label: 'other-retail company', path: `/companies/${otherRetail}`, token: issuer.issueToken('demo-other-retail'), expected: [200] },
  ];
}

/** Junk: forged signatures, unknown kids, other companies' paths, expired and malformed tokens. */
function junkRequests(issuer: DevIssuer): SoakRequest[] {
  const { acmeIberia, soloFoods } = DEMO_IDS.companies;
  const route = `/companies/${acmeIberia}/employees`;
  const valid = issuer.issueToken('demo-acme-iberia');
  const [header, payload, signature] = valid.split('.');
  const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
  const unpublished = SigningKeyRing.generateKey();
  const requests: SoakRequest[] = [];

  for (let index = 0; index < 100; index++) {
    requests.push({
      label: 'unknown kid',
      path: route,
      token: TokenBuilder.forClient(issuer, 'demo-acme-iberia').withHeader({ kid: randomUUID() }).signedWith(unpublished).build(),
      expected: [401],
    });
    if (index % 4 === 0) {
      requests.push({ label: 'bad signature', path: route, token: `${header}.${payload}.${flipped}`, expected: [401] });
      requests.push({ label: 'other company path', path: `/companies/${soloFoods}/employees`, token: valid, expected: [403] });
      requests.push({ label: 'expired', path: route, token: TokenBuilder.forClient(issuer, 'demo-acme-iberia').expired().build(), expected: [401] });
      requests.push({ label: 'malformed', path: route, token: `${header}.${payload}`, expected: [401] });
    }
  }
  return requests;
}

/** Runs one load phase in a separate Node process (scripts/soak-load.ts) and returns its result. */
function runLoadInChildProcess(
  baseUrl: string,
  requests: readonly SoakRequest[],
  settings: SoakSettings,
  durationSeconds: number,
): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'soak-load.ts'), [], { execArgv: ['-r', '@swc-node/register'] });
    child.once('message', (result: PhaseResult) => {
      resolve(result);
      child.disconnect();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`The load process exited with code ${code}`));
      }
    });
    child.send({ baseUrl, requests, settings, durationSeconds });
  });
}

function formatStatuses(statuses: Record<string, number>): string {
  return Object.entries(statuses)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
}

async function main(): Promise<void> {
  const settings = readSettings(process.argv.slice(2), process.env);
  const warmUpSeconds = Math.max(2, Math.round(settings.durationSeconds * 0.1));
  const baselineSeconds = Math.round((settings.durationSeconds - warmUpSeconds) / 2);
  const mixedSeconds = settings.durationSeconds - warmUpSeconds - baselineSeconds;
  const loadBefore = loadavg();
  const startedAt = new Date();

  const issuer = await DevIssuer.start({
    audiences: [DEFAULT_DEMO_AUDIENCE],
    clients: DEMO_CLIENTS.map((client) => ({ ...client, secret: randomBytes(24).toString('base64url') })),
  });
  const port = await freeLoopbackPort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const demoOutput: string[] = [];
  const demo = startDemo(port, issuer, demoOutput);

  try {
    await waitUntilReady(baseUrl, demo, 60_000);
    const memoryAtStart = await sampleMemory(demo);
    const valid = validRequests(issuer);
    const junk = junkRequests(issuer);

    await runLoad(baseUrl, valid, settings, warmUpSeconds);
    const memoryWarm = await sampleMemory(demo);
    const fetchesBeforeMeasure = issuer.jwksRequestCount;

    const baseline = await runLoad(baseUrl, valid, settings, baselineSeconds);
    const memoryAfterBaseline = await sampleMemory(demo);
    const fetchesBeforeMixed = issuer.jwksRequestCount;
    // The junk generator runs in its own process, so that its work never delays the event
    // loop that times the valid requests.
    const [mixedValid, mixedJunk] = await Promise.all([
      runLoad(baseUrl, valid, settings, mixedSeconds),
      runLoadInChildProcess(baseUrl, junk, settings, mixedSeconds),
    ]);
    const memoryAtEnd = await sampleMemory(demo);
    const loadAfter = loadavg();

    const validFailures = [baseline, mixedValid].reduce((sum, phase) => sum + phase.errors + phase.timeouts + phase.unexpected, 0);
    const junkFailures = mixedJunk.unexpected + mixedJunk.errors + mixedJunk.timeouts;
    const p99Ratio = baseline.p99 > 0 ? mixedValid.p99 / baseline.p99 : Number.NaN;
    const heapGrowth = memoryAtEnd.heapUsed - memoryWarm.heapUsed;
    const junkFetchBound = 1 + Math.ceil(mixedSeconds / 30);
    const memoryRow = (name: string, sample: MemorySample): string =>
      `| ${name} | ${sample.heapUsed.toFixed(1)} | ${sample.heapTotal.toFixed(1)} | ${sample.external.toFixed(1)} | ${sample.rss.toFixed(1)} |`;

    const lines = [
      `# Soak report (${startedAt.toISOString()})`,
      '',
      `Machine: ${availableParallelism()} CPUs, ${cpuModel()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}.`,
      `Load average (1, 5, 15 min) before: ${loadBefore.map((value) => value.toFixed(2)).join(', ')}; after: ${loadAfter.map((value) => value.toFixed(2)).join(', ')}.`,
      `Settings: ${settings.durationSeconds} s in total (warm-up ${warmUpSeconds} s, baseline ${baselineSeconds} s, mixed ${mixedSeconds} s); ` +
        `each autocannon instance ${settings.connections} connections at ${settings.rate} requests/s.`,
      '',
      '| phase | traffic | requests | errors | timeouts | unexpected statuses | p50 ms | p99 ms | statuses |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      `| baseline | valid | ${baseline.requests} | ${baseline.errors} | ${baseline.timeouts} | ${baseline.unexpected} | ${baseline.p50} | ${baseline.p99} | ${formatStatuses(baseline.statuses)} |`,
      `| mixed | valid | ${mixedValid.requests} | ${mixedValid.errors} | ${mixedValid.timeouts} | ${mixedValid.unexpected} | ${mixedValid.p50} | ${mixedValid.p99} | ${formatStatuses(mixedValid.statuses)} |`,
      `| mixed | junk | ${mixedJunk.requests} | ${mixedJunk.errors} | ${mixedJunk.timeouts} | ${mixedJunk.unexpected} | ${mixedJunk.p50} | ${mixedJunk.p99} | ${formatStatuses(mixedJunk.statuses)} |`,
      '',
      `Valid-traffic p99 with junk / without: ${p99Ratio.toFixed(2)} (goal: at most ${P99_GOAL_RATIO}; ${p99Ratio <= P99_GOAL_RATIO ? 'met' : 'not met'}).`,
      `Demo heap in use after a full GC grew by ${heapGrowth.toFixed(1)} MiB after warm-up ` +
        `(goal: at most ${HEAP_GROWTH_GOAL_MIB}; ${heapGrowth <= HEAP_GROWTH_GOAL_MIB ? 'met' : 'not met'}).`,
      '',
      '| demo memory (MiB) | heap used after GC | heap total | external | resident set |',
      '| --- | ---: | ---: | ---: | ---: |',
      memoryRow('ready', memoryAtStart),
      memoryRow('after warm-up', memoryWarm),
      memoryRow('after baseline', memoryAfterBaseline),
      memoryRow('end', memoryAtEnd),
      '',
      `Key-set fetches: ${issuer.jwksRequestCount} in total, ${fetchesBeforeMeasure} before the measured phases, ` +
        `${issuer.jwksRequestCount - fetchesBeforeMixed} during the mixed phase (bound with the default 30 s cooldown: ${junkFetchBound}).`,
      `Valid traffic: ${validFailures === 0 ? 'no' : validFailures} errors or unexpected statuses. Junk: ${junkFailures === 0 ? 'no' : junkFailures} errors or unexpected statuses.`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    if (validFailures > 0 || junkFailures > 0) {
      process.exitCode = 1;
    }
  } catch (error) {
    process.stderr.write(`Soak run failed: ${(error as Error).message}\nLast demo output:\n${demoOutput.join('\n')}\n`);
    process.exitCode = 1;
  } finally {
    await stopDemo(demo);
    await issuer.stop();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`Soak run failed: ${error.message}\n`);
  process.exitCode = 1;
});
