import { InvalidTokenError } from './cobee-auth.errors';
import { captureError } from './core.fixtures';
import { decodeJwt } from './jwt.decoder';

const LIMIT = 8192;

function segment(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function token(header: string, payload: string, signature = 'c2lnbmF0dXJl'): string {
  return `${segment(header)}.${segment(payload)}.${signature}`;
}

const HEADER = '{"alg":"RS256","typ":"JWT","kid":"k1"}';
const PAYLOAD = '{"iss":"https://issuer.example/","sub":"client@clients"}';

function decodeError(text: string, limit = LIMIT): InvalidTokenError {
  return captureError(InvalidTokenError, () => decodeJwt(text, limit), 'decodeJwt accepted the token');
}

describe('decodeJwt', () => {
  describe('well-formed tokens', () => {
    it('returns header, payload, signing input and signature', () => {
      const text = token(HEADER, PAYLOAD);

      const decoded = decodeJwt(text, LIMIT);

      expect(decoded.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
      expect(decoded.payload).toEqual({ iss: 'https://issuer.example/', sub: 'client@clients' });
      expect(decoded.signingInput).toBe(text.slice(0, text.lastIndexOf('.')));
      expect(decoded.signature.toString()).toBe('signature');
    });

    it('decodes UTF-8 text in claims', () => {
      const decoded = decodeJwt(token(HEADER, '{"name":"Zoë ✓"}'), LIMIT);

      expect(decoded.payload.name).toBe('Zoë ✓');
    });
  });

  describe('size', () => {
    it('rejects a token one byte over the limit', () => {
      const text = token(HEADER, PAYLOAD);

      const error = decodeError(text, text.length - 1);

      expect(error.code).toBe('ERR_JWT_TOO_LARGE');
      expect(error.message).toBe(`Token of ${text.length} bytes exceeds ${text.length - 1}`);
    });

    it('accepts a token of exactly the limit', () => {
      const text = token(HEADER, PAYLOAD);

      expect(() => decodeJwt(text, text.length)).not.toThrow();
    });

    it('counts UTF-8 bytes, not characters', () => {
      const text = 'é'.repeat(600);

      expect(decodeError(text, 1000).code).toBe('ERR_JWT_TOO_LARGE');
    });

    it('checks the size before the structure', () => {
      expect(decodeError('x'.repeat(LIMIT + 1)).code).toBe('ERR_JWT_TOO_LARGE');
      expect(decodeError('.'.repeat(LIMIT + 1)).code).toBe('ERR_JWT_TOO_LARGE');
    });
  });

  describe('segments', () => {
    it.each([
      ['one segment', 'abc'],
      ['two segments', 'abc.def'],
      ['four segments', 'a.b.c.d'],
      ['six segments', 'a.b.c.d.e.f'],
      ['empty text', ''],
      ['two dots', '..'],
    ])('rejects %s as malformed', (_name, text) => {
      const error = decodeError(text);

      expect(error.code).toBe('ERR_JWT_MALFORMED');
    });

    it('names the segment count', () => {
      expect(decodeError('a.b.c.d').message).toBe('Token has 4 segments instead of 3');
    });

    it('rejects five segments as JWE without decoding them', () => {
      const error = decodeError('eyJhbGciOiJSU0EtT0FFUCJ9.!.!.!.!');

      expect(error.code).toBe('ERR_JWE_NOT_SUPPORTED');
      expect(error.message).toBe('Token has five segments (JWE)');
    });

    it('rejects an empty header, payload or signature', () => {
      expect(decodeError(`.${segment(PAYLOAD)}.c2ln`).message).toBe('The header segment is missing or not base64url');
      expect(decodeError(`${segment(HEADER)}..c2ln`).message).toBe('The payload segment is missing or not base64url');
      expect(decodeError(`${segment(HEADER)}.${segment(PAYLOAD)}.`).message).toBe(
        'The signature segment is missing or not base64url',
      );
    });
  });

  describe('base64url', () => {
    it.each([
      ['padding', `${segment(HEADER)}=`],
      ['standard alphabet plus', `${segment(HEADER).slice(0, -1)}+`],
      ['standard alphabet slash', `${segment(HEADER).slice(0, -1)}/`],
      ['space', ` ${segment(HEADER)}`],
      ['non-ASCII letter', `${segment(HEADER).slice(0, -1)}é`],
      ['length 4n+1', `${segment('{"alg":"RS256"}')}A`.padEnd(21, 'A')],
    ])('rejects a header with %s', (_name, header) => {
      const error = decodeError(`${header}.${segment(PAYLOAD)}.c2ln`);

      expect(error.code).toBe('ERR_JWT_MALFORMED');
      expect(error.message).toBe('The header segment is missing or not base64url');
    });

    it('rejects a signature with padding', () => {
      expect(decodeError(`${segment(HEADER)}.${segment(PAYLOAD)}.c2lnbg==`).message).toBe(
        'The signature segment is missing or not base64url',
      );
    });

    it('rejects a signature of length 4n+1', () => {
      expect(decodeError(`${segment(HEADER)}.${segment(PAYLOAD)}.abcde`).code).toBe('ERR_JWT_MALFORMED');
    });
  });

  describe('UTF-8 and JSON', () => {
    it('rejects a payload that is not UTF-8', () => {
      const invalidUtf8 = Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]).toString('base64url');

      const error = decodeError(`${segment(HEADER)}.${invalidUtf8}.c2ln`);

      expect(error.code).toBe('ERR_JWT_MALFORMED');
      expect(error.message).toBe('The payload segment is not UTF-8');
    });

    it('rejects a header that is not UTF-8', () => {
      const invalidUtf8 = Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('base64url');

      expect(decodeError(`${invalidUtf8}.${segment(PAYLOAD)}.c2ln`).message).toBe('The header segment is not UTF-8');
    });

    it.each([
      ['not JSON', 'alg=RS256', 'The header segment is not valid JSON'],
      ['an array', '["RS256"]', 'The header segment is not a JSON object'],
      ['a string', '"RS256"', 'The header segment is not a JSON object'],
      ['null', 'null', 'The header segment is not a JSON object'],
      ['duplicate alg', '{"alg":"RS256","alg":"none"}', 'The header segment has a duplicate member name'],
      ['__proto__', '{"alg":"RS256","__proto__":{"kid":"x"}}', 'The header segment has a member named __proto__, constructor or prototype'],
    ])('rejects a header that is %s', (_name, header, message) => {
      const error = decodeError(token(header, PAYLOAD));

      expect(error.code).toBe('ERR_JWT_MALFORMED');
      expect(error.message).toBe(message);
    });

    it.each([
      ['not JSON', '{"iss":', 'The payload segment is not valid JSON'],
      ['a number', '42', 'The payload segment is not a JSON object'],
      ['a JSON string of an object', JSON.stringify(PAYLOAD), 'The payload segment is not a JSON object'],
      ['duplicate iss', '{"iss":"a","iss":"b"}', 'The payload segment has a duplicate member name'],
      ['nested too deeply', `{"x":${'['.repeat(40)}${']'.repeat(40)}}`, 'The payload segment nests objects or arrays too deeply'],
    ])('rejects a payload that is %s', (_name, payload, message) => {
      const error = decodeError(token(HEADER, payload));

      expect(error.code).toBe('ERR_JWT_MALFORMED');
      expect(error.message).toBe(message);
    });

    it('checks the header before the payload', () => {
      expect(decodeError(token('[]', '[]')).message).toBe('The header segment is not a JSON object');
    });

    it('checks every encoding before any JSON', () => {
      expect(decodeError(`${segment(HEADER)}.${segment('[]')}.`).message).toBe('The signature segment is missing or not base64url');
      expect(decodeError(`${segment(HEADER)}.${segment('[]')}.c2ln`).message).toBe('The payload segment is not a JSON object');
    });
  });

  it('never puts token text in an error message', () => {
    const secretLooking = segment('{"alg":"RS256","secret":"s3cr3t-value"}');
    const texts = [`${secretLooking}.x`, `${secretLooking}.${segment('[]')}.c2ln`, `${secretLooking}.a.b.c.d`];

    for (const text of texts) {
      const error = decodeError(text);
      expect(error.message).not.toContain(secretLooking);
      expect(error.description).not.toContain(secretLooking);
    }
  });
});

