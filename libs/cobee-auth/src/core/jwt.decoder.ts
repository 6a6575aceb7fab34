import { isUtf8 } from 'node:buffer';
import { InvalidTokenError } from './cobee-auth.errors';
import { parseStrictJsonObject, StrictJsonProblem } from './strict-json.parser';

/** A compact JWS split into its parts, with header and payload decoded but nothing verified. */
export interface DecodedJwt {
  /** The header segment as it appears in the token. */
  readonly encodedHeader: string;
  /** The decoded header; empty when the caller asked to skip it. */
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** The bytes the signature covers: `base64url(header) + "." + base64url(payload)`. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

const NO_HEADER: Readonly<Record<string, unknown>> = Object.freeze({});
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const JSON_PROBLEM_MESSAGES: Record<StrictJsonProblem, string> = {
  syntax: 'is not valid JSON',
  not_an_object: 'is not a JSON object',
  duplicate_member: 'has a duplicate member name',
  forbidden_member: 'has a member named __proto__, constructor or prototype',
  too_deep: 'nests objects or arrays too deeply',
};

/**
 * Splits and decodes a compact JWS without verifying it. The size limit is checked before
 * anything is decoded, and the header and payload must be JSON objects without duplicate
 * member names.
 *
 * @param token the token text from the Authorization header
 * @param maxTokenBytes the largest accepted token, in bytes
 * @param isKnownHeader reports whether the caller already decoded and checked a header segment;
 *   such a header's encoding is still checked, but its JSON is not decoded again
 * @throws InvalidTokenError with a code that names the first problem found
 */
export function decodeJwt(token: string, maxTokenBytes: number, isKnownHeader?: (encodedHeader: string) => boolean): DecodedJwt {
  const problem = findStructureProblem(token, maxTokenBytes);
  if (problem !== undefined) {
    throw problem;
  }

  const firstDot = token.indexOf('.');
  const secondDot = token.indexOf('.', firstDot + 1);
  const encodedHeader = token.slice(0, firstDot);
  const encodedPayload = token.slice(firstDot + 1, secondDot);
  const encodedSignature = token.slice(secondDot + 1);
  const header =
    isKnownHeader?.(encodedHeader) === true ? NO_HEADER : parseJsonSegment(decodeBase64urlSegment(encodedHeader, 'header'), 'header');
  const payload = parseJsonSegment(decodeBase64urlSegment(encodedPayload, 'payload'), 'payload');
  return {
    encodedHeader,
    header,
    payload,
    signingInput: token.slice(0, encodedHeader.length + 1 + encodedPayload.length),
    signature: decodeBase64urlSegment(encodedSignature, 'signature'),
  };
}

/**
 * Runs the checks that need no decoding: the size limit, exactly three segments, and each
 * segment's length and alphabet. It returns the problem instead of throwing it, so a caller
 * that rejects junk in bulk can do so without the cost of an exception.
 *
 * Returns the first problem found, or undefined when the structure is sound.
 */
export function findStructureProblem(token: string, maxTokenBytes: number): InvalidTokenError | undefined {
  // A string's UTF-8 length lies between its UTF-16 length and three times that, so counting
  // bytes is needed only in between. The bearer extractor only passes ASCII, but the decoder
  // does not rely on it.
  if (token.length > maxTokenBytes || (token.length * 3 > maxTokenBytes && Buffer.byteLength(token, 'utf8') > maxTokenBytes)) {
    return new InvalidTokenError('ERR_JWT_TOO_LARGE', `Token of ${Buffer.byteLength(token, 'utf8')} bytes exceeds ${maxTokenBytes}`);
  }

  // Two dots and no third, found with indexOf, so junk is rejected without splitting it.
  const firstDot = token.indexOf('.');
  const secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
  if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
    const segmentCount = token.split('.').length;
    return segmentCount === 5
      ? new InvalidTokenError('ERR_JWE_NOT_SUPPORTED', 'Token has five segments (JWE)')
      : new InvalidTokenError('ERR_JWT_MALFORMED', `Token has ${segmentCount} segments instead of 3`);
  }

