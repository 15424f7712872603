// Sorted-set and list workloads against ringcache-server and redis-server in one run, pipelined
// in batches of 1000: ZADD 1M members, then ZRANGE 0 9 / ZRANK / ZREVRANGE 0 9 at that size, then
// LPUSH 1M and RPOP 1M. Prints ops/s and our ratio to Redis, and how MEMORY USAGE's estimate for
// the 1M-member sorted set compares with the heap growth the node actually reports.
import net from 'node:net';
import { ReplyParser, encodeCommand } from '../dist/protocol/index.js';
import { startRedis, startRingcache } from './lib/servers.mjs';

const N = Number(process.env.BENCH_N ?? 1_000_000);
const Q = Number(process.env.BENCH_Q ?? 100_000);
const BATCH = 1000;

async function connect(port) {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise((r, j) => { socket.once('connect', r); socket.once('error', j); });
  let pending = 0;
  let wake = null;
  const replies = [];
  const parser = new ReplyParser({
    onReply: (v) => { replies.push(v); if (--pending === 0 && wake) wake(); },
    onPush: () => {},
    onError: (e) => { throw e; },
  });
  socket.on('data', (d) => parser.feed(d));
  return {
    async run(total, make) {
      for (let done = 0; done < total; done += BATCH) {
        const n = Math.min(BATCH, total - done);
        const bufs = [];
        for (let i = 0; i < n; i++) bufs.push(encodeCommand(make(done + i)));
        pending = n;
        replies.length = 0;
        const finished = new Promise((r) => (wake = r));
        socket.write(Buffer.concat(bufs));
        await finished;
      }
    },
    async one(args) {
      await this.run(1, () => args);
      return replies[0];
    },
    close: () => socket.destroy(),
  };
}

async function timed(fn, ops) {
  const t0 = process.hrtime.bigint();
  await fn();
  return ops / (Number(process.hrtime.bigint() - t0) / 1e9);
}

function usedMemory(info) {
  return Number(/used_memory:(\d+)/.exec(info)[1]);
}

// BENCH_ONLY=ZRANK,LPUSH runs only the workloads whose names start with one of those words (ZADD
// always runs before the sorted-set reads, RPOP after LPUSH), e.g. to profile one of them.
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const wanted = (name) => ONLY.length === 0 || ONLY.some((w) => name.startsWith(w));

async function workloads(port) {
  const c = await connect(port);
  const r = {};
  const zreads = ['ZRANGE', 'ZRANK', 'ZREVRANGE'].some(wanted);
  let mem = null;
  if (wanted('ZADD') || zreads) {
    const memBefore = usedMemory(String(await c.one(['INFO', 'memory'])));
    r['ZADD (1M members)'] = await timed(() => c.run(N, (i) => ['ZADD', 'zbench', String((i * 7919) % 1_000_003), `member:${i}`]), N);
    const memAfter = usedMemory(String(await c.one(['INFO', 'memory'])));
    mem = { estimate: Number(await c.one(['MEMORY', 'USAGE', 'zbench'])), grown: memAfter - memBefore };
  }
  if (wanted('ZRANGE')) r['ZRANGE 0 9'] = await timed(() => c.run(Q, () => ['ZRANGE', 'zbench', '0', '9']), Q);
  if (wanted('ZRANK')) r['ZRANK (random member)'] = await timed(() => c.run(Q, (i) => ['ZRANK', 'zbench', `member:${(i * 104729) % N}`]), Q);
  if (wanted('ZREVRANGE')) r['ZREVRANGE 0 9'] = await timed(() => c.run(Q, () => ['ZREVRANGE', 'zbench', '0', '9']), Q);
  if (wanted('LPUSH') || wanted('RPOP')) {
    r['LPUSH (1M)'] = await timed(() => c.run(N, (i) => ['LPUSH', 'lbench', `value:${i}`]), N);
    r['RPOP (1M)'] = await timed(() => c.run(N, () => ['RPOP', 'lbench']), N);
  }
  c.close();
  return { r, mem };
}

const ours = await startRingcache();
const redis = await startRedis();
try {
  const a = await workloads(ours.port);
  const b = await workloads(redis.port);
  console.log(`collections, pipelined ${BATCH} per batch; ops/s`);
  console.table(Object.keys(a.r).map((k) => ({ workload: k, ringcache: Math.round(a.r[k]), redis: Math.round(b.r[k]), ratio: (a.r[k] / b.r[k]).toFixed(2) })));
  if (a.mem !== null) console.log(`MEMORY USAGE of the 1M-member sorted set: ringcache estimates ${(a.mem.estimate / 1e6).toFixed(1)} MB; its used_memory grew ${(a.mem.grown / 1e6).toFixed(1)} MB (estimate/actual ${(a.mem.estimate / a.mem.grown).toFixed(2)}); redis reports ${(b.mem.estimate / 1e6).toFixed(1)} MB`);
} finally {
  await ours.stop();
  await redis.stop();
}
