/** Argument builders and decoders of the bitmap, HyperLogLog and LCS IDX methods. */
import { describe, expect, it } from 'vitest';
import * as D from '../../../../src/client/api/decode.js';
import { bitcountArgs, bitfieldArgs, bitopArgs, bitposArgs } from '../../../../src/client/api/args/bitmaps.js';
import { lcsIdxArgs } from '../../../../src/client/api/args/strings.js';
import { InvalidArgumentError } from '../../../../src/errors.js';

describe('bitmap argument builders', () => {
  it('BITCOUNT / BITPOS ranges', () => {
    expect(bitcountArgs('k', undefined)).toEqual(['BITCOUNT', 'k']);
    expect(bitcountArgs('k', { start: 1, end: -1 })).toEqual(['BITCOUNT', 'k', 1, -1]);
    expect(bitcountArgs('k', { start: 0, end: 9, unit: 'BIT' })).toEqual(['BITCOUNT', 'k', 0, 9, 'BIT']);
    expect(() => bitcountArgs('k', { start: 0 })).toThrow(InvalidArgumentError);
    expect(bitposArgs('k', 1, undefined)).toEqual(['BITPOS', 'k', 1]);
    expect(bitposArgs('k', 0, { start: 2 })).toEqual(['BITPOS', 'k', 0, 2]);
    expect(bitposArgs('k', 0, { start: 2, end: 5, unit: 'BYTE' })).toEqual(['BITPOS', 'k', 0, 2, 5, 'BYTE']);
    expect(() => bitposArgs('k', 0, { start: 2, unit: 'BIT' })).toThrow(InvalidArgumentError);
  });

  it('BITOP needs sources, NOT exactly one', () => {
    expect(bitopArgs('AND', 'd', ['a', 'b'])).toEqual(['BITOP', 'AND', 'd', 'a', 'b']);
    expect(bitopArgs('NOT', 'd', ['a'])).toEqual(['BITOP', 'NOT', 'd', 'a']);
    expect(() => bitopArgs('OR', 'd', [])).toThrow(InvalidArgumentError);
    expect(() => bitopArgs('NOT', 'd', ['a', 'b'])).toThrow(InvalidArgumentError);
  });

  it('BITFIELD operations, types checked, BITFIELD_RO GET only', () => {
    expect(
      bitfieldArgs('k', [{ overflow: 'SAT' }, { set: 'i8', offset: '#1', value: -5 }, { incrby: 'u63', offset: 3, increment: 9007199254740993n }, { get: 'i64', offset: 0 }], false),
    ).toEqual(['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'i8', '#1', '-5', 'INCRBY', 'u63', 3, '9007199254740993', 'GET', 'i64', 0]);
    expect(bitfieldArgs('k', [{ get: 'u8', offset: 0 }], true)).toEqual(['BITFIELD_RO', 'k', 'GET', 'u8', 0]);
    expect(() => bitfieldArgs('k', [{ set: 'u8', offset: 0, value: 1 }], true)).toThrow(InvalidArgumentError);
    for (const bad of ['u64', 'i65', 'i0', 'x8']) expect(() => bitfieldArgs('k', [{ get: bad as 'u8', offset: 0 }], false)).toThrow(InvalidArgumentError);
  });

  it('LCS IDX options', () => {
    expect(lcsIdxArgs('a', 'b', undefined)).toEqual(['LCS', 'a', 'b', 'IDX']);
    expect(lcsIdxArgs('a', 'b', { minMatchLen: 4, withMatchLen: true })).toEqual(['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', 4, 'WITHMATCHLEN']);
  });
});

describe('bitmap and LCS decoders', () => {
  it('BITFIELD results keep 64-bit values exact and FAIL nulls', () => {
    expect(D.exactIntOrNullList([1, -2, null, 9223372036854775807n])).toEqual([1, -2, null, 9223372036854775807n]);
  });

  it('LCS IDX: a RESP3 map and a RESP2 flat array decode alike', () => {
    const matches = [[[4, 7], [5, 8], 4], [[2, 3], [0, 1], 2]];
    const want = { matches: [{ a: [4, 7], b: [5, 8], len: 4 }, { a: [2, 3], b: [0, 1], len: 2 }], len: 6 };
    expect(D.lcsIdx(new Map<string, unknown>([['matches', matches], ['len', 6]]) as never)).toEqual(want);
    expect(D.lcsIdx(['matches', matches, 'len', 6] as never)).toEqual(want);
  });
});
