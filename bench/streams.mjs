// Streams vs redis-server in one run, pipelined in batches of 1000 from one client:
// - XADD of BENCH_N (1M) entries with 3 small fields (`*` IDs): ops/s, and used_memory growth
//   (INFO memory before/after) — the node's used_memory is its incremental estimate, so the run
//   also measures, in a child process with --expose-gc, how that estimate compares with the V8
//   heap + ArrayBuffer growth of the same stream built directly (MEMORY_CHECK=0 skips it);
// - XRANGE of 100 entries from a random start, BENCH_Q (100k) times: ops/s.
// Prints ops/s and ratios (ours / redis). BENCH_ONLY=XADD or XRANGE narrows the run (XRANGE still
// inserts first); BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=.tmp/prof" profiles the node.
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { ReplyParser, encodeCommand } from '../dist/protocol/index.js';
import { startRedis, startRingcache } from './lib/servers.mjs';

const N = Number(process.env.BENCH_N ?? 1_000_000);
const Q = Number(process.env.BENCH_Q ?? 100_000);
const BATCH = 1000;

/** The 3 small fields of entry i (values of 2–6 bytes, some numeric, as sensor-style events). */
function fields(i) {
  return ['sensor', `s${i % 500}`, 'temp', String(15 + (i % 20)), 'status', i % 10 === 0 ? 'warn' : 'ok'];
}

/**
 * End of the RESP frame at `pos` in `buf`, or -1 when incomplete. The bench counts replies with
 * this instead of decoding them into JS values, so the client costs little next to the servers.
 */
function frameEnd(buf, pos) {
  if (pos >= buf.length) return -1;
  const cr = buf.indexOf(13, pos);
  if (cr === -1 || cr + 1 >= buf.length) return -1;
  const type = buf[pos];
  const n = Number(buf.latin1Slice(pos + 1, cr));
  let p = cr + 2;
  if (type === 36) return n < 0 ? p : p + n + 2 <= buf.length ? p + n + 2 : -1;
  if (type === 42 || type === 37) {
    for (let i = 0; i < (type === 37 ? 2 * n : n); i++) {
      p = frameEnd(buf, p);
      if (p === -1) return -1;
    }
  }
  return p;
}

async function connect(port) {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise((r, j) => { socket.once('connect', r); socket.once('error', j); });
  let pending = 0;
  let wake = null;
  let decode = false;
  let rest = Buffer.alloc(0);
  const replies = [];
  const parser = new ReplyParser({
    onReply: (v) => { replies.push(v); if (--pending === 0 && wake) wake(); },
    onPush: () => {},
    onError: (e) => { throw e; },
  });
  socket.on('data', (d) => {
    if (decode) return parser.feed(d);
    const buf = rest.length === 0 ? d : Buffer.concat([rest, d]);
    let pos = 0;
    for (let end = frameEnd(buf, 0); end !== -1; end = frameEnd(buf, pos)) {
      pos = end;
      if (--pending === 0 && wake) wake();
    }
    rest = buf.subarray(pos);
  });
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
    /** One command whose reply is decoded. */
    async one(args) {
      decode = true;
      await this.run(1, () => args);
      decode = false;
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

function infoField(info, name) {
  return Number(new RegExp(`${name}:(\\d+)`).exec(info)[1]);
}

const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const wanted = (name) => ONLY.length === 0 || ONLY.some((w) => name.startsWith(w));

async function workloads(port) {
  const c = await connect(port);
  const r = {};
  const before = String(await c.one(['INFO', 'memory']));
  r.XADD = await timed(() => c.run(N, (i) => ['XADD', 'events', '*', ...fields(i)]), N);
  const after = String(await c.one(['INFO', 'memory']));
  const mem = {
    grown: infoField(after, 'used_memory') - infoField(before, 'used_memory'),
    rss: infoField(after, 'used_memory_rss') - infoField(before, 'used_memory_rss'),
    usage: Number(await c.one(['MEMORY', 'USAGE', 'events'])),
  };
  if (wanted('XRANGE')) {
    const first = Number(String((await c.one(['XRANGE', 'events', '-', '+', 'COUNT', '1']))[0][0]).split('-')[0]);
    const last = Number(String((await c.one(['XREVRANGE', 'events', '+', '-', 'COUNT', '1']))[0][0]).split('-')[0]);
    const span = Math.max(1, last - first - 5);
    r['XRANGE 100'] = await timed(() => c.run(Q, (i) => ['XRANGE', 'events', String(first + ((i * 7919) % span)), '+', 'COUNT', '100']), Q);
  }
  c.close();
  return { r, mem };
}

async function main() {
  const ours = await startRingcache();
  const redis = await startRedis();
  let a;
  let b;
  try {
    a = await workloads(ours.port);
    b = await workloads(redis.port);
  } finally {
    await ours.stop();
    await redis.stop();
  }
  const mb = (n) => (n / 1e6).toFixed(1);
  console.log(`streams, pipelined ${BATCH} per batch; ${N} entries of 3 small fields; ops/s`);
  console.table(Object.keys(a.r).map((k) => ({ workload: k, ringcache: Math.round(a.r[k]), redis: Math.round(b.r[k]), ratio: (a.r[k] / b.r[k]).toFixed(2) })));
  console.log(`used_memory growth: ringcache ${mb(a.mem.grown)} MB, redis ${mb(b.mem.grown)} MB (ratio ${(a.mem.grown / b.mem.grown).toFixed(2)}, target ≤ 2)`);
  console.log(`MEMORY USAGE: ringcache ${mb(a.mem.usage)} MB, redis ${mb(b.mem.usage)} MB; RSS growth: ringcache ${mb(a.mem.rss)} MB, redis ${mb(b.mem.rss)} MB`);
  if (process.env.MEMORY_CHECK !== '0') {
    const out = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--calibrate'], { encoding: 'utf8', env: { ...process.env } });
    process.stdout.write(out.stdout + out.stderr);
  }
}

/** In this process: the estimate (`bytes`) against measured heap + ArrayBuffer growth. */
async function calibrate() {
  const { Stream } = await import('../dist/server/datatypes/structures/stream-value.js');
  const { idFrom } = await import('../dist/server/datatypes/structures/stream-id.js');
  const used = () => {
    globalThis.gc();
    globalThis.gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = used();
  const s = new Stream();
  const t0 = Date.now();
  for (let i = 0; i < N; i++) {
    const argv = fields(i).map((x) => Buffer.from(x, 'latin1').toString('latin1'));
    let bytes = 0;
    for (const x of argv) bytes += x.length;
    s.append(idFrom(t0 + Math.floor(i / 500), i % 500), argv, 0, 3, bytes, 4096, 100);
  }
  const grown = used() - base;
  console.log(`estimate check (${N} entries built in-process): bytes ${(s.bytes / 1e6).toFixed(1)} MB, measured heap+ArrayBuffer growth ${(grown / 1e6).toFixed(1)} MB (estimate/measured ${(s.bytes / grown).toFixed(2)})`);
}

if (process.argv[2] === '--calibrate') await calibrate();
else await main();
