/** Argument builders and reply decoders of the typed methods: RESP2 and RESP3 shapes decode alike. */
import { describe, expect, it } from 'vitest';
import * as D from '../../../../src/client/api/decode.js';
import { expireArgs, scanArgs } from '../../../../src/client/api/args/keys.js';
import { lmpopArgs, lposArgs, mpopped, popped } from '../../../../src/client/api/args/lists.js';
import { entryArgs, getexArgs, setArgs } from '../../../../src/client/api/args/strings.js';
import { combineArgs, zaddArgs, zmpopArgs, zpopped, zrangeArgs } from '../../../../src/client/api/args/zsets.js';
import { InvalidArgumentError } from '../../../../src/errors.js';

describe('reply decoders normalize RESP2 and RESP3 shapes', () => {
  it('maps: RESP3 Map and RESP2 flat array give the same object', () => {
    expect(D.strRecord(new Map([['a', '1'], ['b', '2']]))).toEqual({ a: '1', b: '2' });
    expect(D.strRecord(['a', '1', 'b', '2'])).toEqual({ a: '1', b: '2' });
    expect(D.bufRecord(new Map([[Buffer.from('a'), Buffer.from('1')]]))).toEqual({ a: Buffer.from('1') });
    expect(D.strRecord(null)).toEqual({});
  });

  it('doubles: RESP3 numbers and RESP2 strings, infinities included', () => {
    expect(D.double(1.5)).toBe(1.5);
    expect(D.double('1.5')).toBe(1.5);
    expect(D.double(Buffer.from('-inf'))).toBe(-Infinity);
    expect(D.double('inf')).toBe(Infinity);
    expect(D.doubleOrNull(null)).toBeNull();
    expect(D.doubleOrNullList(['1', null, 2])).toEqual([1, null, 2]);
  });

  it('scored members: flat (RESP2) and nested pairs (RESP3)', () => {
    const want = [{ member: 'a', score: 1 }, { member: 'b', score: 2.5 }];
    expect(D.scoredList(['a', '1', 'b', '2.5'])).toEqual(want);
    expect(D.scoredList([['a', 1], ['b', 2.5]])).toEqual(want);
    expect(D.scoredOne(['a', 1])).toEqual({ member: 'a', score: 1 });
    expect(D.scoredOne([])).toBeNull();
    expect(D.scoredBufList([[Buffer.from('a'), 1]])).toEqual([{ member: Buffer.from('a'), score: 1 }]);
  });

  it('pairs, scan pages and keyed pops', () => {
    expect(D.strPairs([['f', 'v']])).toEqual([['f', 'v']]);
    expect(D.strPairs(['f', 'v'])).toEqual([['f', 'v']]);
    expect(D.hashPage(['17', ['f', 'v']])).toEqual({ cursor: '17', items: [['f', 'v']] });
    expect(D.scoredPage(['0', ['m', '3']])).toEqual({ cursor: '0', items: [{ member: 'm', score: 3 }] });
    expect(popped(['k', 'v'])).toEqual({ key: 'k', element: 'v' });
    expect(popped(null)).toBeNull();
    expect(mpopped(['k', ['a', 'b']])).toEqual({ key: 'k', elements: ['a', 'b'] });
    expect(zpopped(['k', [['a', '1']]])).toEqual({ key: 'k', members: [{ member: 'a', score: 1 }] });
    expect(D.keyedScored(['k', 'm', '2'])).toEqual({ key: 'k', member: 'm', score: 2 });
  });

  it('integers, booleans and bigints', () => {
    expect(D.int(3)).toBe(3);
    expect(D.int(3n)).toBe(3);
    expect(D.bool(1)).toBe(true);
    expect(D.bool(0)).toBe(false);
    expect(D.boolList([1, 0])).toEqual([true, false]);
    expect(D.intOrNull(null)).toBeNull();
  });
});

