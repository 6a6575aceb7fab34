import { loggableText } from './loggable-text';

describe('loggableText', () => {
  it('keeps ordinary client ids', () => {
    expect(loggableText('demo-acme-iberia')).toBe('demo-acme-iberia');
    expect(loggableText('AbC123.x_y@clients')).toBe('AbC123.x_y@clients');
  });

  it('escapes line breaks', () => {
    expect(loggableText('a\nb\r\nc')).toBe('a\\u000ab\\u000d\\u000ac');
  });

  it('escapes ANSI escape sequences', () => {
    expect(loggableText('\u001b[31mred')).toBe('\\u001b\\u005b31mred');
  });

  it('escapes spaces and quotes', () => {
    expect(loggableText('a b"c')).toBe('a\\u0020b\\u0022c');
  });

  it('cuts long values', () => {
    const logged = loggableText('x'.repeat(500));

    expect(logged).toBe(`${'x'.repeat(128)}...`);
  });

  it('keeps a value of exactly the limit whole', () => {
    expect(loggableText('x'.repeat(128))).toBe('x'.repeat(128));
  });

  it('escapes a character outside the basic plane', () => {
    expect(loggableText('a\u{1f600}')).toBe('a\\u1f600');
  });
});
