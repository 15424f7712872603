import { describe, expect, it } from 'vitest';
import { globMatch } from '../../../../src/server/util/glob.js';

describe('globMatch (Redis stringmatchlen rules)', () => {
  it.each([
    ['*', 'anything', true],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h*llo', 'heeeello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hallo', true],
    ['h\\*llo', 'h*llo', true],
    ['h\\*llo', 'hello', false],
    ['user:*:name', 'user:42:name', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['', '', true],
    ['[abc', 'a', true],
  ])('%s ~ %s → %s', (p, s, want) => {
    expect(globMatch(p, s)).toBe(want);
  });

  it('is case-insensitive on request and survives pathological patterns', () => {
    expect(globMatch('HELLO*', 'hello world', true)).toBe(true);
    expect(globMatch('*'.repeat(50) + 'x', 'a'.repeat(60))).toBe(false);
  });
});
