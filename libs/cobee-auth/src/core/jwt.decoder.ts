import { InvalidTokenError } from './cobee-auth.errors';
import { parseStrictJsonObject, StrictJsonProblem } from './strict-json.parser';

/** A compact JWS split into its parts, with header and payload decoded but nothing verified. */
export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** The bytes the signature covers: `base64url(header) + "." + base64url(payload)`. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

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
 * @throws InvalidTokenError with a code that names the first problem found
 */
export function decodeJwt(token: string, maxTokenBytes: number): DecodedJwt {
  // A string's UTF-8 length is never below its UTF-16 length, so the cheap comparison runs first.
  // The bearer extractor only passes ASCII, but the decoder does not rely on it.
  if (token.length > maxTokenBytes || Buffer.byteLength(token, 'utf8') > maxTokenBytes) {
    throw new InvalidTokenError(
      'ERR_JWT_TOO_LARGE',
      `Token of ${Buffer.byteLength(token, 'utf8')} bytes exceeds ${maxTokenBytes}`,
    );
  }

  const segments = token.split('.');
  if (segments.length === 5) {
    throw new InvalidTokenError('ERR_JWE_NOT_SUPPORTED', 'Token has five segments (JWE)');
  }
  if (segments.length !== 3) {
    throw new InvalidTokenError('ERR_JWT_MALFORMED', `Token has ${segments.length} segments instead of 3`);
  }

  const [encodedHeader, encodedPayload, encodedSignature] = segments;
  const header = decodeJsonSegment(encodedHeader, 'header');
  const payload = decodeJsonSegment(encodedPayload, 'payload');
  if (!isBase64url(encodedSignature)) {
    throw new InvalidTokenError('ERR_JWT_MALFORMED', 'Signature segment is missing or not base64url');
  }

  return {
    header,
    payload,
    signingInput: `${encodedHeader}.${encodedPayload}`,
    signature: Buffer.from(encodedSignature, 'base64url'),
  };
}

function decodeJsonSegment(segment: string, name: 'header' | 'payload'): Record<string, unknown> {
  if (!isBase64url(segment)) {
    throw new InvalidTokenError('ERR_JWT_MALFORMED', `The ${name} segment is missing or not base64url`);
  }

  let text: string;
  try {
    text = UTF8.decode(Buffer.from(segment, 'base64url'));
  } catch {
    throw new InvalidTokenError('ERR_JWT_MALFORMED', `The ${name} segment is not UTF-8`);
  }

  const parsed = parseStrictJsonObject(text);
  if (!parsed.ok) {
    throw new InvalidTokenError('ERR_JWT_MALFORMED', `The ${name} segment ${JSON_PROBLEM_MESSAGES[parsed.problem]}`);
  }
  return parsed.value;
}

/** Accepts unpadded base64url whose length can encode whole bytes (a length of 4n+1 cannot). */
function isBase64url(segment: string): boolean {
  return segment.length > 0 && segment.length % 4 !== 1 && BASE64URL_SEGMENT.test(segment);
}
