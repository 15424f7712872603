import { describe, expect, it } from 'vitest';
import { resp2Nesting } from '../../../src/protocol/reply-nesting.js';

describe('resp2Nesting', () => {
  it('flattens RESP3 [member, score] pairs of the ZRANGE family, ZPOPMIN and HRANDFIELD', () => {
    const nested = [['a', '1'], ['b', '2']];
    for (const name of ['ZRANGE', 'zrangebyscore', 'ZUNION', 'zpopmin', 'ZRANDMEMBER', 'hrandfield']) {
      expect(resp2Nesting([name, 'k', 0, -1, 'WITHSCORES'], nested)).toEqual(['a', '1', 'b', '2']);
    }
    expect(resp2Nesting([Buffer.from('zrange'), 'k', 0, -1], nested)).toEqual(['a', '1', 'b', '2']);
  });

  it('pairs a flattened XREAD map into [stream, entries] pairs', () => {
    const flat = ['s1', [['1-0', ['f', 'v']]], 's2', []];
    expect(resp2Nesting(['XREAD', 'STREAMS', 's1', 's2', '0', '0'], flat)).toEqual([
      ['s1', [['1-0', ['f', 'v']]]],
      ['s2', []],
    ]);
    expect(resp2Nesting(['xreadgroup', 'GROUP', 'g', 'c', 'STREAMS', 's1', '>'], flat.slice(0, 2))).toEqual([
      ['s1', [['1-0', ['f', 'v']]]],
    ]);
  });

  it('is idempotent and leaves RESP2 replies and other commands alone', () => {
    const flat = ['a', '1', 'b', '2'];
    expect(resp2Nesting(['ZRANGE', 'k', 0, -1, 'WITHSCORES'], flat)).toBe(flat);
    const pairs = [['s1', []]];
    expect(resp2Nesting(['XREAD', 'STREAMS', 's1', '0'], pairs)).toBe(pairs);
    const other = [['x'], ['y']];
    expect(resp2Nesting(['LRANGE', 'k', 0, -1], other)).toBe(other);
    expect(resp2Nesting(['HGETALL', 'k'], other)).toBe(other);
    expect(resp2Nesting(['XREAD'], null)).toBeNull();
    expect(resp2Nesting(['ZRANGE'], [])).toEqual([]);
  });
});
