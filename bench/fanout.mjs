// `npm run bench:fanout`: what splitting a multi-key command across shards costs the client.
// One real redis-server; the same MGET / MSET workloads through
//   - RingClient with one shard (no split),
//   - RingClient with three shards that all point at that one server (split into three parts,
//     sent on three pools, reassembled: the network side is the same server, so the difference
//     is the client's own fan-out work and the extra round trips),
//   - ioredis, one MGET/MSET per call (the reference).
// Prints ops/s, client CPU µs per op, and the 3-shard / 1-shard ratio. BENCH_OPS (20000),
// BENCH_KEYS_PER_OP (10,100), BENCH_IN_FLIGHT (50).
import { Redis } from 'ioredis';
import { RingClient } from '../dist/index.js';
import { startRedis } from './lib/servers.mjs';

const OPS = Number(process.env.BENCH_OPS ?? 20_000);
const SIZES = (process.env.BENCH_KEYS_PER_OP ?? '10,100').split(',').map(Number);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 50);
const VALUE = 'x'.repeat(100);

async function run(op) {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < OPS) await op(next++);
  }));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { opsPerSec: OPS / s, cpuUsPerOp: (cpu.user + cpu.system) / OPS };
}

const redis = await startRedis();
const addr = `127.0.0.1:${redis.port}`;
const one = new RingClient({ shards: [{ name: 'a', master: addr }] });
const three = new RingClient({ shards: ['a', 'b', 'c'].map((name) => ({ name, master: addr })) });
const io = new Redis({ port: redis.port, host: '127.0.0.1' });

try {
  const rows = [];
  for (const n of SIZES) {
    const keySets = Array.from({ length: 64 }, (_, j) => Array.from({ length: n }, (_, i) => `fk:${j}:${i}`));
    const pairs = keySets.map((ks) => Object.fromEntries(ks.map((k) => [k, VALUE])));
    await one.mset(pairs[0]);
    for (const [cmd, ours, theirs] of [
      ['MGET', (c) => (i) => c.mget(keySets[i & 63]), (i) => io.mget(keySets[i & 63])],
      ['MSET', (c) => (i) => c.mset(pairs[i & 63]), (i) => io.mset(pairs[i & 63])],
    ]) {
      // Warm up every path once, then measure alternately, best of 2.
      for (const f of [ours(one), ours(three), theirs]) for (let i = 0; i < 200; i++) await f(i);
      const best = { one: null, three: null, io: null };
      for (let round = 0; round < 2; round++) {
        for (const [name, f] of [['one', ours(one)], ['three', ours(three)], ['io', theirs]]) {
          const r = await run(f);
          if (best[name] === null || r.opsPerSec > best[name].opsPerSec) best[name] = r;
        }
      }
      rows.push({
        command: `${cmd} ${n} keys`,
        'ringcache 1 shard ops/s': Math.round(best.one.opsPerSec),
        'ringcache 3 shards ops/s': Math.round(best.three.opsPerSec),
        'ioredis ops/s': Math.round(best.io.opsPerSec),
        'cpu µs/op 1 shard': best.one.cpuUsPerOp.toFixed(1),
        'cpu µs/op 3 shards': best.three.cpuUsPerOp.toFixed(1),
        '3 / 1 shard': (best.three.opsPerSec / best.one.opsPerSec).toFixed(2),
        '3 shards / ioredis': (best.three.opsPerSec / best.io.opsPerSec).toFixed(2),
      });
    }
  }
  console.log(`fan-out over one redis-server, ${OPS} ops per cell, ${IN_FLIGHT} in flight, 100-byte values`);
  console.table(rows);
} finally {
  await one.close();
  await three.close();
  io.disconnect();
  await redis.stop();
}
