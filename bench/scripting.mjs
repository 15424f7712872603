// `npm run bench:scripting`: EVAL and FCALL throughput of ringcache-server against redis-server in
// one run (redis-benchmark, -c 4 -P 8), then the Lua VM comparison behind the choice of wasmoon
// (bench/lua-vm-compare.mjs). Scripts: a 2-call script (SET then GET), a 100-iteration loop, and the
// same 2-call script as a function (FCALL). Each cell is the best of BENCH_ROUNDS runs, servers
// alternating so both see the same machine state. Prints requests/s and our ratio to Redis.
import { spawnSync } from 'node:child_process';
import { startRedis, startRingcache } from './lib/servers.mjs';
import { compareVms } from './lua-vm-compare.mjs';

const N = Number(process.env.BENCH_REQUESTS ?? 100000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const TWO_CALL = "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])";
const LOOP = 'local s = 0 for i = 1, 100 do s = s + i % 7 end return s';
const LIBRARY = "#!lua name=benchlib\nredis.register_function('twocall', function(KEYS, ARGV) redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1]) end)";

const CASES = [
  ['EVAL 2-call', ['eval', TWO_CALL, '1', 'key:__rand_int__', 'v']],
  ['EVALSHA 2-call', ['evalsha', null, '1', 'key:__rand_int__', 'v']],
  ['EVAL loop-100', ['eval', LOOP, '0']],
  ['FCALL 2-call', ['fcall', 'twocall', '1', 'key:__rand_int__', 'v']],
];

function cli(port, ...args) {
  const r = spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw Object.assign(new RangeError(`redis-cli failed: ${r.stderr}`), { code: 'ERR_BENCH' });
  return r.stdout.trim();
}

function bench(port, args) {
  const r = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-c', '4', '-P', '8', '-n', String(N), '-r', '100000', '--csv', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw Object.assign(new RangeError(`redis-benchmark failed: ${r.stderr}`), { code: 'ERR_BENCH' });
  // CSV: "test","rps",… — the test name is the command line and may hold commas.
  const cells = [...(r.stdout.trim().split('\n')[1] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  return Number(cells[1] ?? 0);
}

const ours = await startRingcache();
const redis = await startRedis();
try {
  const sha = cli(ours.port, 'script', 'load', TWO_CALL);
  cli(redis.port, 'script', 'load', TWO_CALL);
  for (const srv of [ours, redis]) cli(srv.port, 'function', 'load', 'replace', LIBRARY);
  const rows = [];
  for (const [name, args] of CASES) {
    const argv = args.map((a) => (a === null ? sha : a));
    const best = { ours: 0, redis: 0 };
    for (let i = 0; i < ROUNDS; i++) {
      best.ours = Math.max(best.ours, bench(ours.port, argv));
      best.redis = Math.max(best.redis, bench(redis.port, argv));
    }
    rows.push({ script: name, ringcache: Math.round(best.ours), redis: Math.round(best.redis), ratio: (best.ours / best.redis).toFixed(2) });
  }
  console.log(`redis-benchmark -c 4 -P 8 -n ${N} (best of ${ROUNDS}), requests/s`);
  console.table(rows);
} finally {
  await ours.stop();
  await redis.stop();
}

const vms = await compareVms();
console.log('Lua VM comparison, µs per EVAL-equivalent through the raw C API (lower is better)');
console.table(vms.map((r) => ({ script: r.script, fengari: r.fengari.toFixed(2), wasmoon: r.wasmoon.toFixed(2), 'fengari/wasmoon': (r.fengari / r.wasmoon).toFixed(2) })));
