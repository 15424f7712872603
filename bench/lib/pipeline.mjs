// A pipelining bench client: `run(total, make)` sends the commands make(0…total-1) in batches of
// `batch`, each batch in one write, and waits for all its replies before the next. Replies are
// only counted by skipping RESP frames (the client costs little next to the servers), except for
// `one(args)`, whose reply is decoded. Errors found in decoded replies are thrown.
import net from 'node:net';
import { ReplyParser, encodeCommand } from '../../dist/protocol/index.js';

/** End of the RESP frame at `pos` in `buf`, or -1 when incomplete. */
function frameEnd(buf, pos) {
  if (pos >= buf.length) return -1;
  const cr = buf.indexOf(13, pos);
  if (cr === -1 || cr + 1 >= buf.length) return -1;
  const type = buf[pos];
  const n = Number(buf.latin1Slice(pos + 1, cr));
  let p = cr + 2;
  if (type === 36 || type === 61 || type === 33) return n < 0 ? p : p + n + 2 <= buf.length ? p + n + 2 : -1;
  if (type === 42 || type === 37 || type === 126 || type === 62) {
    const items = type === 37 ? 2 * n : n;
    for (let i = 0; i < items; i++) {
      p = frameEnd(buf, p);
      if (p === -1) return -1;
    }
  }
  return p;
}

export async function connectPipelined(port, batch = 1000) {
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
      for (let done = 0; done < total; done += batch) {
        const n = Math.min(batch, total - done);
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
      decode = true;
      try {
        await this.run(1, () => args);
      } finally {
        decode = false;
      }
      if (replies[0] instanceof Error) throw replies[0];
      return replies[0];
    },
    close: () => socket.destroy(),
  };
}
