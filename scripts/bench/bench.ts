import { ChildProcess, fork } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import autocannon from 'autocannon';
import { DevIssuer } from '@cobee/auth/testing';
import { DEMO_CLIENTS, DEMO_IDS } from '../../apps/demo-api/src/dev/demo-data';
import { mintTokens } from './token-minter';
import { MemoryResults, MicroResults, runMemoryCheck, runVerificationMicro } from './verification.micro';

/**
 * `npm run bench`: the cost of authentication, as ratios measured side by side in one run.
 *
 * HTTP scenarios, in interleaved rounds against loopback servers in a child process:
 *   (a) the demo's public GET /health;
 *   (b) GET /companies/:companyId/employees with one reused token;
 *   (c) the same route with a different token on every request;
 *   (d) the same route protected the quickstart way (passport-jwt + passportJwtSecret);
 *   (e) the same route's work without authentication (a public copy), to isolate what
 *       authentication and the company scope cost on it.
 * Then single-thread micro-benchmarks: the library's verification path against raw
 * crypto.verify, rejection costs, and memory after many distinct tokens.
 *
 * Flags: --seconds=N per round (default 5), --rounds=N (3), --connections=N (10),
 * --tokens=N distinct tokens for (c) and the micro-benchmark (30000),
 * --memory-tokens=N for the memory check (100000; 0 skips it).
 */

const AUDIENCE = 'https://demo-api.cobee.local';
const CLIENT = 'demo-acme-iberia';
const ROUTE = `/companies/${DEMO_IDS.companies.acmeIberia}/employees`;

interface Options {
  seconds: number;
  rounds: number;
  connections: number;
  tokens: number;
  memoryTokens: number;
}

interface Sample {
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

type ScenarioName = 'a' | 'b' | 'c' | 'd' | 'e';

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { seconds: 5, rounds: 3, connections: 10, tokens: 30_000, memoryTokens: 100_000 };
  const names: Record<string, keyof Options> = {
    seconds: 'seconds',
    rounds: 'rounds',
    connections: 'connections',
    tokens: 'tokens',
    'memory-tokens': 'memoryTokens',
  };
  for (const argument of argv) {
    const match = /^--([a-z-]+)=(\d+)$/.exec(argument);
    const name = match === null ? undefined : names[match[1]];
    if (match === null || name === undefined) {
      throw new Error(`Unknown argument "${argument}"; use --seconds=N, --rounds=N, --connections=N, --tokens=N or --memory-tokens=N`);
    }
    options[name] = Number(match[2]);
  }
  return options;
}

function startServer(issuerUrl: string): Promise<{ child: ChildProcess; ports: { demo: number; baseline: number } }> {
  const child = fork(join(__dirname, 'bench-server.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, BENCH_SERVER_SETTINGS: JSON.stringify({ issuerUrl, audience: AUDIENCE }) },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Benchmark server exited with code ${code}`)));
    child.on('message', (message: { type: string; ports?: { demo: number; baseline: number } }) => {
      if (message.type === 'ready' && message.ports !== undefined) {
        child.removeAllListeners('exit');
        resolve({ child, ports: message.ports });
      }
    });
  });
}

function serverMemory(child: ChildProcess): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve) => {
    const onMessage = (message: { type: string; memory?: NodeJS.MemoryUsage }): void => {
      if (message.type === 'memory' && message.memory !== undefined) {
        child.off('message', onMessage);
        resolve(message.memory);
      }
    };
    child.on('message', onMessage);
    child.send({ type: 'memory' });
  });
}

