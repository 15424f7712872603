// `npm run bench:server`: redis-benchmark SET/GET (100-byte values, 50 clients) at pipeline 1 and 16
// against ringcache-server and redis-server in one run; prints ops/s and our ratio to Redis.
// Each cell is the best of ROUNDS runs, alternating servers so both see the same machine state.
import { spawnSync } from 'node:child_process';
import { startRedis, startRingcache } from './lib/servers.mjs';

const N = Number(process.env.BENCH_REQUESTS ?? 200000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function run(port, pipeline) {
  const r = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-t', 'set,get', '-d', '100', '-c', '50',
    '-n', String(N), '-P', String(pipeline), '-r', '100000', '--csv'], { encoding: 'utf8' });
  if (r.status !== 0) throw Object.assign(new RangeError(`redis-benchmark failed: ${r.stderr}`), { code: "ERR_BENCH" });
  const out = {};
  for (const line of r.stdout.trim().split('\n').slice(1)) {
    const cells = line.split(',').map((c) => c.replace(/"/g, ''));
    out[cells[0]] = Number(cells[1]);
  }
  return out;
}

const ours = await startRingcache();
const redis = await startRedis();
try {
  const rows = [];
  for (const pipeline of [1, 16]) {
    const best = { ours: {}, redis: {} };
    for (let i = 0; i < ROUNDS; i++) {
      for (const [name, srv] of [['ours', ours], ['redis', redis]]) {
        const r = run(srv.port, pipeline);
        for (const [test, rps] of Object.entries(r)) best[name][test] = Math.max(best[name][test] ?? 0, rps);
      }
    }
    for (const test of Object.keys(best.redis)) {
      rows.push({ test, pipeline, ringcache: Math.round(best.ours[test]), redis: Math.round(best.redis[test]), ratio: (best.ours[test] / best.redis[test]).toFixed(2) });
    }
  }
  console.log(`redis-benchmark -d 100 -c 50 -n ${N} (best of ${ROUNDS}), requests/s`);
  console.table(rows);
} finally {
  await ours.stop();
  await redis.stop();
}
