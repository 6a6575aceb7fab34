/**
 * Parses a `Retry-After` header (RFC 9110 section 10.2.3): either delay-seconds or an
 * HTTP-date. Returns the wait in milliseconds from `now`, 0 for a date in the past, or
 * undefined when the header is missing or malformed.
 *
 * @param now current time in milliseconds since the Unix epoch
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined) {
    return undefined;
  }
  const value = header.trim();
  if (/^\d{1,9}$/.test(value)) {
    return Number(value) * 1000;
  }
  // An HTTP-date always names the weekday and the time zone GMT; Date.parse accepts many
  // other shapes, so the shape is checked first.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) {
    return undefined;
  }
  const date = Date.parse(value);
  if (Number.isNaN(date)) {
    return undefined;
  }
  return Math.max(0, date - now);
}

/** Settings of {@link retryDelay}, in milliseconds. */
export interface RetryDelaySettings {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Returns a number in [0, 1). */
  readonly random: () => number;
}

/**
 * Computes the wait before retry number `retry` (1 for the first retry): exponential backoff
 * from `baseDelayMs`, capped at `maxDelayMs`, with half of it randomised so that many clients
 * do not retry in step. A `Retry-After` wait is a lower bound.
 *
 * Returns the delay in whole milliseconds, or undefined when `Retry-After` requests more than
 * `maxDelayMs`, because waiting less would ignore the server and waiting longer is not bounded.
 */
export function retryDelay(retry: number, retryAfterMs: number | undefined, settings: RetryDelaySettings): number | undefined {
  if (retryAfterMs !== undefined && retryAfterMs > settings.maxDelayMs) {
    return undefined;
  }
  const exponential = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retry - 1));
  const jittered = exponential / 2 + (exponential / 2) * settings.random();
  return Math.ceil(Math.max(jittered, retryAfterMs ?? 0));
}
