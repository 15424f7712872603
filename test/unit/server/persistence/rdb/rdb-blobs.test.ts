import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc64 } from '../../../../../src/server/persistence/rdb/crc64.js';
import { decodeIntset, encodeIntset } from '../../../../../src/server/persistence/rdb/intset.js';
import { decodeListpack, encodeListpack } from '../../../../../src/server/persistence/rdb/listpack.js';
import { lzfCompress, lzfDecompress } from '../../../../../src/server/persistence/rdb/lzf.js';
import { decodeZiplist } from '../../../../../src/server/persistence/rdb/ziplist.js';
import { decodeZipmap } from '../../../../../src/server/persistence/rdb/zipmap.js';

const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 300 });
const repetitive = fc.array(fc.constantFrom('ab', 'abc', 'x', '12345', '\0\0'), { maxLength: 400 }).map((a) => a.join(''));

describe('crc64 (Jones, as Redis)', () => {
  it('matches the check value', () => {
    expect(crc64(Buffer.from('123456789')).toString(16)).toBe('e9c6d914c4b8d9ca');
  });
});

describe('lzf', () => {
  it('decodes liblzf output (a redis-server 7.0 DUMP of 100 x)', () => {
    const out = lzfDecompress(Buffer.from('017878e05700017878', 'hex'), 100);
    expect(out?.toString()).toBe('x'.repeat(100));
  });

  it('round-trips whatever it compresses, and gives up when output would not fit', () => {
    fc.assert(
      fc.property(fc.oneof(latin1, repetitive), (s) => {
        const input = Buffer.from(s, 'latin1');
        const packed = lzfCompress(input, input.length - 4);
        if (packed === null) return;
        expect(packed.length).toBeLessThanOrEqual(input.length - 4);
        expect(lzfDecompress(packed, input.length)?.equals(input)).toBe(true);
      }),
    );
  });

  it('refuses streams that reference before the start or miss the announced length', () => {
    expect(lzfDecompress(Buffer.from([0x20, 0x05]), 3)).toBeNull();
    expect(lzfDecompress(Buffer.from([0x01, 0x61, 0x62]), 3)).toBeNull();
  });
});

describe('listpack', () => {
  it('round-trips strings and integers of every width', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(latin1, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), fc.integer().map(String)), { maxLength: 60 }), (items) => {
        expect(decodeListpack(encodeListpack(items))).toEqual(items);
      }),
    );
  });

  it('stores integers as Redis does (7-bit, 13-bit, 16-bit…)', () => {
    expect(encodeListpack(['5', '-1', '300', 'a']).toString('hex')).toBe('1200000004000501dfff02c12c02816102ff');
  });

  it('refuses a corrupt blob', () => {
    const lp = encodeListpack(['a', 'b']);
    lp[lp.length - 2] = 9; // back-length of the last entry
    expect(() => decodeListpack(lp)).toThrow(/listpack/);
  });
});

describe('intset', () => {
  it('round-trips with the smallest width, ascending', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { minLength: 1, maxLength: 50 }), (xs) => {
        const sorted = xs.slice().sort((a, b) => (a < b ? -1 : 1)).map(String);
        expect(decodeIntset(encodeIntset(xs.map(String)))).toEqual(sorted);
      }),
    );
    expect(encodeIntset(['3', '-1']).toString('hex')).toBe('0200000002000000ffff0300');
  });
});

describe('older encodings', () => {
  it('reads a ziplist (from the corrupt-dump tests of Redis: a 4-entry hash of 2-byte strings)', () => {
    const zl = Buffer.from('1b00000016000000040000026100040262000402630004026400ff', 'hex');
    expect(decodeZiplist(zl)).toEqual(['a\0', 'b\0', 'c\0', 'd\0']);
    zl[19] = 0x14; // a string length running past the end: the corruption that test plants
    expect(() => decodeZiplist(zl)).toThrow(/ziplist/);
  });

  it('reads a zipmap (Redis 2.4 hash)', () => {
    const zm = Buffer.from('020266310200763102663202007632ff', 'hex');
    expect(decodeZipmap(zm)).toEqual(['f1', 'v1', 'f2', 'v2']);
  });
});
