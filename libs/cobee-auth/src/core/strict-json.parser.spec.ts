import { MAX_JSON_NESTING_DEPTH, parseStrictJsonObject } from './strict-json.parser';

function nested(depth: number, open: string, close: string): string {
  return `{"a":${open.repeat(depth - 1)}1${close.repeat(depth - 1)}}`;
}

describe('parseStrictJsonObject', () => {
  it('returns a plain object', () => {
    expect(parseStrictJsonObject('{"a":1,"b":{"c":[1,2,{"d":"e"}]}}')).toEqual({
      ok: true,
      value: { a: 1, b: { c: [1, 2, { d: 'e' }] } },
    });
  });

  it('accepts the empty object', () => {
    expect(parseStrictJsonObject('{}')).toEqual({ ok: true, value: {} });
  });

  it('accepts whitespace around members', () => {
    expect(parseStrictJsonObject(' \n{ "a" : 1 ,\t"b" : 2 }\r\n')).toEqual({ ok: true, value: { a: 1, b: 2 } });
  });

  it.each([
    ['empty text', ''],
    ['truncated object', '{"a":1'],
    ['trailing comma', '{"a":1,}'],
    ['single quotes', "{'a':1}"],
    ['trailing garbage', '{"a":1}x'],
    ['two objects', '{}{}'],
    ['comment', '{"a":1 /* c */}'],
    ['unquoted name', '{a:1}'],
  ])('rejects %s as syntax', (_name, text) => {
    expect(parseStrictJsonObject(text)).toEqual({ ok: false, problem: 'syntax' });
  });

  it.each([
    ['array', '[]'],
    ['string', '"{}"'],
    ['number', '1'],
    ['null', 'null'],
    ['true', 'true'],
  ])('rejects top-level %s', (_name, text) => {
    expect(parseStrictJsonObject(text)).toEqual({ ok: false, problem: 'not_an_object' });
  });

  it.each([
    ['top level', '{"alg":"RS256","alg":"none"}'],
    ['nested object', '{"m":{"companyId":"a","companyId":"b"}}'],
    ['object inside array', '{"l":[{"x":1,"x":2}]}'],
    ['escaped spelling', '{"alg":"RS256","\\u0061lg":"none"}'],
    ['escaped quote in name', '{"a\\"b":1,"a\\u0022b":2}'],
    ['after a nested object', '{"a":{"b":1},"a":2}'],
    ['after an array value', '{"a":[1,{"x":1}],"a":2}'],
  ])('rejects a duplicate member at %s', (_name, text) => {
    expect(parseStrictJsonObject(text)).toEqual({ ok: false, problem: 'duplicate_member' });
  });

  it.each([
    ['same name in sibling objects', '{"a":{"x":1},"b":{"x":2}}'],
    ['same name in array items', '{"l":[{"x":1},{"x":2}]}'],
    ['repeated strings in an array', '{"l":["x","y","y","x"]}'],
    ['repeated strings in a nested array', '{"a":{"l":[["x","x"],"x"]},"x":1}'],
    ['an array value followed by members', '{"a":["b","b"],"b":1,"c":["c","c"]}'],
    ['name equal to a string value', '{"a":"b","b":"a"}'],
    ['name equal to a nested value', '{"a":["b"],"b":1}'],
    ['names that differ in case', '{"kid":1,"KID":2}'],
    ['string with braces and commas', '{"a":"{\\"a\\":1,","b":"}]"}'],
    ['string ending in a backslash', '{"a":"\\\\","b":1}'],
  ])('accepts %s', (_name, text) => {
    const result = parseStrictJsonObject(text);

    expect(result.ok).toBe(true);
  });

  it.each([
    ['__proto__ at top level', '{"__proto__":{"companyId":"x"}}'],
    ['__proto__ nested', '{"m":{"__proto__":{"companyId":"x"}}}'],
    ['__proto__ in an array item', '{"l":[{"__proto__":1}]}'],
    ['escaped __proto__', '{"\\u005f_proto__":{}}'],
    ['constructor', '{"constructor":{"prototype":{"admin":true}}}'],
    ['prototype nested', '{"m":{"prototype":{}}}'],
  ])('rejects %s', (_name, text) => {
    expect(parseStrictJsonObject(text)).toEqual({ ok: false, problem: 'forbidden_member' });
  });

  it('accepts forbidden names as string values', () => {
    expect(parseStrictJsonObject('{"a":"__proto__","b":["constructor"]}').ok).toBe(true);
  });

  it('leaves Object.prototype untouched', () => {
    parseStrictJsonObject('{"__proto__":{"polluted":true}}');

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts nesting at the limit', () => {
    expect(parseStrictJsonObject(nested(MAX_JSON_NESTING_DEPTH, '[', ']')).ok).toBe(true);
    expect(parseStrictJsonObject(nested(MAX_JSON_NESTING_DEPTH, '{"b":', '}')).ok).toBe(true);
  });

  it.each([
    ['arrays', '[', ']'],
    ['objects', '{"b":', '}'],
  ])('rejects %s nested past the limit', (_name, open, close) => {
    expect(parseStrictJsonObject(nested(MAX_JSON_NESTING_DEPTH + 1, open, close))).toEqual({
      ok: false,
      problem: 'too_deep',
    });
  });

  it('rejects deep nesting without exhausting the stack', () => {
    const text = nested(100_000, '[', ']');

    expect(parseStrictJsonObject(text)).toEqual({ ok: false, problem: 'too_deep' });
  });

  it('counts depth per branch, not per container', () => {
    const siblings = Array.from({ length: MAX_JSON_NESTING_DEPTH * 2 }, () => '[[1]]').join(',');

    expect(parseStrictJsonObject(`{"a":[${siblings}]}`).ok).toBe(true);
  });
});

describe('parseStrictJsonObject on objects with many members', () => {
  function members(count: number): string[] {
    return Array.from({ length: count }, (_, index) => `"m${index}":${index}`);
  }

  it.each([2, 16, 17, 40])('accepts %d distinct members', (count) => {
    expect(parseStrictJsonObject(`{${members(count).join(',')}}`).ok).toBe(true);
  });

  it.each([
    ['the 17th member', 16, '"m0":0'],
    ['the 18th member', 17, '"m16":0'],
    ['the 41st member', 40, '"m39":0'],
  ])('rejects a duplicate as %s', (_name, count, duplicate) => {
    expect(parseStrictJsonObject(`{${[...members(count), duplicate].join(',')}}`)).toEqual({ ok: false, problem: 'duplicate_member' });
  });

  it('rejects a duplicate in a large nested object', () => {
    expect(parseStrictJsonObject(`{"claims":{${[...members(30), '"m3":1'].join(',')}}}`)).toEqual({ ok: false, problem: 'duplicate_member' });
  });

  it('rejects a forbidden name after many members', () => {
    expect(parseStrictJsonObject(`{${[...members(20), '"__proto__":{}'].join(',')}}`)).toEqual({ ok: false, problem: 'forbidden_member' });
  });
});
