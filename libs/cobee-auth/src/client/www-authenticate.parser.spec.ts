import { isInvalidTokenChallenge, parseWwwAuthenticate } from './www-authenticate.parser';

describe('parseWwwAuthenticate', () => {
  it('reads a Bearer challenge with quoted parameters', () => {
    const [challenge, ...rest] = parseWwwAuthenticate('Bearer realm="api", error="invalid_token", error_description="The access token expired"');

    expect(rest).toEqual([]);
    expect(challenge.scheme).toBe('bearer');
    expect(challenge.params.get('realm')).toBe('api');
    expect(challenge.params.get('error')).toBe('invalid_token');
    expect(challenge.params.get('error_description')).toBe('The access token expired');
  });

  it('reads several challenges in one value', () => {
    const challenges = parseWwwAuthenticate('Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"');

    expect(challenges.map((challenge) => challenge.scheme)).toEqual(['newauth', 'basic']);
    expect(challenges[0].params.get('type')).toBe('1');
    expect(challenges[0].params.get('title')).toBe('Login to "apps"');
    expect(challenges[1].params.get('realm')).toBe('simple');
  });

  it('keeps commas inside quoted strings', () => {
    const [challenge] = parseWwwAuthenticate('Bearer realm="a, b", error="invalid_token"');

    expect(challenge.params.get('realm')).toBe('a, b');
    expect(challenge.params.get('error')).toBe('invalid_token');
  });

  it('reads a token68 challenge', () => {
    const [first, second] = parseWwwAuthenticate('Negotiate abc123==, Bearer');

    expect(first.scheme).toBe('negotiate');
    expect(first.token68).toBe('abc123==');
    expect(second.scheme).toBe('bearer');
  });

  it('stops at an unterminated quoted string', () => {
    expect(parseWwwAuthenticate('Bearer error="invalid_token')[0].params.size).toBe(0);
  });
});

describe('isInvalidTokenChallenge', () => {
  it.each([
    ['Bearer realm="api", error="invalid_token"'],
    ['Bearer error=invalid_token'],
    ['bearer ERROR="invalid_token"'],
    ['Basic realm="x", Bearer realm="api", error="invalid_token"'],
    ['Bearer realm="a,b" , error = "invalid_token"'],
  ])('accepts %p', (header) => {
    expect(isInvalidTokenChallenge(header)).toBe(true);
  });

  it.each([
    ['Bearer realm="api"'],
    ['Bearer error="insufficient_scope"'],
    ['Bearer error="invalid_request"'],
    ['Basic error="invalid_token"'],
    ['Bearer realm="error=\\"invalid_token\\""'],
    ['Bearer error="Invalid_Token"'],
    [''],
    [null],
    [undefined],
  ])('rejects %p', (header) => {
    expect(isInvalidTokenChallenge(header)).toBe(false);
  });
});