async function load(url: string, seconds: number, connections: number, nextToken?: () => string): Promise<Sample> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          const token = nextToken?.();
          return token === undefined ? request : { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function format(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function printReport(options: Options, samples: Record<ScenarioName, Sample[]>, micro: MicroResults, memory: MemoryResults | undefined, serverRss: number): void {
  const rate = (name: ScenarioName): number => mean(samples[name].map((sample) => sample.requestsPerSecond));
  const lines = [
    '',
    `cobee-auth benchmark, ${new Date().toISOString()}`,
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${format(totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}`,
    `HTTP: ${options.rounds} interleaved rounds of ${options.seconds} s per scenario, ${options.connections} connections, autocannon on loopback`,
    '',
    '| scenario | req/s (mean) | p99 ms (worst round) | non-2xx | errors | ratio to (a) | ratio to (e) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const labels: Record<ScenarioName, string> = {
    a: '(a) public GET /health',
    b: '(b) employees, one reused token',
    c: '(c) employees, a new token per request',
    d: '(d) employees, quickstart passport-jwt + passportJwtSecret',
    e: '(e) employees, same work without authentication',
  };
  for (const name of ['a', 'b', 'c', 'd', 'e'] as const) {
    const runs = samples[name];
    lines.push(
      `| ${labels[name]} | ${format(rate(name))} | ${format(Math.max(...runs.map((run) => run.p99Ms)))} | ` +
        `${runs.reduce((sum, run) => sum + run.non2xx, 0)} | ${runs.reduce((sum, run) => sum + run.errors, 0)} | ` +
        `${format(rate(name) / rate('a'), 2)} | ${format(rate(name) / rate('e'), 2)} |`,
    );
  }
  lines.push(
    '',
    '| micro-benchmark (single thread, RS256, 2048-bit) | value |',
    '|---|---:|',
    `| raw crypto.verify with a parsed key | ${format(micro.rawVerifyPerSecond)} /s |`,
    `| library verification, cache off, distinct tokens | ${format(micro.libraryVerifyPerSecond)} /s |`,
    `| ratio library / raw | ${format(micro.libraryVerifyPerSecond / micro.rawVerifyPerSecond, 2)} |`,
    `| jsonwebtoken 9 verify (passport-jwt's verifier), same parsed key, signature and claims only | ${format(micro.jsonwebtokenVerifyPerSecond)} /s (${format(micro.jsonwebtokenVerifyPerSecond / micro.rawVerifyPerSecond, 2)} of raw) |`,
    `| the library's key-free checks followed by jsonwebtoken (a passport-jwt strategy's path) | ${format(micro.checksWithJsonwebtokenPerSecond)} /s (${format(micro.checksWithJsonwebtokenPerSecond / micro.rawVerifyPerSecond, 2)} of raw) |`,
    `| valid token verification | ${format(micro.validVerificationMicros, 1)} µs |`,
    `| malformed token rejection | ${format(micro.malformedRejectionMicros, 2)} µs (${format(micro.malformedRejectionMicros / micro.validVerificationMicros, 3)} of a valid one) |`,
    `| oversized token rejection | ${format(micro.oversizedRejectionMicros, 2)} µs (${format(micro.oversizedRejectionMicros / micro.validVerificationMicros, 3)} of a valid one) |`,
    '',
    `Demo server process after the HTTP rounds: RSS ${format(serverRss / 2 ** 20, 1)} MiB`,
  );
  if (memory !== undefined) {
    lines.push(
      `Memory after ${format(memory.tokens)} distinct valid tokens: cache holds ${format(memory.cachedTokens)} (limit ${format(memory.cacheLimit)}); ` +
        `RSS ${memory.rssBeforeMiB} -> ${memory.rssAfterMiB} MiB, heap used ${memory.heapUsedBeforeMiB} -> ${memory.heapUsedAfterMiB} MiB`,
    );
  }
  lines.push(
    '',
    'Goals: (b)/(a) >= 0.90, (c)/(a) >= 0.70, library/raw >= 0.70, rejections < 0.1 of a valid verification.',
    '(b)/(e) and (c)/(e) show the cost of authentication alone on the employee route.',
    '',
  );
  process.stdout.write(lines.join('\n'));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  Logger.overrideLogger(['error']);
  const logger = new Logger('Bench');

  const issuer = await DevIssuer.start({
    audiences: [AUDIENCE],
    clients: DEMO_CLIENTS.map((client) => ({ ...client, secret: 'bench-client-secret-0123456789' })),
  });
  const key = issuer.keys.activeKey;
  const privateKeyPem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const claims = issuer.claimsFor(CLIENT);

  logger.log(`Minting ${options.tokens} tokens`);
  const tokens = await mintTokens({ privateKeyPem, kid: key.kid, claims, count: options.tokens });
  const reusedToken = issuer.issueToken(CLIENT);

  const { child, ports } = await startServer(issuer.url);
  try {
    const demoUrl = `http://127.0.0.1:${ports.demo}`;
    let tokenIndex = 0;
    const nextToken = (): string => tokens[tokenIndex++ % tokens.length];
    const scenarios: Record<ScenarioName, () => Promise<Sample>> = {
      a: () => load(`${demoUrl}/health`, options.seconds, options.connections),
      b: () => load(`${demoUrl}${ROUTE}`, options.seconds, options.connections, () => reusedToken),
      c: () => load(`${demoUrl}${ROUTE}`, options.seconds, options.connections, nextToken),
      d: () => load(`http://127.0.0.1:${ports.baseline}${ROUTE}`, options.seconds, options.connections, () => reusedToken),
      e: () => load(`${demoUrl}/bench-public${ROUTE}`, options.seconds, options.connections),
    };

    logger.log('Warming up');
    for (const run of Object.values(scenarios)) {
      await load(`${demoUrl}/health`, 1, options.connections);
      await run();
    }

    const samples: Record<ScenarioName, Sample[]> = { a: [], b: [], c: [], d: [], e: [] };
    for (let round = 1; round <= options.rounds; round++) {
      for (const name of ['a', 'b', 'c', 'd', 'e'] as const) {
        samples[name].push(await scenarios[name]());
      }
      logger.log(`Round ${round} of ${options.rounds} done`);
    }
    const memory = await serverMemory(child);

    logger.log('Running the micro-benchmarks');
    const moduleOptions = { issuerUrl: issuer.url, audience: AUDIENCE, routeAudit: 'warn' as const };
    const micro = await runVerificationMicro(moduleOptions, tokens, key.publicKey.export({ format: 'jwk' }) as Record<string, unknown>);

    let memoryResults: MemoryResults | undefined;
    if (options.memoryTokens > 0) {
      logger.log(`Minting ${options.memoryTokens} tokens for the memory check`);
      const memoryTokens = await mintTokens({ privateKeyPem, kid: key.kid, claims, count: options.memoryTokens });
      memoryResults = await runMemoryCheck(moduleOptions, memoryTokens);
    }

    printReport(options, samples, micro, memoryResults, memory.rss);
  } finally {
    child.kill();
    await issuer.stop();
  }
}

main().catch((error: Error) => {
  new Logger('Bench').error(error.message, error.stack);
  process.exitCode = 1;
});
