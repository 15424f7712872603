// Bitmap workloads against ringcache-server and redis-server in one run: BITCOUNT of a 1 MB value,
// BITOP AND of two 1 MB values, and for context SETBIT/GETBIT on a 128 KB bitmap (1M bits) and
// PFADD/PFCOUNT. Commands are pipelined BATCH at a time; the two servers run alternately for
// BENCH_ROUNDS rounds and the median ops/s of each is reported with our ratio to Redis.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { ReplyParser, encodeCommand } from '../dist/protocol/index.js';
import { startRedis, startRingcache } from './lib/servers.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = Number(process.env.BENCH_BATCH ?? 10);
const MB = 1 << 20;

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
        for (const r of replies) if (r instanceof Error) throw r;
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

const a1 = randomBytes(MB);
const a2 = randomBytes(MB);

const WORKLOADS = {
  'BITCOUNT 1 MB': { ops: 2000, setup: [['SET', 'b1', a1]], make: () => ['BITCOUNT', 'b1'] },
  'BITOP AND 2 x 1 MB': { ops: 2000, setup: [['SET', 'b1', a1], ['SET', 'b2', a2]], make: () => ['BITOP', 'AND', 'dest', 'b1', 'b2'] },
  'BITCOUNT 1 MB, BIT range': { ops: 2000, setup: [['SET', 'b1', a1]], make: () => ['BITCOUNT', 'b1', '3', '8388600', 'BIT'] },
  'SETBIT 128 KB bitmap': { ops: 20000, setup: [['SETBIT', 'm', String(8 * 128 * 1024 - 1), '1']], make: (i) => ['SETBIT', 'm', String((i * 7919) % (8 * 128 * 1024)), String(i & 1)] },
  'GETBIT 128 KB bitmap': { ops: 100000, setup: [['SETBIT', 'm', String(8 * 128 * 1024 - 1), '1']], make: (i) => ['GETBIT', 'm', String((i * 7919) % (8 * 128 * 1024))] },
  'PFADD 10 elements': { ops: 100000, setup: [], make: (i) => ['PFADD', 'hll', ...Array.from({ length: 10 }, (_, k) => `e${i * 10 + k}`)] },
  'PFCOUNT (after PFADD)': { ops: 20000, setup: [], make: (i) => (i % 2 === 0 ? ['PFADD', 'hll2', `x${i}`] : ['PFCOUNT', 'hll2']) },
};

const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const names = Object.keys(WORKLOADS).filter((n) => ONLY.length === 0 || ONLY.some((w) => n.startsWith(w)));

async function measure(port, name) {
  const w = WORKLOADS[name];
  const c = await connect(port);
  try {
    await c.one(['FLUSHALL']);
    for (const cmd of w.setup) await c.one(cmd);
    await c.run(Math.min(200, w.ops), w.make); // warm-up
    return await timed(() => c.run(w.ops, w.make), w.ops);
  } finally {
    c.close();
  }
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const ours = await startRingcache();
const redis = await startRedis();
try {
  const rows = [];
  for (const name of names) {
    const a = [];
    const b = [];
    for (let r = 0; r < ROUNDS; r++) {
      a.push(await measure(ours.port, name));
      b.push(await measure(redis.port, name));
    }
    rows.push({ workload: name, ringcache: Math.round(median(a)), redis: Math.round(median(b)), ratio: (median(a) / median(b)).toFixed(2) });
  }
  console.log(`bitmaps and HyperLogLog, pipelined ${BATCH} per batch, median of ${ROUNDS} rounds; ops/s`);
  console.table(rows);
} finally {
  await ours.stop();
  await redis.stop();
}
