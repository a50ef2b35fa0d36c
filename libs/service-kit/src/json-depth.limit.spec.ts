import { jsonDepthExceeds } from './json-depth.limit.js';

const bytes = (text: string) => Buffer.from(text);
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('jsonDepthExceeds', () => {
  it('counts arrays and objects alike, up to the limit included', () => {
    expect(jsonDepthExceeds(bytes(nested(3)), 3)).toBe(false);
    expect(jsonDepthExceeds(bytes(nested(4)), 3)).toBe(true);
    expect(jsonDepthExceeds(bytes('{"a":{"b":[{"c":1}]}}'), 4)).toBe(false);
    expect(jsonDepthExceeds(bytes('{"a":{"b":[{"c":[1]}]}}'), 4)).toBe(true);
    expect(jsonDepthExceeds(bytes('[[1],[2],[3],{"a":[]}]'), 3)).toBe(false);
    expect(jsonDepthExceeds(bytes('[[1],[2],[3],{"a":[]}]'), 2)).toBe(true);
    expect(jsonDepthExceeds(bytes('1'), 0)).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(bytes(`{"a":"${'['.repeat(100)}"}`), 1)).toBe(false);
    expect(jsonDepthExceeds(bytes(`{"a":"\\"${'{'.repeat(100)}"}`), 1)).toBe(false);
    expect(jsonDepthExceeds(bytes(`{"a\\\\":[[]]}`), 2)).toBe(true); // the escaped backslash ends the escape
    expect(jsonDepthExceeds(bytes(`{"é€😀[":[]}`), 1)).toBe(true); // multi-byte characters
  });

  it('scans a deep body iteratively, without overflowing the stack', () => {
    expect(jsonDepthExceeds(bytes(nested(1_500)), 32)).toBe(true);
    expect(jsonDepthExceeds(bytes(nested(1_000_000)), 2_000_000)).toBe(false);
  });
});
