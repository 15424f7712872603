// `npm run bench:server`: redis-benchmark SET/GET (100-byte values, 50 clients) at pipeline 1 and 16
// against ringcache-server and redis-server in one run; prints ops/s and our ratio to Redis.
// Each cell is the best of ROUNDS runs, alternating servers so both see the same machine state.
// Then the ACL cost on ringcache-server: the same runs as the default user, as a user restricted
// by commands (one bitmap lookup per command) and as a user restricted by key pattern (a glob
// match per key), alternating users; the ratio is restricted / default. BENCH_ACL=0 skips it,
// BENCH_ACL=only runs only it. BENCH_METRICS=1 turns ringcache's metrics endpoint on, BENCH_HOTKEYS=0
// its hot-key sampling off.
import { spawnSync } from 'node:child_process';
import { freePort, startRedis, startRingcache } from './lib/servers.mjs';

const N = Number(process.env.BENCH_REQUESTS ?? 200000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function run(port, pipeline, auth = []) {
  const r = spawnSync('redis-benchmark', [...auth, '-h', '127.0.0.1', '-p', String(port), '-t', 'set,get', '-d', '100', '-c', '50',
    '-n', String(N), '-P', String(pipeline), '-r', '100000', '--csv'], { encoding: 'utf8' });
  if (r.status !== 0) throw Object.assign(new RangeError(`redis-benchmark failed: ${r.stderr}`), { code: "ERR_BENCH" });
  const out = {};
  for (const line of r.stdout.trim().split('\n').slice(1)) {
    const cells = line.split(',').map((c) => c.replace(/"/g, ''));
    out[cells[0]] = Number(cells[1]);
  }
  return out;
}

if (process.env.BENCH_ACL !== 'only') {
  // BENCH_METRICS=1: ringcache-server with its metrics endpoint on (a free metrics-port), to
  // compare with a run without it; BENCH_HOTKEYS=0 turns hot-key sampling off.
  const extra = [];
  if (process.env.BENCH_METRICS === '1') extra.push('--metrics-port', String(await freePort()));
  if (process.env.BENCH_HOTKEYS === '0') extra.push('--hotkeys-sampling', '0');
  const ours = await startRingcache(extra);
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
    console.log(`redis-benchmark -d 100 -c 50 -n ${N} (best of ${ROUNDS}), requests/s${extra.length > 0 ? `, ringcache-server ${extra.join(' ')}` : ''}`);
    console.table(rows);
  } finally {
    await ours.stop();
    await redis.stop();
  }
}

const USERS = [
  ['default', []],
  ['commands', ['--user', 'cmds', '-a', 'pw']],
  ['key pattern', ['--user', 'keys', '-a', 'pw']],
];

/** The node's CPU seconds so far (INFO cpu: user + sys), read with redis-cli. */
function cpuSeconds(port) {
  const r = spawnSync('redis-cli', ['-p', String(port), 'info', 'cpu'], { encoding: 'utf8' });
  const field = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(r.stdout)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

if (process.env.BENCH_ACL !== '0') {
  // On a loaded machine throughput swings; the node's CPU time per request does not (much), so
  // both are printed and the CPU ratio is the figure to quote.
  const acl = await startRingcache(['--user', 'cmds', 'on', '>pw', '~*', '+@all', '-@dangerous', '-@admin', '--user', 'keys', 'on', '>pw', '~key:*', '+@all']);
  try {
    const rows = [];
    for (const pipeline of [1, 16]) {
      const best = {};
      for (let i = 0; i < ROUNDS; i++) {
        for (const [name, auth] of USERS) {
          const before = cpuSeconds(acl.port);
          const r = run(acl.port, pipeline, auth);
          const cpuUs = ((cpuSeconds(acl.port) - before) * 1e6) / (2 * N);
          const b = (best[name] ??= { rps: {}, cpu: Infinity });
          b.cpu = Math.min(b.cpu, cpuUs);
          for (const [test, rps] of Object.entries(r)) b.rps[test] = Math.max(b.rps[test] ?? 0, rps);
        }
      }
      const base = best.default;
      for (const [name] of USERS) {
        const b = best[name];
        rows.push({
          pipeline,
          user: name,
          'SET rps': Math.round(b.rps.SET),
          'GET rps': Math.round(b.rps.GET),
          'CPU µs/request': b.cpu.toFixed(2),
          'CPU vs default': (b.cpu / base.cpu).toFixed(3),
        });
      }
    }
    console.log(`ACL cost on ringcache-server: default user vs restricted users (SET+GET, best of ${ROUNDS})`);
    console.table(rows);
  } finally {
    await acl.stop();
  }
}
