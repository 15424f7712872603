// Worst cases of reply-size-driven and whole-collection commands, ringcache-server vs redis-server
// side by side: each command with its worst legal arguments on the same dataset, the time until
// the whole reply arrived (or the server closed the connection at its output limit), and the
// growth of the server's peak RSS during the command. Targets (issue 17): time ≤ 3× Redis's,
// memory growth ≤ 2× Redis's.
//
//   npm run bench:worst-case                 BENCH_N=200000 elements per collection
//   BENCH_CASES=lrange,keys BENCH_ROUNDS=3   a subset; the median of the rounds is printed
//
// Both servers run with `client-output-buffer-limit normal 64mb 0 0`, so the unbounded cases
// (SRANDMEMBER key -9223372036854775807 …) end when the limit closes the client, as Redis does.
// Each case gets fresh servers (no garbage of an earlier case in its RSS); the peak is read from
// /proc/<pid>/status VmHWM after resetting it (clear_refs 5), sampled as a fallback. Time is the
// median of the rounds; memory growth is the first round's.

import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { loadavg } from 'node:os';
import { startRedis, startRingcache } from './lib/servers.mjs';

const N = Number(process.env.BENCH_N ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ONLY = (process.env.BENCH_CASES ?? '').split(',').filter(Boolean);
const LIMIT = ['--client-output-buffer-limit', 'normal', '64mb', '0', '0'];
const LONG_MAX = '9223372036854775807';
const HALF = '4611686018427387903';

/** Setup commands, batched: a collection of n elements under `key`. */
function fill(kind, key, n) {
  const out = [];
  for (let i = 0; i < n; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      if (kind === 'list') batch.push(`e${j}`);
      else if (kind === 'set') batch.push(`m${j}`);
      else if (kind === 'zset') batch.push(String(j), `m${j}`);
      else if (kind === 'hash') batch.push(`f${j}`, `v${j}`);
      else if (kind === 'keys') batch.push(`k:${j}`, `v${j}`);
      else if (kind === 'stream') batch.push(`${j + 1}-0`);
      // Points spread over the globe by a fixed rule (longitude ±180, latitude ±85).
      else if (kind === 'geo') batch.push(String(((j * 7919) % 36000) / 100 - 180), String(((j * 104729) % 17000) / 100 - 85), `p${j}`);
    }
    if (kind === 'list') out.push(['RPUSH', key, ...batch]);
    else if (kind === 'set') out.push(['SADD', key, ...batch]);
    else if (kind === 'zset') out.push(['ZADD', key, ...batch]);
    else if (kind === 'hash') out.push(['HSET', key, ...batch]);
    else if (kind === 'keys') out.push(['MSET', ...batch]);
    else if (kind === 'stream') for (const id of batch) out.push(['XADD', key, id, 'f', 'v']);
    else if (kind === 'geo') out.push(['GEOADD', key, ...batch]);
  }
  return out;
}

/**
 * A 100 MB value, read once: ringcache keeps SETRANGE's zero padding as a V8 rope that becomes one
 * flat string at its first read (the ~100 MB Redis allocates at SETRANGE), which would otherwise be
 * charged to the command measured.
 */
const BIG_READ = [['SETRANGE', 'big', '100000000', 'x'], ['GETRANGE', 'big', '0', '0']];

const small = [['SADD', 's3', 'a', 'b', 'c'], ['ZADD', 'z3', '1', 'a', '2', 'b', '3', 'c'], ['HSET', 'h3', 'a', '1', 'b', '2', 'c', '3']];

