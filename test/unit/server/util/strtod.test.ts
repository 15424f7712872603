import { describe, expect, it } from 'vitest';
import { strtodStrict } from '../../../../src/server/util/strtod.js';

/** What SORT accepts, checked against glibc's strtod with Redis's conditions. */
describe('strtodStrict (strtod + Redis SORT checks)', () => {
  it.each([
    ['1', 1], ['-2.5', -2.5], ['  7', 7], ['+3', 3], ['.5', 0.5], ['1e3', 1000], ['0x10', 16], ['0x1p3', 8],
    ['0X1.8', 1.5], ['inf', Infinity], ['-Infinity', -Infinity], ['', 0], ['12\0junk', 12], ['0x1p-1074', 5e-324],
  ])('%j reads as %d', (text, want) => {
    expect(strtodStrict(text)).toBe(want);
  });

  it.each(['7 ', 'x', '1e', '0x', 'nan', 'NaN(1)', '1e400', '-1e400', '1e-310', '1e-400', '   ', '1,5'])('%j is refused', (text) => {
    expect(strtodStrict(text)).toBeNull();
  });
});
