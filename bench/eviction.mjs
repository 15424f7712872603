// maxmemory benchmark, ringcache-server and redis-server side by side in one run:
//
// 1. Memory bound: a node started with `--maxmemory 100mb --maxmemory-policy allkeys-lru` takes a
//    sustained load of SETs of random keys with random 16–1024-byte values until BENCH_WRITE_FACTOR
//    (default 5) × maxmemory bytes were written. The server's RSS is sampled from /proc every 50 ms;
//    we print the peak against 1.5 × maxmemory + baseline, baseline = the RSS of the same node
//    empty. Redis's peak RSS under the same load is printed for reference.
// 2. Hit ratio: the same seeded Zipf-like GET / SET-on-miss workload against both servers with the
//    same maxmemory (BENCH_HIT_MAXMEMORY, default 32mb) and allkeys-lru; hit ratios side by side,
//    measured after a warm-up, plus the number of keys each ended up holding.
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { ReplyParser, encodeCommand } from '../dist/protocol/index.js';
import { startRedis, startRingcache } from './lib/servers.mjs';

const MAXMEMORY_MB = Number(process.env.BENCH_MAXMEMORY_MB ?? 100);
const WRITE_FACTOR = Number(process.env.BENCH_WRITE_FACTOR ?? 5);
const HIT_MAXMEMORY = process.env.BENCH_HIT_MAXMEMORY ?? '32mb';
const HIT_KEYS = Number(process.env.BENCH_HIT_KEYS ?? 1_000_000);
const HIT_OPS = Number(process.env.BENCH_HIT_OPS ?? 2_000_000);
const ZIPF_S = Number(process.env.BENCH_ZIPF_S ?? 0.99);
const PARTS = (process.env.BENCH_PARTS ?? 'memory,hit').split(',');
const BATCH = 500;
const MB = 1024 * 1024;

/** mulberry32: a small seeded PRNG so both servers see the same sequence. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A pipelining connection: run(cmds) sends a batch and resolves with its replies. */
async function connect(port) {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise((r, j) => { socket.once('connect', r); socket.once('error', j); });
  let replies = [];
  let want = 0;
  let wake = null;
  const parser = new ReplyParser({
    onReply: (v) => { replies.push(v); if (replies.length === want && wake) wake(); },
    onPush: () => {},
    onError: (e) => { throw e; },
  });
  socket.on('data', (d) => parser.feed(d));
  return {
    run(cmds) {
      replies = [];
      want = cmds.length;
      const done = new Promise((r) => (wake = r));
      socket.write(Buffer.concat(cmds.map((c) => encodeCommand(c))));
      return done.then(() => replies);
    },
    async one(...args) {
      return (await this.run([args]))[0];
    },
    close: () => socket.destroy(),
  };
}

function rssOf(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

function infoField(info, name) {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(String(info));
  return m ? m[1].trim() : '';
}

const mb = (n) => (n / MB).toFixed(1);

async function memoryBound(name, server) {
  const pid = server.pid;
  const conns = await Promise.all([0, 1, 2, 3].map(() => connect(server.port)));
  await conns[0].one('PING');
  await new Promise((r) => setTimeout(r, 500));
  const baseline = rssOf(pid);
  let peak = baseline;
  const sampler = setInterval(() => { peak = Math.max(peak, rssOf(pid)); }, 50);
  const pool = Buffer.alloc(1 << 20);
  const rand = rng(42);
  for (let i = 0; i < pool.length; i++) pool[i] = 97 + ((rand() * 26) | 0);
  const target = WRITE_FACTOR * MAXMEMORY_MB * MB;
  let written = 0;
  let oom = 0;
  const t0 = Date.now();
  await Promise.all(conns.map(async (c, ci) => {
    const r = rng(1000 + ci);
    while (written < target) {
      const cmds = [];
      for (let i = 0; i < BATCH; i++) {
        const len = 16 + ((r() * 1009) | 0);
        const off = (r() * (pool.length - len)) | 0;
        cmds.push(['SET', `key:${(r() * 1e9) | 0}`, pool.subarray(off, off + len)]);
        written += len;
      }
      for (const rep of await c.run(cmds)) if (rep instanceof Error) oom++;
    }
  }));
  clearInterval(sampler);
  peak = Math.max(peak, rssOf(pid));
  const secs = (Date.now() - t0) / 1000;
  const info = await conns[0].one('INFO', 'all');
  const keys = await conns[0].one('DBSIZE');
  for (const c of conns) c.close();
  const bound = 1.5 * MAXMEMORY_MB * MB + baseline;
  console.log(
    `${name.padEnd(10)} wrote ${mb(written)} MB in ${secs.toFixed(1)} s; baseline RSS ${mb(baseline)} MB, peak RSS ${mb(peak)} MB ` +
      `(bound 1.5 × ${MAXMEMORY_MB} + baseline = ${mb(bound)} MB: ${peak <= bound ? 'within' : 'EXCEEDED'}); ` +
      `used_memory ${mb(Number(infoField(info, 'used_memory')))} MB, keys ${keys}, evicted ${infoField(info, 'evicted_keys')}, errors ${oom}` +
      (infoField(info, 'v8_heap_used') ? `, V8 heap used ${mb(Number(infoField(info, 'v8_heap_used')))} MB` : ''),
  );
  return { baseline, peak, bound };
}

/** Zipf(s) over ranks 1..n by inverse CDF; rank r maps to a scattered key id. */
function zipfSampler(n, s, seed) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  for (let i = 0; i < n; i++) cdf[i] /= sum;
  const r = rng(seed);
  return () => {
    const u = r();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return Number((BigInt(lo) * 2654435761n) % 4294967291n);
  };
}

