/**
 * A scripted RESP server on 127.0.0.1 for tests that need exact control of what a node or a
 * Sentinel answers (a view that changes behind the client's back, a node that never replies).
 * Requests are parsed with the project's own RequestParser; `answer(argv, conn)` returns the raw
 * reply bytes, or null to stay silent. HELLO is refused like a Redis 5 server (the client falls
 * back to RESP2), so every connection speaks RESP2 — or, with `silentHandshake`, not answered at
 * all (the client's connection never becomes ready). Every command is recorded. `publish` sends a
 * pub/sub message to every connection that sent SUBSCRIBE for the channel. `close()` ends all.
 */

import net from 'node:net';
import { RequestParser } from '../../src/protocol/request-parser.js';

export const resp = {
  ok: '+OK\r\n',
  nil: '*-1\r\n',
  bulk: (s: string): string => `$${Buffer.byteLength(s)}\r\n${s}\r\n`,
  int: (n: number): string => `:${n}\r\n`,
  err: (s: string): string => `-${s}\r\n`,
  arr: (items: readonly string[]): string => `*${items.length}\r\n${items.join('')}`,
  /** An array of bulk strings. */
  strings: (items: readonly string[]): string => resp.arr(items.map((s) => resp.bulk(s))),
  /** Any nesting of strings (bulk), numbers (integers), null (nil) and arrays. */
  value: (v: RespTree): string => {
    if (v === null) return resp.nil;
    if (typeof v === 'number') return resp.int(v);
    if (typeof v === 'string') return resp.bulk(v);
    return resp.arr(v.map((x) => resp.value(x)));
  },
};

export type RespTree = string | number | null | readonly RespTree[];

export interface FakeConn {
  readonly id: number;
  readonly channels: Set<string>;
}

export type Answer = (argv: string[], conn: FakeConn) => string | null;

export interface FakeServer {
  readonly port: number;
  readonly address: string;
  /** Every command received, in order, as `argv.join(' ')`. */
  readonly log: string[];
  /** Replaces the answering function. */
  answer: Answer;
  /** Sends `message` on `channel` to every subscribed connection; returns how many got it. */
  publish(channel: string, message: string): number;
  close(): Promise<void>;
}

export async function startFakeServer(answer: Answer, opts: { silentHandshake?: boolean } = {}): Promise<FakeServer> {
  const sockets = new Map<net.Socket, FakeConn>();
  const log: string[] = [];
  let nextId = 1;
  const server = net.createServer((socket) => {
    const conn: FakeConn = { id: nextId++, channels: new Set() };
    sockets.set(socket, conn);
    const parser = new RequestParser();
    socket.on('data', (chunk: Buffer) => {
      parser.feed(chunk);
      for (let argv = parser.next(); argv !== null; argv = parser.next()) {
        log.push(argv.join(' '));
        const name = argv[0]!.toUpperCase();
        if (name === 'HELLO') {
          if (opts.silentHandshake === true) continue;
          socket.write(resp.err(`ERR unknown command '${argv[0]}', with args beginning with: `));
          continue;
        }
        if (name === 'SUBSCRIBE') {
          for (const ch of argv.slice(1)) conn.channels.add(ch);
          argv.slice(1).forEach((ch, i) => socket.write(resp.arr([resp.bulk('subscribe'), resp.bulk(ch), resp.int(i + 1)])));
          continue;
        }
        const out = fake.answer(argv, conn);
        if (out !== null) socket.write(out);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  const fake: FakeServer = {
    port,
    address: `127.0.0.1:${port}`,
    log,
    answer,
    publish(channel, message) {
      let n = 0;
      for (const [s, c] of sockets) {
        if (!c.channels.has(channel)) continue;
        s.write(resp.arr([resp.bulk('message'), resp.bulk(channel), resp.bulk(message)]));
        n++;
      }
      return n;
    },
    async close() {
      for (const s of sockets.keys()) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** A Sentinel record of SENTINEL replicas / sentinels: flat field/value pairs as RESP2 sends them. */
export function sentinelRecord(fields: Record<string, string>): string {
  return resp.strings(Object.entries(fields).flat());
}