describe('argument builders', () => {
  it('SET and GETEX options, with exclusive ones refused', () => {
    expect(setArgs('k', 'v', { ex: 10, nx: true, get: true })).toEqual(['SET', 'k', 'v', 'EX', 10, 'NX', 'GET']);
    expect(() => setArgs('k', 'v', { ex: 1, px: 1 })).toThrow(InvalidArgumentError);
    expect(() => setArgs('k', 'v', { nx: true, xx: true })).toThrow(InvalidArgumentError);
    expect(getexArgs('k', { persist: true })).toEqual(['GETEX', 'k', 'PERSIST']);
    expect(() => getexArgs('k', { ex: 1, persist: true })).toThrow(InvalidArgumentError);
  });

  it('entries from objects, Maps and pairs', () => {
    expect(entryArgs('MSET', { a: '1' })).toEqual(['MSET', 'a', '1']);
    expect(entryArgs('MSET', [['a', 1]])).toEqual(['MSET', 'a', 1]);
    expect(entryArgs('MSET', new Map([['a', '1']]))).toEqual(['MSET', 'a', '1']);
    expect(() => entryArgs('MSET', {})).toThrow(InvalidArgumentError);
  });

  it('EXPIRE conditions: nx alone, xx with gt or lt', () => {
    expect(expireArgs('EXPIRE', 'k', 5, { xx: true, gt: true })).toEqual(['EXPIRE', 'k', 5, 'XX', 'GT']);
    expect(() => expireArgs('EXPIRE', 'k', 5, { nx: true, gt: true })).toThrow(InvalidArgumentError);
    expect(() => expireArgs('EXPIRE', 'k', 5, { gt: true, lt: true })).toThrow(InvalidArgumentError);
  });

  it('SCAN family and list options', () => {
    expect(scanArgs('SCAN', null, '0', { match: 'a*', count: 10, type: 'hash' })).toEqual(['SCAN', '0', 'MATCH', 'a*', 'COUNT', 10, 'TYPE', 'hash']);
    expect(scanArgs('HSCAN', 'h', 7, undefined)).toEqual(['HSCAN', 'h', 7]);
    expect(lposArgs('l', 'x', { rank: -1, maxlen: 9 }, 0)).toEqual(['LPOS', 'l', 'x', 'RANK', -1, 'COUNT', 0, 'MAXLEN', 9]);
    expect(lmpopArgs(null, ['a', 'b'], 'left', { count: 2 })).toEqual(['LMPOP', 2, 'a', 'b', 'LEFT', 'COUNT', 2]);
    expect(lmpopArgs(1.5, ['a'], 'right', undefined)).toEqual(['BLMPOP', 1.5, 1, 'a', 'RIGHT']);
  });

  it('sorted-set builders', () => {
    expect(zaddArgs('z', { a: 1, b: Infinity }, { gt: true, ch: true }, false)).toEqual(['ZADD', 'z', 'GT', 'CH', 1, 'a', '+inf', 'b']);
    expect(zaddArgs('z', { member: 'm', score: 2 }, undefined, true)).toEqual(['ZADD', 'z', 'INCR', 2, 'm']);
    expect(() => zaddArgs('z', [{ member: 'a', score: 1 }, { member: 'b', score: 2 }], undefined, true)).toThrow(InvalidArgumentError);
    expect(() => zaddArgs('z', { a: NaN }, undefined, false)).toThrow(InvalidArgumentError);
    expect(zrangeArgs(null, 'z', -Infinity, '(5', { by: 'score', rev: true, limit: { offset: 0, count: 3 } }, true)).toEqual([
      'ZRANGE', 'z', '-inf', '(5', 'BYSCORE', 'REV', 'LIMIT', 0, 3, 'WITHSCORES',
    ]);
    expect(zrangeArgs('d', 'z', '[a', '+', { by: 'lex' }, false)).toEqual(['ZRANGESTORE', 'd', 'z', '[a', '+', 'BYLEX']);
    expect(combineArgs('ZUNIONSTORE', 'd', ['a', 'b'], { weights: [1, 2], aggregate: 'max' }, false)).toEqual([
      'ZUNIONSTORE', 'd', 2, 'a', 'b', 'WEIGHTS', 1, 2, 'AGGREGATE', 'MAX',
    ]);
    expect(() => combineArgs('ZUNION', null, ['a', 'b'], { weights: [1] }, false)).toThrow(InvalidArgumentError);
    expect(zmpopArgs(0, ['a'], 'max', { count: 2 })).toEqual(['BZMPOP', 0, 1, 'a', 'MAX', 'COUNT', 2]);
  });
});
