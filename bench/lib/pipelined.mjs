// Per-command benchmarks against ringcache-server and redis-server (bitmaps, geo/SORT/DUMP):
// - `connect(port, batch)`: a minimal pipelining RESP client. `run(total, make)` sends `make(i)`
//   commands `batch` at a time and waits for each batch's replies (throwing the first error
//   reply); `one(args)` runs one command and returns its reply (bulk strings as Buffers when
//   `buffers` is set, e.g. to hold a DUMP payload).
// - `compareServers(title, workloads)`: each workload `{ ops, setup, make, prepare? }` on both
//   servers, alternately for BENCH_ROUNDS rounds (BENCH_ONLY filters by name prefix), printing
//   the median ops/s of each and our ratio.
import net from 'node:net';
import { ReplyParser, encodeCommand } from '../../dist/protocol/index.js';
import { startRedis, startRingcache } from './servers.mjs';

export async function connect(port, batch) {
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
    set buffers(on) {
      parser.returnBuffers = on;
    },
    async run(total, make) {
      for (let done = 0; done < total; done += batch) {
        const n = Math.min(batch, total - done);
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

/** Operations per second of `fn`, which runs `ops` operations. */
export async function timed(fn, ops) {
  const t0 = process.hrtime.bigint();
  await fn();
  return ops / (Number(process.hrtime.bigint() - t0) / 1e9);
}

export const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

async function measure(port, w, batch) {
  const c = await connect(port, batch);
  try {
    await c.one(['FLUSHALL']);
    for (const cmd of w.setup) await c.one(cmd);
    if (w.prepare !== undefined) await w.prepare(c);
    await c.run(Math.min(200, w.ops), w.make); // warm-up
    return await timed(() => c.run(w.ops, w.make), w.ops);
  } finally {
    c.close();
  }
}

export async function compareServers(title, workloads) {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const batch = Number(process.env.BENCH_BATCH ?? 10);
  const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
  const names = Object.keys(workloads).filter((n) => only.length === 0 || only.some((w) => n.startsWith(w)));
  const ours = await startRingcache();
  const redis = await startRedis();
  try {
    const rows = [];
    for (const name of names) {
      const a = [];
      const b = [];
      for (let r = 0; r < rounds; r++) {
        a.push(await measure(ours.port, workloads[name], batch));
        b.push(await measure(redis.port, workloads[name], batch));
      }
      rows.push({ workload: name, ringcache: Math.round(median(a)), redis: Math.round(median(b)), ratio: (median(a) / median(b)).toFixed(2) });
    }
    console.log(`${title}, pipelined ${batch} per batch, median of ${rounds} rounds; ops/s`);
    console.table(rows);
  } finally {
    await ours.stop();
    await redis.stop();
  }
}
