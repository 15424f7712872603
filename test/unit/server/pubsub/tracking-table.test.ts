/** The tracking tables: key → readers (single id, then a set), item counts, oldest-first order; BCAST prefixes. */
import { describe, expect, it } from 'vitest';
import { KeyTable, PrefixTable, prefixesOverlap } from '../../../../src/server/pubsub/tracking-table.js';

describe('KeyTable', () => {
  it('remembers readers once per key and counts (key, client) pairs', () => {
    const t = new KeyTable();
    expect(t.remember('a', 1)).toBe(true);
    expect(t.remember('a', 1)).toBe(false);
    expect(t.remember('a', 2)).toBe(true);
    expect(t.remember('b', 2)).toBe(true);
    expect(t.size).toBe(2);
    expect(t.items).toBe(3);
  });

  it('take forgets the key and returns its readers', () => {
    const t = new KeyTable();
    t.remember('a', 1);
    t.remember('a', 2);
    t.remember('b', 3);
    expect([...(t.take('a') as Set<number>)]).toEqual([1, 2]);
    expect(t.take('a')).toBeUndefined();
    expect(t.take('b')).toBe(3);
    expect(t.items).toBe(0);
    expect(t.size).toBe(0);
  });

  it('oldest is the first key remembered, clear empties everything', () => {
    const t = new KeyTable();
    for (const k of ['x', 'y', 'z']) t.remember(k, 1);
    expect(t.oldest()).toBe('x');
    t.take('x');
    expect(t.oldest()).toBe('y');
    t.clear();
    expect(t.oldest()).toBeUndefined();
    expect(t.items).toBe(0);
  });
});

describe('PrefixTable', () => {
  it('records changed keys under every matching prefix with the last writer', () => {
    const p = new PrefixTable<string>();
    p.add('user:', 'A');
    p.add('', 'B');
    expect(p.add('user:', 'A')).toBe(false);
    p.record('user:1', 'A');
    p.record('other', null);
    p.record('user:1', 'B');
    expect(p.pending).toBe(true);
    expect([...p.prefixes.get('user:')!.keys]).toEqual([['user:1', 'B']]);
    expect([...p.prefixes.get('')!.keys.keys()]).toEqual(['user:1', 'other']);
    expect(p.sorted()).toEqual(['', 'user:']);
  });

  it('drops a prefix with its last client', () => {
    const p = new PrefixTable<string>();
    p.add('a', 'A');
    p.add('a', 'B');
    p.remove('a', 'A');
    expect(p.size).toBe(1);
    p.remove('a', 'B');
    expect(p.size).toBe(0);
    expect(p.sorted()).toEqual([]);
  });

  it('prefixes overlap when one starts the other (the empty prefix overlaps all)', () => {
    expect(prefixesOverlap('a', 'ab')).toBe(true);
    expect(prefixesOverlap('ab', 'a')).toBe(true);
    expect(prefixesOverlap('a', 'a')).toBe(true);
    expect(prefixesOverlap('', 'x')).toBe(true);
    expect(prefixesOverlap('ab', 'ac')).toBe(false);
  });
});
