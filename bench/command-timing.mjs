// `npm run bench:timing`: what timing every command (INFO commandstats usec, SLOWLOG, LATENCY,
// latency histograms) costs the node. Runs redis-benchmark SET/GET at pipeline 16 against two
// ringcache-servers from the same build, alternating: the real one, and a copy of dist/ whose
// dispatcher never reads the clock (its `performance.now()` calls replaced by 0, the histogram
// off). Compares the server's CPU time per request (from /proc/<pid>/stat), which a shared,
// loaded machine disturbs far less than throughput; prints each round and the medians.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './lib/servers.mjs';
import { dispatchCpuNs, setGetArgvs } from './lib/dispatch-cost.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_REQUESTS ?? 200000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 24);
const PIPELINE = Number(process.env.BENCH_PIPELINE ?? 16);
const TICKS = 100; // USER_HZ of /proc/<pid>/stat

class BenchError extends Error {
  code = 'ERR_BENCH';
}

function untimedCopy() {
  // Inside the repository (.tmp is git-ignored), so the copy resolves node_modules (wasmoon) as dist/ does.
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.tmp', 'bench-untimed-'));
  cpSync(join(ROOT, 'dist'), dir, { recursive: true });
  const file = join(dir, 'server/dispatch/dispatcher.js');
  const src = readFileSync(file, 'utf8');
  if (process.env.BENCH_CONTROL === '1') return dir;
  const out = src.replaceAll('performance.now()', '0').replace('if (this.latencyTracking)', 'if (false)');
  if (out === src) throw new BenchError('the dispatcher has no clock reading to remove');
  writeFileSync(file, out);
  return dir;
}

async function start(bin) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const child = spawn(process.execPath, [bin, '--port', String(port), '--save', '', '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Ready to accept connections')) res();
    });
    child.once('exit', (c) => rej(new BenchError(`server exited ${c}: ${out}`)));
  });
  return { port, child, dir };
}

function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS;
}

function load(port) {
  const r = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-t', 'set,get', '-d', '100', '-c', '50',
    '-n', String(N), '-P', String(PIPELINE), '-r', '100000', '-q'], { encoding: 'utf8' });
  if (r.status !== 0) throw new BenchError(`redis-benchmark failed: ${r.stderr}`);
}

/** CPU ns per command of dispatcher.execute for SET/GET in batches, timed and untimed build. */
async function dispatchCost(copyDir) {
  const runs = {};
  for (const [name, dir] of [['timed', join(ROOT, 'dist')], ['untimed', copyDir]]) {
    const { createServer } = await import(join(dir, 'server/server.js'));
    const { InternalClient } = await import(join(dir, 'server/dispatch/internal-client.js'));
    const srv = createServer({ config: { port: 0, save: '' }, logSink: () => {} });
    runs[name] = { d: srv.dispatcher, c: new InternalClient(srv, 1, 0, '127.0.0.1:1', '127.0.0.1:2'), ns: [] };
  }
  const argvs = setGetArgvs();
  const once = (run) => dispatchCpuNs(run, argvs, PIPELINE);
  for (const r of Object.values(runs)) once(r);
  for (let i = 0; i < 30; i++) for (const r of i % 2 ? [runs.timed, runs.untimed] : [runs.untimed, runs.timed]) r.ns.push(once(r));
  const median = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
  return { timed: median(runs.timed.ns), untimed: median(runs.untimed.ns) };
}

const copy = untimedCopy();
const timed = await start(join(ROOT, 'dist/bin/ringcache-server.js'));
const untimed = await start(join(copy, 'bin/ringcache-server.js'));
try {
  load(timed.port);
  load(untimed.port);
  const us = { timed: [], untimed: [] };
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 === 0 ? [['timed', timed], ['untimed', untimed]] : [['untimed', untimed], ['timed', timed]];
    for (const [name, srv] of order) {
      const before = cpuSeconds(srv.child.pid);
      load(srv.port);
      us[name].push(((cpuSeconds(srv.child.pid) - before) * 1e6) / (2 * N));
    }
  }
  const median = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
  console.log(`redis-benchmark -t set,get -d 100 -c 50 -n ${N} -P ${PIPELINE}, ${ROUNDS} rounds: server CPU µs per request`);
  console.log(`timed:   ${us.timed.map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`untimed: ${us.untimed.map((x) => x.toFixed(2)).join(' ')}`);
  const [t, u] = [median(us.timed), median(us.untimed)];
  const paired = median(us.timed.map((x, i) => x / us.untimed[i]));
  console.log(`median timed ${t.toFixed(3)} µs, untimed ${u.toFixed(3)} µs: timing costs ${(100 * (t / u - 1)).toFixed(1)}% (median of round ratios ${(100 * (paired - 1)).toFixed(1)}%)`);
  const d = await dispatchCost(copy);
  console.log(`in-process dispatch, batches of ${PIPELINE}: timed ${d.timed.toFixed(0)} ns, untimed ${d.untimed.toFixed(0)} ns per command: +${(d.timed - d.untimed).toFixed(0)} ns, ${((100 * (d.timed - d.untimed)) / (u * 1000)).toFixed(1)}% of the server's ${u.toFixed(2)} µs per request above`);
} finally {
  for (const s of [timed, untimed]) {
    s.child.kill('SIGTERM');
    rmSync(s.dir, { recursive: true, force: true });
  }
  rmSync(copy, { recursive: true, force: true });
}
