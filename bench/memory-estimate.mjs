// How close MEMORY USAGE's per-value estimate (the structures' `bytes`) is to the heap they really
// take: builds many values of each collection type in this process, the way the server builds them
// (elements are flat latin1 strings sliced from a Buffer, as the request parser makes them), and
// compares the sum of the estimates with the growth of V8's heap plus ArrayBuffer memory, after a
// full GC, per value (the array holding the values, 8 bytes each, is subtracted). Each measurement
// runs in a fresh child process, so one's leftovers can't blur the next. Run with --expose-gc (the npm script does): `npm run bench:memory`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Deque } from '../dist/server/datatypes/structures/deque.js';
import { HashDict } from '../dist/server/datatypes/structures/hash-dict.js';
import { SetValue } from '../dist/server/datatypes/structures/set-value.js';
import { SortedSet } from '../dist/server/datatypes/structures/sorted-set.js';

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(1);
}

/** Distinct flat one-byte strings, like the parser's (a latin1 slice of the input buffer). */
function strings(n, prefix, width) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const text = `${prefix}${i}`.padEnd(width, '.');
    out[i] = Buffer.from(text, 'latin1').toString('latin1');
  }
  return out;
}

function used() {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const TYPES = {
  list: (els) => { const d = new Deque(); for (const e of els) d.pushBack(e); return d; },
  hash: (els, vals) => {
    const h = new HashDict();
    for (let i = 0; i < els.length; i++) h.set(els[i], vals[i]);
    if (els.length > 128) h.convert();
    return h;
  },
  set: (els) => { const s = new SetValue(); for (const e of els) s.add(e); return s; },
  'set (integers)': (els) => { const s = new SetValue(); for (const e of els) s.add(e); return s; },
  zset: (els) => { const z = new SortedSet(); els.forEach((e, i) => z.set(e, (i * 7919) % 1009)); z.fit(128, 64); return z; },
};

/** Values built twice as large, then with every other element removed (holes, shrunken tables). */
const HALVED = {
  list: (els) => { const d = TYPES.list(els); for (let i = 0; i < els.length / 2; i++) d.popFront(); return d; },
  hash: (els, vals) => { const h = TYPES.hash(els, vals); els.forEach((e, i) => i % 2 === 0 && h.delete(e)); return h; },
  set: (els) => { const s = TYPES.set(els); els.forEach((e, i) => i % 2 === 0 && s.delete(e)); return s; },
  zset: (els) => { const z = TYPES.zset(els); els.forEach((e, i) => i % 2 === 0 && z.delete(e)); return z; },
};
for (const [type, build] of Object.entries(HALVED)) TYPES[`${type}, half removed`] = build;

/** [elements per value, number of values]: many small values, medium ones, one large one. */
const SHAPES = process.env.SHAPES ? JSON.parse(process.env.SHAPES) : [[5, 20_000], [100, 1_000], [100_000, 1]];
const WIDTH = 12;

/** The element (and, for hashes, value) strings of value number v, made fresh. */
function elementsOf(type, v, perValue) {
  if (type === 'set (integers)') return [strings(perValue, '', 0).map((_, i) => Buffer.from(String(i * 3 - v), 'latin1').toString('latin1')), null];
  return [strings(perValue, `e${v}:`, WIDTH), type.startsWith('hash') ? strings(perValue, `v${v}:`, WIDTH) : null];
}

function measure(type, perValue, values) {
  const build = TYPES[type];
  if (type.endsWith('half removed')) perValue *= 2;
  // Two equal batches; only the second counts: the first build of a large value leaves ~0.8 MB of
  // one-off V8 state (seen as a constant over batch sizes) that is no part of the value.
  const warm = [];
  for (let v = 0; v < values; v++) warm.push(build(...elementsOf(type, -1 - v, perValue)));
  const kept = new Array(values);
  const before = used();
  for (let v = 0; v < values; v++) kept[v] = build(...elementsOf(type, v, perValue));
  const after = used();
  warm.length = 0;
  const actual = (after - before - values * 8) / values;
  const estimate = kept.reduce((s, x) => s + x.bytes, 0) / values;
  return { type, elements: kept[0].size, values, estimate: Math.round(estimate), actual: Math.round(actual), 'estimate/actual': (estimate / actual).toFixed(2) };
}

if (process.env.MEASURE !== undefined) {
  const [type, perValue, values] = JSON.parse(process.env.MEASURE);
  console.log(JSON.stringify(measure(type, perValue, values)));
} else {
  const rows = [];
  for (const type of Object.keys(TYPES)) {
    for (const [perValue, values] of SHAPES) {
      if (type === 'set (integers)' && perValue > 512) continue;
      const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], {
        env: { ...process.env, MEASURE: JSON.stringify([type, perValue, values]) },
        encoding: 'utf8',
      });
      if (child.status !== 0) throw new Error(child.stderr);
      rows.push(JSON.parse(child.stdout));
    }
  }
  console.log(`MEMORY USAGE estimate vs measured heap (+ArrayBuffers) per value; elements are ${WIDTH}-byte strings`);
  console.table(rows);
}
