/**
 * The MIGRATE I/O thread. Redis's MIGRATE does blocking socket I/O while the whole server waits;
 * the node's event loop cannot block on a socket, so this worker does the I/O while the main
 * thread waits on a shared flag (migrate-link.ts). It owns the cached connections to targets.
 *
 * Requests (one at a time, from the main thread):
 * - `exchange`: on the named connection (connected first, within `timeout` ms, when not cached),
 *   write `bytes` (within `timeout` ms per 64 KB) and read `lines` reply lines (each within
 *   `timeout` ms). Answers how far it got: the lines read and, on failure, the stage that failed
 *   (`connect`, `write`, `read`) and whether it timed out.
 * - `close`: drops a cached connection.
 * Every answer is posted on the reply port, then the flag is set to 1 and notified.
 */

import net from 'node:net';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';

export interface ExchangeRequest {
  op: 'exchange';
  name: string;
  host: string;
  port: number;
  timeout: number;
  bytes: Uint8Array;
  lines: number;
}

export interface CloseRequest {
  op: 'close';
  name: string;
}

export interface ExchangeResult {
  lines: string[];
  /** null when everything was written and every line read. */
  failed: 'connect' | 'write' | 'read' | null;
  timedOut: boolean;
}

interface Conn {
  socket: net.Socket;
  buf: Buffer;
  closed: boolean;
  /** Wakes a pending line read (data, close or error arrived). */
  wake: (() => void) | null;
}

const LINE_MAX = 1024;
const CHUNK = 64 * 1024;

const conns = new Map<string, Conn>();

class Timeout {
  readonly timedOut = true;
}

function withTimeout<T>(ms: number, run: (done: (v: T) => void, fail: () => void) => void): Promise<T | Timeout | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(new Timeout()), ms);
    run(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
    );
  });
}

/**
 * Redis's connBlockingConnect only fails when the address cannot be used at all (it does not
 * resolve): a refused or timed-out connection counts as connected and the write fails instead.
 * So: null for an unusable address, a Conn (closed when refused) or Timeout otherwise.
 */
async function connect(host: string, port: number, timeout: number): Promise<Conn | Timeout | null> {
  const socket = net.connect({ host, port });
  const r = await withTimeout<Conn>(timeout, (done, fail) => {
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.destroy();
      if (err.syscall === 'getaddrinfo' || err.code === 'ERR_INVALID_ADDRESS') return fail();
      done({ socket, buf: Buffer.alloc(0), closed: true, wake: null });
    });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      const conn: Conn = { socket, buf: Buffer.alloc(0), closed: false, wake: null };
      socket.on('data', (d: Buffer) => {
        conn.buf = conn.buf.length === 0 ? d : Buffer.concat([conn.buf, d]);
        conn.wake?.();
      });
      const end = (): void => {
        conn.closed = true;
        conn.wake?.();
      };
      socket.on('close', end);
      socket.on('error', end);
      done(conn);
    });
  });
  if (r instanceof Timeout) socket.destroy();
  return r;
}

function writeAll(conn: Conn, bytes: Uint8Array, timeout: number): Promise<boolean | Timeout | null> {
  const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK));
  return withTimeout<boolean>(timeout * chunks, (done, fail) => {
    if (conn.closed) return fail();
    conn.socket.write(bytes, (err) => (err ? fail() : done(true)));
  });
}

/** One reply line without its CR LF (connSyncReadLine), or null / Timeout. */
async function readLine(conn: Conn, timeout: number): Promise<string | Timeout | null> {
  return withTimeout<string>(timeout, (done, fail) => {
    const attempt = (): void => {
      const nl = conn.buf.indexOf(10);
      if (nl !== -1) {
        conn.wake = null;
        let line = conn.buf.toString('latin1', 0, Math.min(nl, LINE_MAX - 1));
        if (line.endsWith('\r')) line = line.slice(0, -1);
        conn.buf = conn.buf.subarray(nl + 1);
        return done(line);
      }
      if (conn.closed) {
        conn.wake = null;
        return fail();
      }
      conn.wake = attempt;
    };
    attempt();
  });
}

function drop(name: string): void {
  const conn = conns.get(name);
  if (conn === undefined) return;
  conns.delete(name);
  conn.socket.destroy();
}

async function exchange(req: ExchangeRequest): Promise<ExchangeResult> {
  const lines: string[] = [];
  let conn = conns.get(req.name);
  if (conn === undefined) {
    const c = await connect(req.host, req.port, req.timeout);
    if (c === null) return { lines, failed: 'connect', timedOut: false };
    if (c instanceof Timeout) return { lines, failed: 'write', timedOut: true };
    conn = c;
    conns.set(req.name, conn);
  }
  const w = await writeAll(conn, req.bytes, req.timeout);
  if (w !== true) return { lines, failed: 'write', timedOut: w instanceof Timeout };
  for (let i = 0; i < req.lines; i++) {
    const line = await readLine(conn, req.timeout);
    if (line === null || line instanceof Timeout) {
      conn.wake = null;
      return { lines, failed: 'read', timedOut: line instanceof Timeout };
    }
    lines.push(line);
  }
  return { lines, failed: null, timedOut: false };
}

const { flag, replies } = workerData as { flag: SharedArrayBuffer; replies: MessagePort };
const signal = new Int32Array(flag);

parentPort?.on('message', (req: ExchangeRequest | CloseRequest) => {
  const answer = (result: ExchangeResult | null): void => {
    replies.postMessage(result);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  if (req.op === 'close') {
    drop(req.name);
    return answer(null);
  }
  exchange(req).then(answer, () => answer({ lines: [], failed: 'read', timedOut: false }));
});
