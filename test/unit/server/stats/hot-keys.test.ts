/** The node's hot-key top-K (src/server/stats/hot-keys.ts): heap order, eviction of the coldest, clear. */
import { describe, expect, it } from 'vitest';
import { HotKeys } from '../../../../src/server/stats/hot-keys.js';

describe('HotKeys', () => {
  it('keeps the K hottest keys, hottest first, ties by key', () => {
    const hot = new HotKeys({ k: 3 });
    for (const [name, n] of [['a', 5], ['b', 1], ['c', 3], ['d', 3], ['e', 9]] as const) for (let i = 0; i < n; i++) hot.record(name, 1);
    expect(hot.top()).toEqual([['e', 9], ['a', 5], ['c', 3]]);
    expect(hot.top(1)).toEqual([['e', 9]]);
    expect(hot.top(0)).toEqual([]);
  });

  it('a colder newcomer does not evict; a hotter one replaces the coldest', () => {
    const hot = new HotKeys({ k: 2 });
    hot.record('a', 10);
    hot.record('b', 5);
    hot.record('c', 4);
    expect(hot.top()).toEqual([['a', 10], ['b', 5]]);
    hot.record('c', 4);
    expect(hot.top()).toEqual([['a', 10], ['c', 8]]);
  });

  it('weights add up and saturate at 2^32 − 1; clear forgets everything', () => {
    const hot = new HotKeys({ k: 4 });
    hot.record('x', 16);
    hot.record('x', 16);
    expect(hot.top()).toEqual([['x', 32]]);
    hot.record('x', 2 ** 33);
    expect(hot.top()).toEqual([['x', 0xffffffff]]);
    hot.clear();
    expect(hot.top()).toEqual([]);
    expect(hot.tracked).toBe(0);
    hot.record('y', 1);
    expect(hot.top()).toEqual([['y', 1]]);
  });

  it('takes any string, binary and empty included', () => {
    const hot = new HotKeys({ k: 4 });
    for (const name of ['', '\u0000\u00ff', 'é', 'x'.repeat(10_000)]) hot.record(name, 2);
    expect(hot.top().map(([name]) => name).sort()).toEqual(['', '\u0000\u00ff', 'x'.repeat(10_000), 'é'].sort());
  });
});
