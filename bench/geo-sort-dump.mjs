// Geo, SORT and DUMP/RESTORE workloads against ringcache-server and redis-server in one run:
// GEOADD, GEOSEARCH over 20k points (COUNT 10, and every point within 100 km), GEODIST, SORT of
// a 1000-element list (numeric, and BY weight keys with LIMIT), DUMP and RESTORE of a 1 KB string
// and of a 10k-element list. Commands are pipelined BATCH at a time; the two servers run
// alternately for BENCH_ROUNDS rounds and the median ops/s of each is reported with our ratio.
import { compareServers } from './lib/pipelined.mjs';

let seed = 1;
const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
const geoPoints = [];
for (let i = 0; i < 20000; i++) geoPoints.push((10 + rnd() * 10).toFixed(6), (40 + rnd() * 10).toFixed(6), `p${i}`);
const geoSetup = Array.from({ length: 40 }, (_, b) => ['GEOADD', 'g', ...geoPoints.slice(b * 1500, (b + 1) * 1500)]);
const list = Array.from({ length: 1000 }, (_, i) => String((i * 7919) % 1000));
const sortSetup = [['RPUSH', 'l', ...list], ['MSET', ...list.flatMap((v, i) => [`w_${v}`, String((i * 31) % 977)])]];
const bigList = Array.from({ length: 10000 }, (_, i) => `element:${i}`);
const payload = {};

/** Keeps the server's own DUMP of `key` for the RESTORE workloads. */
function dumpOf(key) {
  return async (c) => {
    c.buffers = true;
    payload[key] = await c.one(['DUMP', key]);
    c.buffers = false;
  };
}

const WORKLOADS = {
  GEOADD: { ops: 50000, setup: [], make: (i) => ['GEOADD', 'ga', geoPoints[3 * (i % 20000)], geoPoints[3 * (i % 20000) + 1], `m${i}`] },
  'GEOSEARCH 100 km COUNT 10 (20k points)': { ops: 2000, setup: geoSetup, make: (i) => ['GEOSEARCH', 'g', 'FROMLONLAT', String(12 + (i % 7)), String(42 + (i % 5)), 'BYRADIUS', '100', 'km', 'COUNT', '10'] },
  'GEOSEARCH 100 km all, WITHDIST (20k points)': { ops: 500, setup: geoSetup, make: (i) => ['GEOSEARCH', 'g', 'FROMLONLAT', String(12 + (i % 7)), String(42 + (i % 5)), 'BYRADIUS', '100', 'km', 'ASC', 'WITHDIST'] },
  GEODIST: { ops: 50000, setup: geoSetup, make: (i) => ['GEODIST', 'g', `p${i % 20000}`, `p${(i * 7) % 20000}`, 'km'] },
  'SORT 1000-element list': { ops: 2000, setup: sortSetup, make: () => ['SORT', 'l'] },
  'SORT BY w_* LIMIT 0 10': { ops: 2000, setup: sortSetup, make: () => ['SORT', 'l', 'BY', 'w_*', 'LIMIT', '0', '10'] },
  'DUMP 1 KB string': { ops: 50000, setup: [['SET', 's', 'x'.repeat(1024)]], make: () => ['DUMP', 's'] },
  'RESTORE 1 KB string': { ops: 50000, setup: [['SET', 's', 'y'.repeat(512) + 'z'.repeat(512)]], prepare: dumpOf('s'), make: () => ['RESTORE', 's2', '0', payload.s, 'REPLACE'] },
  'DUMP 10k-element list': { ops: 500, setup: [['RPUSH', 'bl', ...bigList]], make: () => ['DUMP', 'bl'] },
  'RESTORE 10k-element list': { ops: 500, setup: [['RPUSH', 'bl', ...bigList]], prepare: dumpOf('bl'), make: () => ['RESTORE', 'bl2', '0', payload.bl, 'REPLACE'] },
};

await compareServers('geo, SORT, DUMP/RESTORE', WORKLOADS);
