import { parseRetryAfter, retryDelay } from './retry.policy';

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
  });

  it('reads zero seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
  });

  it('reads an HTTP-date relative to now', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:30 GMT', NOW)).toBe(30_000);
  });

  it('returns 0 for an HTTP-date in the past', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:59:00 GMT', NOW)).toBe(0);
  });

  it('returns undefined without a header', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  it.each([['-1'], ['1.5'], ['soon'], [''], ['2025-03-01T12:00:30Z'], ['Sat, 01 Mar 2025 12:00:30 CET'], ['1e3'], ['9999999999']])(
    'rejects malformed value %p',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );
});

describe('retryDelay', () => {
  const settings = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 };

  it('doubles with each retry', () => {
    expect([1, 2, 3, 4].map((retry) => retryDelay(retry, undefined, settings))).toEqual([100, 200, 400, 800]);
  });

  it('is capped at maxDelayMs', () => {
    expect(retryDelay(10, undefined, settings)).toBe(1000);
  });

  it('randomises the lower half', () => {
    expect(retryDelay(3, undefined, { ...settings, random: () => 0 })).toBe(200);
    expect(retryDelay(3, undefined, { ...settings, random: () => 0.5 })).toBe(300);
  });

  it('waits at least Retry-After', () => {
    expect(retryDelay(1, 900, settings)).toBe(900);
  });

  it('keeps the backoff when Retry-After is shorter', () => {
    expect(retryDelay(3, 10, settings)).toBe(400);
  });

  it('gives up when Retry-After exceeds the cap', () => {
    expect(retryDelay(1, 1001, settings)).toBeUndefined();
  });
});
