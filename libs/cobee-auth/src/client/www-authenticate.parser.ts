/** One challenge of a `WWW-Authenticate` header. Scheme and parameter names are lower-cased. */
export interface AuthChallenge {
  readonly scheme: string;
  readonly params: ReadonlyMap<string, string>;
  readonly token68: string | undefined;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Parses a `WWW-Authenticate` header value into its challenges (RFC 9110 section 11.6.1).
 * Several challenges may share one value, separated by commas, and parameter values may be
 * quoted strings that contain commas. Malformed input ends the parse at that point.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: Array<{ scheme: string; params: Map<string, string>; token68: string | undefined }> = [];
  let position = 0;

  const skip = (pattern: RegExp): void => {
    while (position < header.length && pattern.test(header[position])) {
      position++;
    }
  };
  const readToken = (): string => {
    const start = position;
    skip(TCHAR);
    return header.slice(start, position);
  };
  const readQuoted = (): string | undefined => {
    let value = '';
    position++;
    while (position < header.length) {
      const char = header[position++];
      if (char === '"') {
        return value;
      }
      if (char === '\\' && position < header.length) {
        value += header[position++];
      } else {
        value += char;
      }
    }
    return undefined;
  };

  while (position < header.length) {
    skip(/[\s,]/);
    if (position >= header.length) {
      break;
    }
    const nameStart = position;
    const name = readToken();
    if (name === '') {
      break;
    }
    skip(/[ \t]/);
    const current = challenges[challenges.length - 1];

    if (header[position] === '=' && current !== undefined && !isToken68End(header, position)) {
      position++;
      skip(/[ \t]/);
      const value = header[position] === '"' ? readQuoted() : readToken();
      if (value === undefined) {
        break;
      }
      current.params.set(name.toLowerCase(), value);
      continue;
    }
    if (header[position] === '=' && current !== undefined && current.params.size === 0 && current.token68 === undefined) {
      skip(/=/);
      current.token68 = header.slice(nameStart, position).replace(/[ \t]/g, '');
      continue;
    }
    challenges.push({ scheme: name.toLowerCase(), params: new Map(), token68: undefined });
  }
  return challenges;
}

/**
 * True when a response requests a new access token: a Bearer challenge with
 * `error="invalid_token"` (RFC 6750 section 3.1), for example an expired or revoked token.
 */
export function isInvalidTokenChallenge(header: string | null | undefined): boolean {
  if (header === null || header === undefined || header === '') {
    return false;
  }
  return parseWwwAuthenticate(header).some((challenge) => challenge.scheme === 'bearer' && challenge.params.get('error') === 'invalid_token');
}

/** True when the "=" at `position` is the padding at the end of a token68 rather than a parameter's "=". */
function isToken68End(header: string, position: number): boolean {
  let next = position;
  while (header[next] === '=') {
    next++;
  }
  while (header[next] === ' ' || header[next] === '\t') {
    next++;
  }
  return next >= header.length || header[next] === ',';
}
