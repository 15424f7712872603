// Ring lookup: ringcache's HashRing vs the `hashring` package, same 10 shards, 1M keys, one run.
import HashRingPkg from 'hashring';
import { HashRing } from '../dist/ring/index.js';

const SHARDS = Array.from({ length: 10 }, (_, i) => `shard-${i}`);
const KEYS = Array.from({ length: 1_000_000 }, (_, i) => `user:${i}:${(i * 2654435761) >>> 0}`);

function time(fn, rounds = 5) {
  let best = Infinity;
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    sink += fn();
    const ns = Number(process.hrtime.bigint() - t0);
    best = Math.min(best, ns);
  }
  return { nsPerOp: best / KEYS.length, sink };
}

let t0 = process.hrtime.bigint();
const ours = new HashRing(SHARDS.map((name) => ({ name })), { vnodes: 150 });
const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
// hashring places 40 points per "vnode" by default; 4 vnodes × 40 replicas ≈ 160 points per server.
t0 = process.hrtime.bigint();
const theirs = new HashRingPkg(SHARDS); // its defaults: md5, 40 replicas × 4 vnodes, an LRU cache of 5000 lookups
const theirBuildMs = Number(process.hrtime.bigint() - t0) / 1e6;

const a = time(() => { let n = 0; for (const k of KEYS) n += ours.locate(k).length; return n; });
const b = time(() => { let n = 0; for (const k of KEYS) n += theirs.get(k).length; return n; }, 3);
console.log(`ring lookup over ${KEYS.length} keys, 10 shards (best of rounds)`);
console.table([
  { impl: 'ringcache HashRing (murmur3, 150 vnodes)', 'ns/op': a.nsPerOp.toFixed(1), 'build ms': buildMs.toFixed(2) },
  { impl: 'hashring (md5, default)', 'ns/op': b.nsPerOp.toFixed(1), 'build ms': theirBuildMs.toFixed(2) },
]);
console.log(`speed-up: ${(b.nsPerOp / a.nsPerOp).toFixed(1)}x`);
