import autocannon from 'autocannon';

/**
 * One load phase of `npm run soak`, shared by the main script and the process it forks for
 * the junk traffic. Run as a forked process, it receives a phase over IPC and sends back
 * the result.
 */

export interface SoakSettings {
  readonly durationSeconds: number;
  /** Connections of each autocannon instance (valid and junk). */
  readonly connections: number;
  /** Requests per second of each autocannon instance. */
  readonly rate: number;
}

/** A request autocannon sends; `expected` lists the statuses that count as correct. */
export interface SoakRequest {
  readonly label: string;
  readonly path: string;
  readonly token: string;
  readonly expected: readonly number[];
}

export interface PhaseResult {
  readonly requests: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly p50: number;
  readonly p99: number;
  readonly statuses: Record<string, number>;
  readonly unexpected: number;
}

/** Drives the demo with one autocannon instance and counts statuses outside each request's expected ones. */
export async function runLoad(baseUrl: string, requests: readonly SoakRequest[], settings: SoakSettings, durationSeconds: number): Promise<PhaseResult> {
  let unexpected = 0;
  const result = await autocannon({
    url: baseUrl,
    connections: settings.connections,
    overallRate: settings.rate,
    duration: durationSeconds,
    timeout: 10,
    requests: requests.map((request) => ({
      method: 'GET',
      path: request.path,
      headers: { authorization: `Bearer ${request.token}` },
      onResponse: (status: number) => {
        if (!request.expected.includes(status)) {
          unexpected++;
        }
      },
    })),
  });
  const statuses: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[status] = Number(stats.count ?? 0);
  }
  return {
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses,
    unexpected,
  };
}

if (require.main === module && process.send !== undefined) {
  process.once('message', (phase: { baseUrl: string; requests: SoakRequest[]; settings: SoakSettings; durationSeconds: number }) => {
    runLoad(phase.baseUrl, phase.requests, phase.settings, phase.durationSeconds).then(
      (result) => process.send?.(result),
      (error: Error) => {
        process.stderr.write(`Load phase failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  });
}