const CASES = [
  { name: 'srandmember-neg', setup: () => small, cmd: ['SRANDMEMBER', 's3', `-${LONG_MAX}`] },
  { name: 'zrandmember-neg', setup: () => small, cmd: ['ZRANDMEMBER', 'z3', `-${HALF}`, 'WITHSCORES'] },
  { name: 'hrandfield-neg', setup: () => small, cmd: ['HRANDFIELD', 'h3', `-${HALF}`, 'WITHVALUES'] },
  { name: 'srandmember-big', setup: () => fill('set', 'set', N), cmd: ['SRANDMEMBER', 'set', String(-5 * N)] },
  { name: 'srandmember-distinct', setup: () => fill('set', 'set', N), cmd: ['SRANDMEMBER', 'set', String(N - 1)] },
  { name: 'zrandmember-distinct', setup: () => fill('zset', 'zset', N), cmd: ['ZRANDMEMBER', 'zset', String(N - 1), 'WITHSCORES'] },
  { name: 'lrange', setup: () => fill('list', 'list', N), cmd: ['LRANGE', 'list', '0', '-1'] },
  { name: 'lpos-scan', setup: () => fill('list', 'list', N), cmd: ['LPOS', 'list', 'nomatch', 'COUNT', '0', 'MAXLEN', '0'] },
  { name: 'zrange', setup: () => fill('zset', 'zset', N), cmd: ['ZRANGE', 'zset', '0', '-1', 'WITHSCORES'] },
  { name: 'zrangebyscore', setup: () => fill('zset', 'zset', N), cmd: ['ZRANGEBYSCORE', 'zset', '-inf', '+inf', 'WITHSCORES', 'LIMIT', '0', '-1'] },
  { name: 'smembers', setup: () => fill('set', 'set', N), cmd: ['SMEMBERS', 'set'] },
  { name: 'sunion', setup: () => [...fill('set', 'set', N), ...fill('set', 'set2', N)], cmd: ['SUNION', 'set', 'set2'] },
  { name: 'hgetall', setup: () => fill('hash', 'hash', N), cmd: ['HGETALL', 'hash'] },
  { name: 'keys', setup: () => fill('keys', null, N), cmd: ['KEYS', '*'] },
  { name: 'scan-count-max', setup: () => fill('keys', null, N), cmd: ['SCAN', '0', 'COUNT', LONG_MAX] },
  { name: 'sscan-count-max', setup: () => fill('set', 'set', N), cmd: ['SSCAN', 'set', '0', 'COUNT', LONG_MAX] },
  { name: 'zunionstore', setup: () => [...fill('zset', 'zset', N), ...fill('zset', 'zset2', N)], cmd: ['ZUNIONSTORE', 'dst', '2', 'zset', 'zset2'] },
  { name: 'setrange-100mb', setup: () => [], cmd: ['SETRANGE', 'big', '100000000', 'x'] },
  { name: 'getrange-100mb', setup: () => BIG_READ, cmd: ['GETRANGE', 'big', '0', '-1'] },
  { name: 'xrange', setup: () => fill('stream', 'stream', N / 4), cmd: ['XRANGE', 'stream', '-', '+'] },
  { name: 'sort-alpha', setup: () => fill('list', 'list', N), cmd: ['SORT', 'list', 'ALPHA'] },
  { name: 'geosearch-all', setup: () => fill('geo', 'geo', N), cmd: ['GEOSEARCH', 'geo', 'FROMLONLAT', '0', '0', 'BYRADIUS', '30000', 'km', 'ASC', 'WITHDIST'] },
  { name: 'bitcount-100mb', setup: () => BIG_READ, cmd: ['BITCOUNT', 'big'] },
  { name: 'bitpos-100mb', setup: () => BIG_READ, cmd: ['BITPOS', 'big', '1'] },
  { name: 'lcs-5k', setup: () => [['SET', 'la', lcsText(5000, 1)], ['SET', 'lb', lcsText(5000, 2)]], cmd: ['LCS', 'la', 'lb'] },
];

/** A string of `n` letters from a small alphabet (many matches, as LCS's worst case wants). */
function lcsText(n, seed) {
  let x = seed;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += 'acgt'[x >>> 30];
  }
  return out;
}

