/** Why {@link parseStrictJsonObject} rejected a text. */
export type StrictJsonProblem = 'syntax' | 'not_an_object' | 'duplicate_member' | 'forbidden_member' | 'too_deep';

/**
 * Member names that reach an object's prototype when code copies or merges claims by path
 * (`target[name]` assignments in deep-merge helpers). No JWT claim needs them.
 */
const FORBIDDEN_MEMBER_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The deepest nesting of objects and arrays accepted, counting the top-level object as 1.
 * Real tokens nest two or three levels. The limit keeps recursive consumers of the claims
 * (freezing, logging, application code) far from the call-stack limit.
 */
export const MAX_JSON_NESTING_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * Parses JSON text that must be an object and rejects texts that `JSON.parse` would accept
 * silently: duplicate member names at any depth (RFC 8725 section 3.9, RFC 7515 section 4),
 * members named `__proto__`, `constructor` or `prototype`, and objects or arrays nested
 * deeper than {@link MAX_JSON_NESTING_DEPTH}.
 *
 * Returns the parsed object, or the problem found.
 */
export function parseStrictJsonObject(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; problem: StrictJsonProblem } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'syntax' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problem: 'not_an_object' };
  }

  const problem = findMemberProblem(text);
  if (problem !== undefined) {
    return { ok: false, problem };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * Scans JSON text that `JSON.parse` already accepted and reports the first duplicate or
 * forbidden member name, or nesting beyond the limit. Because the syntax is known to be valid, tracking string
 * boundaries, nesting and the key position after `{` or `,` is enough.
 */
function findMemberProblem(text: string): StrictJsonProblem | undefined {
  // One entry per open container: the member names seen so far, or null for an array.
  const containers: Array<Set<string> | null> = [];
  let expectingMemberName = false;
  let index = 0;

  while (index < text.length) {
    const char = text.charCodeAt(index);

    if (char === QUOTE) {
      const start = index;
      let hasEscape = false;
      index++;
      while (text.charCodeAt(index) !== QUOTE) {
        if (text.charCodeAt(index) === BACKSLASH) {
          hasEscape = true;
          index++;
        }
        index++;
      }
      const end = index;
      index++;

      const members = containers[containers.length - 1];
      if (expectingMemberName && members) {
        const name = hasEscape ? (JSON.parse(text.slice(start, end + 1)) as string) : text.slice(start + 1, end);
        if (FORBIDDEN_MEMBER_NAMES.has(name)) {
          return 'forbidden_member';
        }
        if (members.has(name)) {
          return 'duplicate_member';
        }
        members.add(name);
        expectingMemberName = false;
      }
      continue;
    }

    if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      if (containers.length === MAX_JSON_NESTING_DEPTH) {
        return 'too_deep';
      }
      containers.push(char === OPEN_BRACE ? new Set() : null);
      expectingMemberName = char === OPEN_BRACE;
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      containers.pop();
      expectingMemberName = false;
    } else if (char === COMMA) {
      expectingMemberName = containers[containers.length - 1] !== null;
    }
    index++;
  }
  return undefined;
}
