/** Characters kept as they are in values written to logs; everything else is escaped. */
const SAFE_CHARACTER = /[A-Za-z0-9._@:/-]/;

/** Maximum length of a value written to a log line, in characters; longer values are cut. */
const MAX_LOGGED_LENGTH = 128;

/**
 * Makes a value from a request or an unverified token safe for one log line. Characters
 * outside `[A-Za-z0-9._@:/-]` become `\uXXXX` escapes, so CR, LF and ANSI escape sequences
 * cannot forge a line or colour the terminal. The result is cut at 128 characters.
 */
export function loggableText(value: string): string {
  let result = '';
  for (const char of value.slice(0, MAX_LOGGED_LENGTH)) {
    result += SAFE_CHARACTER.test(char) ? char : `\\u${char.codePointAt(0)?.toString(16).padStart(4, '0')}`;
  }
  return value.length > MAX_LOGGED_LENGTH ? `${result}...` : result;
}
