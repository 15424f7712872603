/**
 * Test helper: a canonical, comparable dump of a keyspace (every database, key, type, value and
 * expiry), and a builder of random datasets straight into a Keyspace.
 */
import { Deque } from '../../../../src/server/datatypes/structures/deque.js';
import { HashDict } from '../../../../src/server/datatypes/structures/hash-dict.js';
import { SetValue } from '../../../../src/server/datatypes/structures/set-value.js';
import { SortedSet } from '../../../../src/server/datatypes/structures/sorted-set.js';
import { ValueType, type Entry } from '../../../../src/server/keyspace/entry.js';
import type { Keyspace } from '../../../../src/server/keyspace/keyspace.js';

export type Dump = Record<string, string>;

function valueText(e: Entry): string {
  const v = e.value;
  if (typeof v === 'string') return `string:${JSON.stringify(v)}`;
  if (v instanceof Deque) return `list:${JSON.stringify(v.toArray())}`;
  if (v instanceof SetValue) return `set:${JSON.stringify(v.list().sort())}`;
  if (v instanceof HashDict) {
    const pairs: [string, string][] = [];
    for (let s = 0; s < v.slotCount; s++) {
      const f = v.fieldAt(s);
      if (f !== undefined) pairs.push([f, v.valueAt(s)!]);
    }
    return `hash:${JSON.stringify(pairs)}`;
  }
  if (v instanceof SortedSet) {
    const out: [string, number][] = [];
    for (const m of v.entries()) out.push([m.member, m.score]);
    return `zset:${JSON.stringify(out)}`;
  }
  return 'unknown';
}

/** db:key → "type:value@expireAt". Keys expired at `now` are left out (they read as missing). */
export function dump(ks: Keyspace, now = Date.now()): Dump {
  const out: Dump = {};
  for (const db of ks.dbs) {
    for (const [key, e] of db.dict) {
      if (e.expireAt !== -1 && e.expireAt <= now) continue;
      out[`${db.id}:${key}`] = `${valueText(e)}@${e.expireAt}`;
    }
  }
  return out;
}

/** A deterministic pseudo-random generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bytes(r: () => number, max: number): string {
  const n = Math.floor(r() * max);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(r() * 256));
  return s;
}

/** Fills a keyspace with `n` keys of every type (some large collections, some with TTLs). */
export function fillRandom(ks: Keyspace, n: number, seed: number): void {
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const db = ks.dbs[Math.floor(r() * Math.min(3, ks.dbs.length))]!;
    const key = `k${i}:${bytes(r, 6)}`;
    if (db.dict.has(key)) continue;
    const big = r() < 0.05 ? 3000 : 20;
    const t = Math.floor(r() * 5);
    let e: Entry;
    if (t === ValueType.STRING) e = db.add(key, ValueType.STRING, r() < 0.02 ? 'x'.repeat(100_000) : bytes(r, 40));
    else if (t === ValueType.LIST) {
      const d = new Deque();
      for (let j = 0, m = 1 + Math.floor(r() * big); j < m; j++) d.pushBack(bytes(r, 12));
      e = db.add(key, ValueType.LIST, d);
    } else if (t === ValueType.HASH) {
      const h = new HashDict();
      for (let j = 0, m = 1 + Math.floor(r() * big); j < m; j++) h.set(`f${j}${bytes(r, 4)}`, bytes(r, 12));
      e = db.add(key, ValueType.HASH, h);
    } else if (t === ValueType.SET) {
      const s = new SetValue();
      for (let j = 0, m = 1 + Math.floor(r() * big); j < m; j++) s.add(r() < 0.5 ? String(Math.floor(r() * 1000)) : bytes(r, 8));
      e = db.add(key, ValueType.SET, s);
    } else {
      const z = new SortedSet();
      const special = [Infinity, -Infinity, 0, -0.5, 1e300];
      for (let j = 0, m = 1 + Math.floor(r() * big); j < m; j++) z.set(bytes(r, 8), r() < 0.1 ? special[j % special.length]! : r() * 1000 - 500);
      e = db.add(key, ValueType.ZSET, z);
    }
    if (r() < 0.2) db.setExpire(e, Date.now() + 3_600_000 + Math.floor(r() * 1e6));
  }
}
