// Geo, SORT and DUMP/RESTORE workloads against ringcache-server and redis-server in one run:
// GEOADD, GEOSEARCH over 20k points (COUNT 10, and every point within 100 km), GEODIST, SORT of
// a 1000-element list (numeric, and BY weight keys with LIMIT), DUMP and RESTORE of a 1 KB string
// and of a 10k-element list. Commands are pipelined BATCH at a time; the two servers run
// alternately for BENCH_ROUNDS rounds and the median ops/s of each is reported with our ratio.
import { connect as connectPipelined, median, timed } from './lib/pipelined.mjs';
import { startRedis, startRingcache } from './lib/servers.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = Number(process.env.BENCH_BATCH ?? 10);
const connect = (port) => connectPipelined(port, BATCH);

let seed = 1;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const geoPoints = [];
for (let i = 0; i < 20000; i++) geoPoints.push((10 + rnd() * 10).toFixed(6), (40 + rnd() * 10).toFixed(6), `p${i}`);
const geoSetup = Array.from({ length: 40 }, (_, b) => ['GEOADD', 'g', ...geoPoints.slice(b * 1500, (b + 1) * 1500)]);
const list = Array.from({ length: 1000 }, (_, i) => String((i * 7919) % 1000));
const sortSetup = [['RPUSH', 'l', ...list], ['MSET', ...list.flatMap((v, i) => [`w_${v}`, String((i * 31) % 977)])]];
const bigList = Array.from({ length: 10000 }, (_, i) => `element:${i}`);
const payload = {};

const WORKLOADS = {
  GEOADD: { ops: 50000, setup: [], make: (i) => ['GEOADD', 'ga', geoPoints[3 * (i % 20000)], geoPoints[3 * (i % 20000) + 1], `m${i}`] },
  'GEOSEARCH 100 km COUNT 10 (20k points)': { ops: 2000, setup: geoSetup, make: (i) => ['GEOSEARCH', 'g', 'FROMLONLAT', String(12 + (i % 7)), String(42 + (i % 5)), 'BYRADIUS', '100', 'km', 'COUNT', '10'] },
  'GEOSEARCH 100 km all, WITHDIST (20k points)': { ops: 500, setup: geoSetup, make: (i) => ['GEOSEARCH', 'g', 'FROMLONLAT', String(12 + (i % 7)), String(42 + (i % 5)), 'BYRADIUS', '100', 'km', 'ASC', 'WITHDIST'] },
  GEODIST: { ops: 50000, setup: geoSetup, make: (i) => ['GEODIST', 'g', `p${i % 20000}`, `p${(i * 7) % 20000}`, 'km'] },
  'SORT 1000-element list': { ops: 2000, setup: sortSetup, make: () => ['SORT', 'l'] },
  'SORT BY w_* LIMIT 0 10': { ops: 2000, setup: sortSetup, make: () => ['SORT', 'l', 'BY', 'w_*', 'LIMIT', '0', '10'] },
  'DUMP 1 KB string': { ops: 50000, setup: [['SET', 's', 'x'.repeat(1024)]], make: () => ['DUMP', 's'] },
  'RESTORE 1 KB string': { ops: 50000, setup: [['SET', 's', 'y'.repeat(512) + 'z'.repeat(512)]], dump: 's', make: () => ['RESTORE', 's2', '0', payload.s, 'REPLACE'] },
  'DUMP 10k-element list': { ops: 500, setup: [['RPUSH', 'bl', ...bigList]], make: () => ['DUMP', 'bl'] },
  'RESTORE 10k-element list': { ops: 500, setup: [['RPUSH', 'bl', ...bigList]], dump: 'bl', make: () => ['RESTORE', 'bl2', '0', payload.bl, 'REPLACE'] },
};

const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const names = Object.keys(WORKLOADS).filter((n) => ONLY.length === 0 || ONLY.some((w) => n.startsWith(w)));

async function measure(port, name) {
  const w = WORKLOADS[name];
  const c = await connect(port);
  try {
    await c.one(['FLUSHALL']);
    for (const cmd of w.setup) await c.one(cmd);
    if (w.dump !== undefined) {
      c.buffers = true;
      payload[w.dump] = await c.one(['DUMP', w.dump]);
      c.buffers = false;
    }
    await c.run(Math.min(200, w.ops), w.make); // warm-up
    return await timed(() => c.run(w.ops, w.make), w.ops);
  } finally {
    c.close();
  }
}

const ours = await startRingcache();
const redis = await startRedis();
try {
  const rows = [];
  for (const name of names) {
    const a = [];
    const b = [];
    for (let r = 0; r < ROUNDS; r++) {
      a.push(await measure(ours.port, name));
      b.push(await measure(redis.port, name));
    }
    rows.push({ workload: name, ringcache: Math.round(median(a)), redis: Math.round(median(b)), ratio: (median(a) / median(b)).toFixed(2) });
  }
  console.log(`geo, SORT, DUMP/RESTORE, pipelined ${BATCH} per batch, median of ${ROUNDS} rounds; ops/s`);
  console.table(rows);
} finally {
  await ours.stop();
  await redis.stop();
}