  // Every segment's shape is checked before any of them is decoded, the cheaper work first.
  if (!hasSegmentShape(token, 0, firstDot)) {
    return malformedSegment('header');
  }
  if (!hasSegmentShape(token, firstDot + 1, secondDot)) {
    return malformedSegment('payload');
  }
  if (!hasSegmentShape(token, secondDot + 1, token.length)) {
    return malformedSegment('signature');
  }
  return undefined;
}

function malformedSegment(name: 'header' | 'payload' | 'signature'): InvalidTokenError {
  return new InvalidTokenError('ERR_JWT_MALFORMED', `The ${name} segment is missing or not base64url`);
}

/**
 * Checks the part of `token` from `start` to `end` without decoding it: a length that encodes
 * whole bytes (4n+1 cannot), and no `+` or `/`, which Node's decoder takes as the standard
 * alphabet's spelling of `-` and `_`.
 */
function hasSegmentShape(token: string, start: number, end: number): boolean {
  const length = end - start;
  if (length === 0 || length % 4 === 1) {
    return false;
  }
  const plus = token.indexOf('+', start);
  const slash = token.indexOf('/', start);
  return (plus < 0 || plus >= end) && (slash < 0 || slash >= end);
}

/**
 * Decodes one segment that passed `hasSegmentShape`, accepting only canonical base64url.
 * Node's decoder skips or stops at characters outside the alphabet, so a result shorter than
 * the length implies means the segment had one. The unused low bits of the last character
 * must be zero. Otherwise several token strings would decode to the same bytes, and one token
 * could slip past anything keyed by the token text, such as a deny-list or the
 * verified-token cache.
 */
function decodeBase64urlSegment(segment: string, name: 'header' | 'payload' | 'signature'): Buffer {
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.length !== Math.floor((segment.length * 3) / 4)) {
    throw malformedSegment(name);
  }
  const remainder = segment.length % 4;
  if (remainder !== 0) {
    const lastValue = BASE64URL_ALPHABET.indexOf(segment[segment.length - 1]);
    if ((lastValue & (remainder === 2 ? 0x0f : 0x03)) !== 0) {
      throw malformedSegment(name);
    }
  }
  return bytes;
}

function parseJsonSegment(bytes: Buffer, name: 'header' | 'payload'): Record<string, unknown> {
  // An ASCII first byte other than "{" or whitespace cannot start an object: junk stops here.
  const first = bytes[firstNonWhitespaceByte(bytes)];
  if (first !== undefined && first < 0x80 && first !== 0x7b) {
    throw new InvalidTokenError('ERR_JWT_MALFORMED', `The ${name} segment ${JSON_PROBLEM_MESSAGES[JSON_VALUE_STARTS.has(first) ? 'not_an_object' : 'syntax']}`);
  }
  if (!isUtf8(bytes)) {
    throw new InvalidTokenError('ERR_JWT_MALFORMED', `The ${name} segment is not UTF-8`);
  }

  const parsed = parseStrictJsonObject(bytes.toString('utf8'));
  if (!parsed.ok) {
    throw new InvalidTokenError('ERR_JWT_MALFORMED', `The ${name} segment ${JSON_PROBLEM_MESSAGES[parsed.problem]}`);
  }
  return parsed.value;
}

/** First bytes of JSON values other than objects: `[`, `"`, `-`, digits, and the `t`, `f`, `n` of literals. */
const JSON_VALUE_STARTS = new Set([0x5b, 0x22, 0x2d, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x74, 0x66, 0x6e]);

function firstNonWhitespaceByte(bytes: Buffer): number {
  let index = 0;
  while (index < bytes.length && (bytes[index] === 0x20 || bytes[index] === 0x09 || bytes[index] === 0x0a || bytes[index] === 0x0d)) {
    index++;
  }
  return index;
}
