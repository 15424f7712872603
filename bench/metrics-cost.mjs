// `npm run bench:metrics`: the cost of the metrics endpoint (sampled command-duration histogram)
// and of hot-key sampling on ringcache-server, at pipeline 16 (redis-benchmark SET/GET, 100-byte
// values, 50 clients, as bench:server). One server, its configuration switched with CONFIG SET
// between runs and the configurations' order rotated round by round, so every configuration sees
// the same process (JIT state, heap) and the same machine state:
//   off      metrics-port 0, hotkeys-sampling 0   (neither)
//   hotkeys  metrics-port 0, hotkeys-sampling 16  (the default)
//   metrics  metrics-port N, hotkeys-sampling 16  (the endpoint on, scraped after each run)
//   off again                                      (the A/A control: the noise floor)
// BENCH_CONFIGS picks others (`off` always runs): e.g. `histogram` (endpoint on, hot keys off).
// Printed per configuration: best requests/s of ROUNDS runs, the node's CPU µs per request
// (INFO cpu, least of ROUNDS: steadier than throughput on a shared machine), and both as
// ratios to `off`. Quote the ratios with the load average.
import { spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { loadavg } from 'node:os';
import { freePort, startRingcache } from './lib/servers.mjs';
import { dispatchCpuNs, setGetArgvs } from './lib/dispatch-cost.mjs';

const N = Number(process.env.BENCH_REQUESTS ?? 200000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PIPELINE = Number(process.env.BENCH_PIPELINE ?? 16);

function cli(port, ...args) {
  const r = spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw Object.assign(new RangeError(`redis-cli ${args.join(' ')} failed: ${r.stderr}`), { code: 'ERR_BENCH' });
  return r.stdout.trim();
}

function cpuSeconds(port) {
  const out = cli(port, 'info', 'cpu');
  const field = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(out)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

/** /metrics on a connection of its own (the endpoint closes its connections when it closes). */
function scrape() {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port: metricsPort, path: '/metrics', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

function bench(port) {
  const r = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-t', 'set,get', '-d', '100', '-c', '50',
    '-n', String(N), '-P', String(PIPELINE), '-r', '100000', '--csv'], { encoding: 'utf8' });
  if (r.status !== 0) throw Object.assign(new RangeError(`redis-benchmark failed: ${r.stderr}`), { code: 'ERR_BENCH' });
  const out = {};
  for (const line of r.stdout.trim().split('\n').slice(1)) {
    const cells = line.split(',').map((c) => c.replace(/"/g, ''));
    out[cells[0]] = Number(cells[1]);
  }
  return out;
}

const metricsPort = await freePort();
const CONFIGS = [
  ['off', ['metrics-port', '0', 'hotkeys-sampling', '0']],
  ['hotkeys', ['metrics-port', '0', 'hotkeys-sampling', '16']],
  ['metrics', ['metrics-port', String(metricsPort), 'hotkeys-sampling', '16']],
  ['histogram', ['metrics-port', String(metricsPort), 'hotkeys-sampling', '0']],
  // The A/A control: `off` again, to show the noise floor of this run.
  ['off again', ['metrics-port', '0', 'hotkeys-sampling', '0']],
].filter(([name]) => name === 'off' || (process.env.BENCH_CONFIGS ?? 'hotkeys,metrics,off again').split(',').includes(name));

const node = await startRingcache();
try {
  const before = loadavg();
  // Warm-up: the JIT settles on the command path before anything is compared.
  bench(node.port);
  const best = {};
  for (let i = 0; i < ROUNDS; i++) {
    // The order rotates every round, so no configuration always runs first or last.
    for (let k = 0; k < CONFIGS.length; k++) {
      const [name, config] = CONFIGS[(i + k) % CONFIGS.length];
      cli(node.port, 'config', 'set', ...config);
      const cpu0 = cpuSeconds(node.port);
      const r = bench(node.port);
      const cpuUs = ((cpuSeconds(node.port) - cpu0) * 1e6) / (2 * N);
      if (config[1] !== '0') {
        if (!(await scrape()).includes('ringcache_command_duration_seconds_count{cmd="get"}')) throw new RangeError('no sampled GET in /metrics');
      }
      const b = (best[name] ??= { rps: {}, cpu: Infinity });
      b.cpu = Math.min(b.cpu, cpuUs);
      for (const [test, rps] of Object.entries(r)) b.rps[test] = Math.max(b.rps[test] ?? 0, rps);
    }
  }
  const base = best.off;
  const rows = CONFIGS.map(([name]) => {
    const b = best[name];
    return {
      config: name,
      'SET rps': Math.round(b.rps.SET),
      'GET rps': Math.round(b.rps.GET),
      'SET vs off': (b.rps.SET / base.rps.SET).toFixed(3),
      'GET vs off': (b.rps.GET / base.rps.GET).toFixed(3),
      'CPU µs/request': b.cpu.toFixed(3),
      'CPU vs off': (b.cpu / base.cpu).toFixed(3),
    };
  });
  console.log(`ringcache-server, redis-benchmark -t set,get -d 100 -c 50 -n ${N} -P ${PIPELINE} -r 100000 (best of ${ROUNDS}, order rotated)`);
  console.table(rows);
  const after = loadavg();
  console.log(`load average before ${before.map((x) => x.toFixed(2)).join(' ')}, after ${after.map((x) => x.toFixed(2)).join(' ')}`);
  if (process.env.BENCH_IN_PROCESS !== '0') await inProcess(base.cpu);
} finally {
  await node.stop();
}

/**
 * In process (steadier than end to end on a shared machine): CPU ns per command of
 * dispatcher.execute for SET/GET in batches of PIPELINE, on embedded servers of this build —
 * `off`, a second `off` (the A/A control: the noise floor), hot keys only (hotkeys-sampling 16),
 * the duration histogram only (fed as the metrics feature feeds it) and both — alternated for 30
 * rounds; medians, and the difference to `off` as a share of the node's CPU per request measured
 * end to end above.
 */
async function inProcess(serverUsPerRequest) {
  const { createServer } = await import('../dist/server/server.js');
  const { InternalClient } = await import('../dist/server/dispatch/internal-client.js');
  const { NodeMetrics, DURATION_SAMPLE_EVERY } = await import('../dist/server/metrics/node-metrics.js');
  const make = (hot, duration) => {
    const srv = createServer({ config: { port: 0, save: '', 'hotkeys-sampling': hot ? 16 : 0 }, logSink: () => {} });
    if (duration) {
      const m = new NodeMetrics(srv);
      srv.dispatcher.hooks.sampleDuration = (spec, usec) => m.observe(spec, usec);
      srv.dispatcher.setDurationSampling(DURATION_SAMPLE_EVERY);
    }
    return { d: srv.dispatcher, c: new InternalClient(srv, 1, 0, '127.0.0.1:1', '127.0.0.1:2'), ns: [] };
  };
  const runs = { off: make(false, false), control: make(false, false), 'hot keys': make(true, false), histogram: make(false, true), both: make(true, true) };
  const argvs = setGetArgvs();
  const once = (run) => dispatchCpuNs(run, argvs, PIPELINE);
  const all = Object.values(runs);
  for (const r of all) once(r);
  for (let i = 0; i < 30; i++) for (let k = 0; k < all.length; k++) { const r = all[(i + k) % all.length]; r.ns.push(once(r)); }
  const median = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
  const off = median(runs.off.ns);
  console.log(`in-process dispatch, SET/GET in batches of ${PIPELINE}, medians of 30 alternated rounds; share of the node's ${serverUsPerRequest.toFixed(2)} µs CPU per request above`);
  console.table(Object.entries(runs).map(([name, r]) => {
    const ns = median(r.ns);
    return { config: name, 'ns/command': ns.toFixed(0), 'vs off (ns)': (ns - off).toFixed(0), 'share of a request': `${((100 * (ns - off)) / (serverUsPerRequest * 1000)).toFixed(2)}%` };
  }));
}
