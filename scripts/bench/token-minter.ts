import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** The input of a minting worker: the issuer's private key, its `kid` and the claims to vary. */
export interface MintingJob {
  readonly privateKeyPem: string;
  readonly kid: string;
  readonly claims: Record<string, unknown>;
  readonly count: number;
}

/** Signs tokens in a worker thread; each token gets a distinct `jti`, so no two are equal. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createPrivateKey, sign } = require('node:crypto');
const { privateKeyPem, kid, claims, first, count } = workerData;
const key = createPrivateKey(privateKeyPem);
const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString('base64url');
const tokens = [];
for (let index = first; index < first + count; index++) {
  const payload = Buffer.from(JSON.stringify({ ...claims, jti: 'bench-' + index })).toString('base64url');
  const input = header + '.' + payload;
  tokens.push(input + '.' + sign('sha256', Buffer.from(input), key).toString('base64url'));
}
parentPort.postMessage(tokens);
`;

/**
 * Mints `job.count` distinct RS256 tokens, spread over one worker thread per core, because
 * each RSA-2048 signature costs about a quarter of a millisecond.
 */
export async function mintTokens(job: MintingJob): Promise<string[]> {
  const workers = Math.max(1, Math.min(availableParallelism(), 4));
  const share = Math.ceil(job.count / workers);
  const batches = await Promise.all(
    Array.from({ length: workers }, (_, index) => {
      const first = index * share;
      const count = Math.max(0, Math.min(share, job.count - first));
      return new Promise<string[]>((resolve, reject) => {
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { privateKeyPem: job.privateKeyPem, kid: job.kid, claims: job.claims, first, count },
        });
        worker.once('message', (tokens: string[]) => {
          resolve(tokens);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    }),
  );
  return batches.flat();
}
