// A minimal pipelining RESP client for the per-command benchmarks (bitmaps, geo/SORT/DUMP):
// `run(total, make)` sends `make(i)` commands BATCH at a time and waits for each batch's replies
// (throwing the first error reply); `one(args)` runs one command and returns its reply (bulk
// strings as Buffers when `buffers` is set, e.g. to hold a DUMP payload).
import net from 'node:net';
import { ReplyParser, encodeCommand } from '../../dist/protocol/index.js';

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
