/**
 * c-parse.ts against C's own answers: every expectation below was produced by glibc's strtod,
 * strtold and strtoul (x86-64) for the same input, then read through Redis 7.0's rules
 * (string2d, string2ld, zslParseRange, parseScanCursorOrReply, string2ll).
 */

import { describe, expect, it } from 'vitest';
import { isWord, keyword, parseDouble, parseInt64, parseLongDouble, parseScanCursor, parseScoreBound, strtod } from '../../../../src/server/util/c-parse.js';

// input, strtod value, strtod end, string2d ok, string2ld ok, strtoul cursor (null = invalid)
const CASES: [string, number, number, boolean, boolean, number | null][] = [
  ['', 0, 0, false, false, 0],
  [' 1', 1, 2, false, false, null],
  ['1', 1, 1, true, true, 1],
  ['-1', -1, 2, true, true, 18446744073709551615],
  ['+1', 1, 2, true, true, 1],
  ['1.', 1, 2, true, true, null],
  ['.5', 0.5, 2, true, true, null],
  ['.', 0, 0, false, false, null],
  ['1e', 1, 1, false, false, null],
  ['1e5', 100000, 3, true, true, null],
  ['1e400', Infinity, 5, false, true, null],
  ['-1e400', -Infinity, 6, false, true, null],
  ['1e-400', 0, 6, false, true, null],
  ['4e-320', 3.999955468730732e-320, 6, true, true, null],
  ['1e4933', Infinity, 6, false, false, null],
  ['1e-4951', 0, 7, false, false, null],
  ['0x', 0, 1, false, false, null],
  ['0x10', 16, 4, true, true, null],
  ['0x1p3', 8, 5, true, true, null],
  ['0x.8', 0.5, 4, true, true, null],
  ['0x1p-1080', 0, 9, false, true, null],
  ['0x1fffffffffffff8p967', Infinity, 21, false, true, null],
  ['inf', Infinity, 3, true, true, null],
  ['INF', Infinity, 3, true, true, null],
  ['Infinity', Infinity, 8, true, true, null],
  ['infinit', Infinity, 3, false, false, null],
  ['-inf', -Infinity, 4, true, true, null],
  ['nan', NaN, 3, false, false, null],
  ['nan(123)', NaN, 8, false, false, null],
  ['nan(', NaN, 3, false, false, null],
  ['1 ', 1, 1, false, false, null],
  ['(1', 0, 0, false, false, null],
  ['18446744073709551615', 18446744073709551615, 20, true, true, 18446744073709551615],
  ['18446744073709551616', 18446744073709551616, 20, true, true, null],
  ['-18446744073709551615', -18446744073709551615, 21, true, true, 1],
  ['-0', -0, 2, true, true, 0],
  ['0001.5000', 1.5, 9, true, true, null],
  ['1.7976931348623159e308', Infinity, 22, false, true, null],
  ['2.4703282292062328e-324', 5e-324, 23, true, true, null],
  ['e5', 0, 0, false, false, null],
  ['+-1', 0, 0, false, false, null],
  ['1.5.5', 1.5, 3, false, false, null],
  ['\v5', 5, 2, false, false, null],
  ['1\0', 1, 1, false, false, 1],
];

describe('C number parsing', () => {
  for (const [s, value, end, d, ld, cursor] of CASES) {
    it(JSON.stringify(s), () => {
      const r = strtod(s);
      expect(Object.is(r.value, value) || r.value === value || (Number.isNaN(value) && Number.isNaN(r.value))).toBe(true);
      expect(r.end).toBe(end);
      expect(parseDouble(s) !== null).toBe(d);
      expect(parseLongDouble(s) !== null).toBe(ld);
      expect(parseScanCursor(s)).toBe(cursor);
    });
  }
});

describe('score bounds (zslParseRange)', () => {
  it('reads plain strtod to the end of the C string', () => {
    expect(parseScoreBound('')).toEqual({ value: 0, exclusive: false });
    expect(parseScoreBound('(')).toEqual({ value: 0, exclusive: true });
    expect(parseScoreBound(' 1')).toEqual({ value: 1, exclusive: false });
    expect(parseScoreBound('1\0junk')).toEqual({ value: 1, exclusive: false });
    expect(parseScoreBound('1e400')).toEqual({ value: Infinity, exclusive: false });
    expect(parseScoreBound('(-inf')).toEqual({ value: -Infinity, exclusive: true });
    expect(parseScoreBound('0x10')).toEqual({ value: 16, exclusive: false });
    expect(parseScoreBound('nan')).toBeNull();
    expect(parseScoreBound('1 ')).toBeNull();
    expect(parseScoreBound('((1')).toBeNull();
  });
});

describe('integers and keywords', () => {
  it('string2ll', () => {
    expect(parseInt64('-9223372036854775808')).toBe(-(2n ** 63n));
    expect(parseInt64('9223372036854775808')).toBeNull();
    expect(parseInt64('-0')).toBeNull();
    expect(parseInt64('01')).toBeNull();
    expect(parseInt64('+1')).toBeNull();
    expect(parseInt64('1\0')).toBeNull();
  });
  it('strcasecmp keywords end at a NUL', () => {
    expect(isWord('WithScores', 'withscores')).toBe(true);
    expect(isWord('withscores\0x', 'withscores')).toBe(true);
    expect(isWord('withscoresx', 'withscores')).toBe(false);
    expect(isWord('with', 'withscores')).toBe(false);
    expect(keyword('LIMIT\0junk')).toBe('limit');
  });
});