async function hitRatio(name, server, nextKey) {
  const c = await connect(server.port);
  const value = (id) => 'v'.repeat(64 + (id % 449));
  const warmup = Math.floor(HIT_OPS / 5);
  let hits = 0;
  let gets = 0;
  for (let done = 0; done < HIT_OPS; done += BATCH) {
    const ids = [];
    for (let i = 0; i < BATCH; i++) ids.push(nextKey());
    const replies = await c.run(ids.map((id) => ['GET', `key:${id}`]));
    const sets = [];
    replies.forEach((v, i) => {
      if (done >= warmup) {
        gets++;
        if (v !== null) hits++;
      }
      if (v === null) sets.push(['SET', `key:${ids[i]}`, value(ids[i])]);
    });
    if (sets.length > 0) await c.run(sets);
  }
  const keys = await c.one('DBSIZE');
  const info = String(await c.one('INFO', 'all'));
  c.close();
  const ratio = hits / gets;
  console.log(
    `${name.padEnd(10)} hit ratio ${(ratio * 100).toFixed(2)}% (after ${warmup} warm-up ops), keys held ${keys}, ` +
      `used_memory ${mb(Number(infoField(info, 'used_memory')))} MB, evicted ${infoField(info, 'evicted_keys')}`,
  );
  return ratio;
}

async function main() {
  if (PARTS.includes('memory')) await memoryPart();
  if (PARTS.includes('hit')) await hitPart();
}

async function memoryPart() {
  console.log(`# memory bound: maxmemory ${MAXMEMORY_MB}mb allkeys-lru, SET random keys, 16–1024-byte values, ${WRITE_FACTOR}× maxmemory written`);
  const memArgs = ['--maxmemory', `${MAXMEMORY_MB}mb`, '--maxmemory-policy', 'allkeys-lru'];
  for (const [name, start] of [['ringcache', startRingcache], ['redis', startRedis]]) {
    const srv = await start(memArgs);
    try {
      await memoryBound(name, srv);
    } finally {
      await srv.stop();
    }
  }
}

async function hitPart() {
  console.log(`\n# hit ratio: maxmemory ${HIT_MAXMEMORY} allkeys-lru, ${HIT_OPS} GET/SET-on-miss ops, Zipf s=${ZIPF_S} over ${HIT_KEYS} keys, values 64–512 bytes`);
  const ratios = {};
  for (const [name, start] of [['ringcache', startRingcache], ['redis', startRedis]]) {
    const srv = await start(['--maxmemory', HIT_MAXMEMORY, '--maxmemory-policy', 'allkeys-lru']);
    try {
      ratios[name] = await hitRatio(name, srv, zipfSampler(HIT_KEYS, ZIPF_S, 7));
    } finally {
      await srv.stop();
    }
  }
  console.log(`difference ringcache − redis: ${((ratios.ringcache - ratios.redis) * 100).toFixed(2)} points`);
}

await main();