function encode(args) {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('')}`;
}

/** Counts RESP2 frames as bytes arrive without keeping them (replies may be tens of MB). */
class FrameCounter {
  pending = Buffer.alloc(0);
  skip = 0; // bulk payload bytes (+2) still to skip
  stack = []; // remaining elements of open aggregates
  frames = 0;
  errors = 0;

  feed(chunk) {
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, buf.length - pos);
        this.skip -= n;
        pos += n;
        if (this.skip > 0) break;
        this.done();
        continue;
      }
      const cr = buf.indexOf(13, pos);
      if (cr === -1 || cr + 1 >= buf.length) break;
      const type = buf[pos];
      const n = Number(buf.toString('latin1', pos + 1, cr));
      pos = cr + 2;
      if (type === 36 && n >= 0) this.skip = n + 2;
      else if (type === 42 && n > 0) this.stack.push(n);
      else {
        if (type === 45) this.errors++;
        this.done();
      }
    }
    this.pending = buf.subarray(pos);
  }

  /** One value completed: close the aggregates it completes. */
  done() {
    while (this.stack.length > 0) {
      if (--this.stack[this.stack.length - 1] > 0) return;
      this.stack.pop();
    }
    this.frames++;
  }
}

function procStatus(pid, field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? 0 : Number(m[1]) * 1024;
}

function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Sends argv on a fresh connection; resolves when `frames` replies arrived or the server closed it. */
function call(port, commands, pid = 0) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const fc = new FrameCounter();
    let bytes = 0;
    let peak = 0;
    const sampler = pid > 0 ? setInterval(() => (peak = Math.max(peak, procStatus(pid, 'VmRSS'))), 5) : null;
    const t0 = performance.now();
    const finish = (closed) => {
      if (sampler !== null) clearInterval(sampler);
      s.destroy();
      resolve({ ms: performance.now() - t0, bytes, closed, errors: fc.errors, peak });
    };
    s.on('data', (d) => {
      bytes += d.length;
      fc.feed(d);
      if (fc.frames >= commands.length) finish(false);
    });
    s.on('close', () => finish(true));
    s.on('error', reject);
    s.write(commands.map(encode).join(''));
  });
}

async function measure(server, kase) {
  const setup = kase.setup();
  if (setup.length > 0) await call(server.port, setup);
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) {
    const before = procStatus(server.pid, 'VmRSS');
    const canReset = resetPeak(server.pid);
    const res = await call(server.port, [kase.cmd], server.pid);
    const hwm = canReset ? procStatus(server.pid, 'VmHWM') : 0;
    samples.push({ ...res, growth: Math.max(0, Math.max(hwm, res.peak) - before) });
    if (kase.cmd[0] === 'ZUNIONSTORE' || kase.cmd[0] === 'SETRANGE') await call(server.port, [['DEL', 'dst', 'big']]);
  }
  const median = (f) => samples.map(f).sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  // Memory from the first round only: later rounds reuse what the first freed (jemalloc keeps its
  // pages; V8 collects on its own schedule), which would compare allocators, not commands.
  return { ms: median((x) => x.ms), growth: samples[0].growth, bytes: samples[0].bytes, closed: samples[0].closed, errors: samples[0].errors };
}

const mb = (b) => (b / 1048576).toFixed(1);
console.log(`worst cases: N=${N}, rounds=${ROUNDS}, output limit normal 64mb, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`${'case'.padEnd(22)} ${'reply'.padStart(9)} ${'ours ms'.padStart(9)} ${'redis ms'.padStart(9)} ${'time×'.padStart(6)} ${'ours MB'.padStart(8)} ${'redis MB'.padStart(9)} ${'mem×'.padStart(6)}`);
let failures = 0;
for (const kase of CASES) {
  if (ONLY.length > 0 && !ONLY.includes(kase.name)) continue;
  const [ours, redis] = await Promise.all([startRingcache(LIMIT), startRedis(LIMIT)]);
  try {
    // One at a time: the two servers share two cores with this process.
    const a = await measure(ours, kase);
    const b = await measure(redis, kase);
    const timeRatio = a.ms / Math.max(b.ms, 0.5);
    // Growth below 4 MB is noise at RSS granularity: compare against at least that.
    const memRatio = a.growth / Math.max(b.growth, 4 * 1048576);
    const reply = a.closed && b.closed ? 'closed' : `${mb(b.bytes)}MB`;
    const shape = a.closed !== b.closed || a.errors !== b.errors ? ' (reply differs!)' : '';
    const over = timeRatio > 3 || memRatio > 2 ? ' over target' : '';
    if (over !== '' || shape !== '') failures++;
    console.log(
      `${kase.name.padEnd(22)} ${reply.padStart(9)} ${a.ms.toFixed(0).padStart(9)} ${b.ms.toFixed(0).padStart(9)} ${timeRatio.toFixed(2).padStart(6)} ${mb(a.growth).padStart(8)} ${mb(b.growth).padStart(9)} ${memRatio.toFixed(2).padStart(6)}${over}${shape}`,
    );
  } finally {
    await Promise.all([ours.stop(), redis.stop()]);
  }
}
console.log(failures === 0 ? 'all within target' : `${failures} case(s) over target or with a different reply`);
