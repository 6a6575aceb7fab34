import { createPublicKey, verify } from 'node:crypto';
import * as jsonwebtoken from 'jsonwebtoken';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CobeeAuthModule, CobeeAuthModuleOptions, resolveCobeeAuthConfig, TokenVerifier } from '@cobee/auth';
import { inspectToken } from '../../libs/cobee-auth/src/core/token.inspector';

/** Results of the single-thread verification benchmarks. */
export interface MicroResults {
  readonly rawVerifyPerSecond: number;
  readonly libraryVerifyPerSecond: number;
  /** passport-jwt's verifier, jsonwebtoken 9, given the same parsed key: the part the library replaced. */
  readonly jsonwebtokenVerifyPerSecond: number;
  /** The library's key-free checks followed by jsonwebtoken, the path a passport-jwt strategy would take. */
  readonly checksWithJsonwebtokenPerSecond: number;
  readonly malformedRejectionMicros: number;
  readonly oversizedRejectionMicros: number;
  readonly validVerificationMicros: number;
}

/** Memory after many distinct tokens went through a verifier with the default cache. */
export interface MemoryResults {
  readonly tokens: number;
  readonly cachedTokens: number;
  readonly cacheLimit: number;
  readonly rssBeforeMiB: number;
  readonly rssAfterMiB: number;
  readonly heapUsedBeforeMiB: number;
  readonly heapUsedAfterMiB: number;
}

async function createVerifier(options: CobeeAuthModuleOptions): Promise<{ verifier: TokenVerifier; close: () => Promise<void> }> {
  @Module({ imports: [CobeeAuthModule.forRoot(options)] })
  class MicroModule {}

  const context = await NestFactory.createApplicationContext(MicroModule, { logger: ['error'] });
  await context.init();
  const verifier = context.get(TokenVerifier);
  return { verifier, close: () => context.close() };
}

/** Interleaved rounds of the verification micro-benchmark. */
const MICRO_ROUNDS = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

function toMiB(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

/** Times `run` over `count` iterations and returns the rate per second. */
async function ratePerSecond(count: number, run: (index: number) => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  for (let index = 0; index < count; index++) {
    await run(index);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return count / seconds;
}

/**
 * Compares the library's verification path (cache off, a distinct token each time) with raw
 * `crypto.verify` over the same tokens and a parsed key, and times the rejection of
 * malformed and oversized tokens.
 */
export async function runVerificationMicro(
  options: CobeeAuthModuleOptions,
  tokens: readonly string[],
  publicJwk: Record<string, unknown>,
): Promise<MicroResults> {
  const { verifier, close } = await createVerifier({ ...options, verifiedTokenCacheSize: 0 });
  try {
    const key = createPublicKey({ key: publicJwk, format: 'jwk' });
    const parts = tokens.map((token) => {
      const [header, payload, signature] = token.split('.');
      return { input: Buffer.from(`${header}.${payload}`), signature: Buffer.from(signature, 'base64url') };
    });

    // Warm both paths (JIT, key fetch) before measuring.
    for (let index = 0; index < 500; index++) {
      verify('sha256', parts[index].input, key, parts[index].signature);
      await verifier.verify(tokens[index]);
    }

    // Interleaved rounds; the median of each rate smooths out a round disturbed by GC or the scheduler.
    const count = tokens.length;
    const rawRates: number[] = [];
    const libraryRates: number[] = [];
    const jsonwebtokenRates: number[] = [];
    const combinedRates: number[] = [];
    const config = resolveCobeeAuthConfig(options);
    const jsonwebtokenOptions: jsonwebtoken.VerifyOptions = {
      algorithms: ['RS256'],
      issuer: options.issuerUrl,
      audience: options.audience as string,
    };
    for (let round = 0; round < MICRO_ROUNDS; round++) {
      rawRates.push(
        await ratePerSecond(count, (index) => {
          if (!verify('sha256', parts[index].input, key, parts[index].signature)) {
            throw new Error('raw verification failed');
          }
        }),
      );
      libraryRates.push(await ratePerSecond(count, (index) => verifier.verify(tokens[index])));
      jsonwebtokenRates.push(await ratePerSecond(count, (index) => jsonwebtoken.verify(tokens[index], key, jsonwebtokenOptions)));
      combinedRates.push(
        await ratePerSecond(count, (index) => {
          inspectToken(tokens[index], config, Date.now() / 1000);
          return jsonwebtoken.verify(tokens[index], key, jsonwebtokenOptions);
        }),
      );
    }
    const rawVerifyPerSecond = median(rawRates);
    const libraryVerifyPerSecond = median(libraryRates);
    const jsonwebtokenVerifyPerSecond = median(jsonwebtokenRates);
    const checksWithJsonwebtokenPerSecond = median(combinedRates);

    const malformed = ['not-a-token', 'a.b', 'eyJhbGciOiJIUzI1NiJ9.e30.', `${'x'.repeat(40)}.${'y'.repeat(40)}.${'z'.repeat(40)}`];
    const oversized = `${tokens[0]}${'A'.repeat(9000)}`;
    const rejections = 20_000;
    const malformedRates: number[] = [];
    const oversizedRates: number[] = [];
    for (let round = 0; round < MICRO_ROUNDS; round++) {
      malformedRates.push(
        await ratePerSecond(rejections, (index) =>
          verifier.verify(malformed[index % malformed.length]).then(
            () => {
              throw new Error('a malformed token was accepted');
            },
            () => undefined,
          ),
        ),
      );
      oversizedRates.push(
        await ratePerSecond(rejections, () =>
          verifier.verify(oversized).then(
            () => {
              throw new Error('an oversized token was accepted');
            },
            () => undefined,
          ),
        ),
      );
    }
    const malformedRate = median(malformedRates);
    const oversizedRate = median(oversizedRates);

    return {
      rawVerifyPerSecond,
      libraryVerifyPerSecond,
      jsonwebtokenVerifyPerSecond,
      checksWithJsonwebtokenPerSecond,
      malformedRejectionMicros: 1e6 / malformedRate,
      oversizedRejectionMicros: 1e6 / oversizedRate,
      validVerificationMicros: 1e6 / libraryVerifyPerSecond,
    };
  } finally {
    await close();
  }
}

/** Sends every token through a verifier with the default cache and reports memory before and after. */
export async function runMemoryCheck(options: CobeeAuthModuleOptions, tokens: readonly string[]): Promise<MemoryResults> {
  const { verifier, close } = await createVerifier(options);
  try {
    await verifier.verify(tokens[0]);
    global.gc?.();
    const before = process.memoryUsage();
    for (const token of tokens) {
      await verifier.verify(token);
    }
    global.gc?.();
    const after = process.memoryUsage();
    return {
      tokens: tokens.length,
      cachedTokens: verifier.cachedTokenCount,
      cacheLimit: options.verifiedTokenCacheSize ?? 10_000,
      rssBeforeMiB: toMiB(before.rss),
      rssAfterMiB: toMiB(after.rss),
      heapUsedBeforeMiB: toMiB(before.heapUsed),
      heapUsedAfterMiB: toMiB(after.heapUsed),
    };
  } finally {
    await close();
  }
}