describe('decodeJwt canonical encoding', () => {
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  /** Sets the lowest unused bit of a segment's last character, which spells the same bytes another way. */
  function nonCanonical(segmentText: string): string {
    const last = ALPHABET.indexOf(segmentText[segmentText.length - 1]);
    return `${segmentText.slice(0, -1)}${ALPHABET[last | 1]}`;
  }

  it.each([
    ['header', 0],
    ['payload', 1],
    ['signature', 2],
  ])('rejects a non-canonical %s', (_name, index) => {
    const parts = token(HEADER, PAYLOAD, 'c2lnbmF0dXJlcw').split('.');
    expect(parts[index].length % 4).not.toBe(0);
    parts[index] = nonCanonical(parts[index]);

    expect(decodeError(parts.join('.')).code).toBe('ERR_JWT_MALFORMED');
  });

  it('accepts the canonical spelling of the same bytes', () => {
    expect(() => decodeJwt(token(HEADER, PAYLOAD, 'c2lnbmF0dXJlcw'), LIMIT)).not.toThrow();
  });
});

describe('decodeJwt alphabet and structure details', () => {
  it.each([
    ['a plus at the start', (text: string) => `+${text.slice(1)}`],
    ['a plus in the middle', (text: string) => `${text.slice(0, 5)}+${text.slice(6)}`],
    ['a slash at the start', (text: string) => `/${text.slice(1)}`],
    ['a slash in the middle', (text: string) => `${text.slice(0, 5)}/${text.slice(6)}`],
  ])('rejects a header with %s', (_name, change) => {
    const error = decodeError(`${change(segment(HEADER))}.${segment(PAYLOAD)}.c2ln`);

    expect(error.message).toBe('The header segment is missing or not base64url');
  });

  it.each([
    ['payload', 1],
    ['signature', 2],
  ])('rejects a standard-alphabet character inside the %s', (name, index) => {
    const parts = token(HEADER, PAYLOAD, 'c2lnbmF0dXJlcw').split('.');
    parts[index] = `${parts[index].slice(0, 2)}+${parts[index].slice(3)}`;

    expect(decodeError(parts.join('.')).message).toBe(`The ${name} segment is missing or not base64url`);
  });

  it('names the count of a text without dots', () => {
    expect(decodeError('abc').message).toBe('Token has 1 segments instead of 3');
  });

  it.each([1, 2, 4, 8])('rejects unused bit %d set in a two-character tail', (bit) => {
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // "sig" plus one byte encodes to 6 characters: the last one carries 2 data bits and 4 unused ones.
    const signature = Buffer.from('sig!').toString('base64url');
    expect(signature.length % 4).toBe(2);
    const last = ALPHABET.indexOf(signature[signature.length - 1]);
    expect(last & 0x0f).toBe(0);
    const changed = `${signature.slice(0, -1)}${ALPHABET[last | bit]}`;

    expect(decodeError(`${segment(HEADER)}.${segment(PAYLOAD)}.${changed}`).message).toBe(
      'The signature segment is missing or not base64url',
    );
  });

  it.each([
    ['space', ' '],
    ['tab', '\t'],
    ['line feed', '\n'],
    ['carriage return', '\r'],
  ])('skips a leading %s before judging the JSON', (_name, whitespace) => {
    expect(decodeJwt(token(`${whitespace}${HEADER}`, PAYLOAD), LIMIT).header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
    expect(decodeError(token(`${whitespace}["RS256"]`, PAYLOAD)).message).toBe('The header segment is not a JSON object');
  });

  it('rejects a header of only whitespace as invalid JSON', () => {
    expect(decodeError(token(' \t', PAYLOAD)).message).toBe('The header segment is not valid JSON');
  });

  it('reports a first byte of 0x80 as not UTF-8', () => {
    const header = Buffer.from([0x80, 0x7b, 0x7d, 0x20]).toString('base64url');

    expect(decodeError(`${header}.${segment(PAYLOAD)}.c2ln`).message).toBe('The header segment is not UTF-8');
  });

  it('decodes a header again when the caller does not know it', () => {
    const decoded = decodeJwt(token(HEADER, PAYLOAD), LIMIT, () => false);

    expect(decoded.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
  });

  it('skips a header the caller already knows', () => {
    const text = token(HEADER, PAYLOAD);

    const decoded = decodeJwt(text, LIMIT, (encoded) => encoded === text.slice(0, text.indexOf('.')));

    expect(decoded.header).toEqual({});
    expect(decoded.payload).toEqual({ iss: 'https://issuer.example/', sub: 'client@clients' });
  });
});
