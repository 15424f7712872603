// Streams vs redis-server in one run, pipelined in batches of 1000 from one client:
// - XADD of BENCH_N (1M) entries with 3 small fields (`*` IDs): ops/s, and used_memory growth
//   (INFO memory before/after) — the node's used_memory is its incremental estimate, so the run
//   also measures, in a child process with --expose-gc, how that estimate compares with the V8
//   heap + ArrayBuffer growth of the same stream built directly (MEMORY_CHECK=0 skips it);
// - XRANGE of 100 entries from a random start, BENCH_Q (20k) times: ops/s.
// The two servers run alternately for BENCH_ROUNDS (3) rounds (the stream is rebuilt each round);
// the median ops/s of each is reported with our ratio to Redis, the memory of the first round.
// BENCH_ONLY=XADD skips XRANGE; BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=.tmp/prof" profiles.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectPipelined } from './lib/pipeline.mjs';
import { startRedis, startRingcache } from './lib/servers.mjs';

const N = Number(process.env.BENCH_N ?? 1_000_000);
const Q = Number(process.env.BENCH_Q ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = 1000;

/** The 3 small fields of entry i (values of 2–6 bytes, some numeric, as sensor-style events). */
function fields(i) {
  return ['sensor', `s${i % 500}`, 'temp', String(15 + (i % 20)), 'status', i % 10 === 0 ? 'warn' : 'ok'];
}

async function timed(fn, ops) {
  const t0 = process.hrtime.bigint();
  await fn();
  return ops / (Number(process.hrtime.bigint() - t0) / 1e9);
}

function infoField(info, name) {
  return Number(new RegExp(`${name}:(\\d+)`).exec(info)[1]);
}

const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const wanted = (name) => ONLY.length === 0 || ONLY.some((w) => name.startsWith(w));

async function workloads(c) {
  const r = {};
  await c.one(['DEL', 'events']);
  const before = String(await c.one(['INFO', 'memory']));
  r.XADD = await timed(() => c.run(N, (i) => ['XADD', 'events', '*', ...fields(i)]), N);
  const after = String(await c.one(['INFO', 'memory']));
  const mem = {
    grown: infoField(after, 'used_memory') - infoField(before, 'used_memory'),
    rss: infoField(after, 'used_memory_rss') - infoField(before, 'used_memory_rss'),
    usage: Number(await c.one(['MEMORY', 'USAGE', 'events'])),
  };
  if (wanted('XRANGE')) {
    const first = Number(String((await c.one(['XRANGE', 'events', '-', '+', 'COUNT', '1']))[0][0]).split('-')[0]);
    const last = Number(String((await c.one(['XREVRANGE', 'events', '+', '-', 'COUNT', '1']))[0][0]).split('-')[0]);
    const span = Math.max(1, last - first - 5);
    r['XRANGE 100'] = await timed(() => c.run(Q, (i) => ['XRANGE', 'events', String(first + ((i * 7919) % span)), '+', 'COUNT', '100']), Q);
  }
  return { r, mem };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const ours = await startRingcache();
  const redis = await startRedis();
  const runs = { ours: [], redis: [] };
  try {
    const co = await connectPipelined(ours.port, BATCH);
    const cr = await connectPipelined(redis.port, BATCH);
    for (let round = 0; round < ROUNDS; round++) {
      runs.ours.push(await workloads(co));
      runs.redis.push(await workloads(cr));
    }
    co.close();
    cr.close();
  } finally {
    await ours.stop();
    await redis.stop();
  }
  const mb = (n) => (n / 1e6).toFixed(1);
  const names = Object.keys(runs.ours[0].r);
  const med = (side, k) => median(runs[side].map((x) => x.r[k]));
  console.log(`streams, pipelined ${BATCH} per batch; ${N} entries of 3 small fields; median of ${ROUNDS} alternating rounds; ops/s`);
  console.table(names.map((k) => ({ workload: k, ringcache: Math.round(med('ours', k)), redis: Math.round(med('redis', k)), ratio: (med('ours', k) / med('redis', k)).toFixed(2) })));
  const a = runs.ours[0].mem;
  const b = runs.redis[0].mem;
  console.log(`used_memory growth: ringcache ${mb(a.grown)} MB, redis ${mb(b.grown)} MB (ratio ${(a.grown / b.grown).toFixed(2)}, target ≤ 2)`);
  console.log(`MEMORY USAGE: ringcache ${mb(a.usage)} MB, redis ${mb(b.usage)} MB; RSS growth: ringcache ${mb(a.rss)} MB, redis ${mb(b.rss)} MB`);
  if (process.env.MEMORY_CHECK !== '0') {
    const out = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--calibrate'], { encoding: 'utf8', env: { ...process.env } });
    process.stdout.write(out.stdout + out.stderr);
  }
}

/** In this process: the estimate (`bytes`) against measured heap + ArrayBuffer growth. */
async function calibrate() {
  const { Stream } = await import('../dist/server/datatypes/structures/stream-value.js');
  const { idFrom } = await import('../dist/server/datatypes/structures/stream-id.js');
  const used = () => {
    globalThis.gc();
    globalThis.gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = used();
  const s = new Stream();
  const t0 = Date.now();
  for (let i = 0; i < N; i++) {
    const argv = fields(i).map((x) => Buffer.from(x, 'latin1').toString('latin1'));
    let bytes = 0;
    for (const x of argv) bytes += x.length;
    s.append(idFrom(t0 + Math.floor(i / 500), i % 500), argv, 0, 3, bytes, 4096, 100);
  }
  const grown = used() - base;
  console.log(`estimate check (${N} entries built in-process): bytes ${(s.bytes / 1e6).toFixed(1)} MB, measured heap+ArrayBuffer growth ${(grown / 1e6).toFixed(1)} MB (estimate/measured ${(s.bytes / grown).toFixed(2)})`);
}

if (process.argv[2] === '--calibrate') await calibrate();
else await main();
