/** The reason {@link parseStrictJsonObject} rejected a text. */
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

/** Member count up to which an object's names are kept in a list rather than a Set. */
const SMALL_OBJECT_MEMBERS = 16;

/** First characters of JSON values other than objects: `[`, `"`, `-`, digits, and the `t`, `f`, `n` of literals. */
const JSON_VALUE_STARTS = new Set([0x5b, 0x22, 0x2d, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x74, 0x66, 0x6e]);

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
  // Junk that cannot start a JSON value is rejected without JSON.parse, whose SyntaxError
  // costs more than every other check here together.
  const first = text.charCodeAt(firstNonWhitespace(text));
  if (first !== OPEN_BRACE && !JSON_VALUE_STARTS.has(first)) {
    return { ok: false, problem: 'syntax' };
  }

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
 * forbidden member name, or nesting beyond the limit. Because the syntax is known to be
 * valid, tracking string boundaries, nesting and the key position after `{` or `,` is
 * enough, and string contents are skipped with `indexOf` rather than read character by
 * character.
 */
function findMemberProblem(text: string): StrictJsonProblem | undefined {
  // One entry per open container: the member names seen so far, or null for an array.
  // Objects of a token have a dozen members at most, so a list searched in order costs less
  // than a Set. Past SMALL_OBJECT_MEMBERS the list becomes a Set, so the scan stays linear.
  const containers: Array<string[] | Set<string> | null> = [];
  let expectingMemberName = false;
  let index = 0;

  while (index < text.length) {
    const char = text.charCodeAt(index);

    if (char === QUOTE) {
      const end = closingQuote(text, index);
      const depth = containers.length - 1;
      const members = containers[depth];
      if (expectingMemberName && members) {
        const raw = text.slice(index + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (FORBIDDEN_MEMBER_NAMES.has(name)) {
          return 'forbidden_member';
        }
        if (Array.isArray(members)) {
          if (members.includes(name)) {
            return 'duplicate_member';
          }
          members.push(name);
          if (members.length > SMALL_OBJECT_MEMBERS) {
            containers[depth] = new Set(members);
          }
        } else {
          if (members.has(name)) {
            return 'duplicate_member';
          }
          members.add(name);
        }
        expectingMemberName = false;
      }
      index = end + 1;
      continue;
    }

    if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      if (containers.length === MAX_JSON_NESTING_DEPTH) {
        return 'too_deep';
      }
      containers.push(char === OPEN_BRACE ? [] : null);
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

/** Returns the index of the first character that is not JSON whitespace, or the text's length. */
function firstNonWhitespace(text: string): number {
  let index = 0;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char !== 0x20 && char !== 0x09 && char !== 0x0a && char !== 0x0d) {
      break;
    }
    index++;
  }
  return index;
}

/** Returns the index of the quote that closes the string opening at `start`, skipping escaped quotes. */
function closingQuote(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end > 0 && isEscaped(text, end)) {
    end = text.indexOf('"', end + 1);
  }
  return end;
}

/** Reports whether the character at `index` follows an odd number of backslashes. */
function isEscaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let position = index - 1; text.charCodeAt(position) === BACKSLASH; position--) {
    backslashes++;
  }
  return backslashes % 2 === 1;
}
