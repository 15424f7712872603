#!/usr/bin/env node
/**
 * Many connections of every kind on one node, in a process of their own so that a test timing
 * the node (SIGTERM → exit) is not slowed by its own event loop handling thousands of sockets.
 *
 *   node test/helpers/swarm.mjs <port> subscribe=1000 blpop=1000 multi=1000 replica=1000
 *
 * prints `ready` once every connection is set up (subscribed, blocked, in MULTI with a queued
 * SET, replicas fully synced), then `closed <n>` when the node has closed all of them, and exits.
 *
 * Also exports FakeReplica: the handshake (`REPLCONF listening-port`, `REPLCONF capa`,
 * `PSYNC ? -1`), skips ringcache's full-sync payload (`$EOF:<mark>` … mark, `:<offset>` trailer),
 * then counts stream bytes and answers each `REPLCONF GETACK` with `REPLCONF ACK <offset>`
 * counting the GETACK, as a ringcache replica does; with `ack: false` it never acknowledges.
 */

import net from 'node:net';
import { fileURLToPath } from 'node:url';

function encode(args) {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return Buffer.from(s, 'latin1');
}

export class FakeReplica {
  offset = -1;
  #phase = 'handshake';
  #buf = Buffer.alloc(0);
  #replies = 0;
  #mark = '';
  #tail = '';
  #ack;
  #resolveSynced;

  constructor(socket, ack) {
    this.socket = socket;
    this.#ack = ack;
    this.synced = new Promise((r) => (this.#resolveSynced = r));
    this.closed = new Promise((r) => socket.once('close', () => r()));
    socket.on('error', () => {});
    socket.on('data', (d) => this.#onData(d));
    socket.write(
      Buffer.concat([
        encode(['REPLCONF', 'listening-port', '1']),
        encode(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']),
        encode(['PSYNC', '?', '-1']),
      ]),
    );
  }

  static connect(port, opts = {}) {
    return new Promise((res, rej) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => {
        s.off('error', rej);
        res(new FakeReplica(s, opts.ack ?? true));
      });
      s.once('error', rej);
    });
  }

  #line() {
    const i = this.#buf.indexOf('\r\n');
    if (i === -1) return null;
    const l = this.#buf.toString('latin1', 0, i);
    this.#buf = this.#buf.subarray(i + 2);
    return l;
  }

  #onData(d) {
    this.#buf = this.#buf.length === 0 ? d : Buffer.concat([this.#buf, d]);
    for (;;) {
      if (this.#phase === 'handshake' || this.#phase === 'header' || this.#phase === 'trailer') {
        const l = this.#line();
        if (l === null) return;
        if (this.#phase === 'handshake') {
          // +OK, +OK, then +FULLRESYNC <replid> <offset>
          if (++this.#replies === 3) this.#phase = 'header';
        } else if (this.#phase === 'header') {
          this.#mark = l.slice('$EOF:'.length);
          this.#phase = 'payload';
        } else {
          this.offset = Number(l.slice(1));
          this.#phase = 'stream';
          this.#resolveSynced();
        }
      } else if (this.#phase === 'payload') {
        const i = this.#buf.indexOf(this.#mark, 0, 'latin1');
        if (i === -1) return;
        this.#buf = this.#buf.subarray(i + this.#mark.length);
        this.#phase = 'trailer';
      } else {
        this.#stream(this.#buf);
        this.#buf = Buffer.alloc(0);
        return;
      }
    }
  }

  #stream(bytes) {
    if (bytes.length === 0) return;
    this.offset += bytes.length;
    const text = this.#tail + bytes.toString('latin1');
    this.#tail = text.slice(-16);
    if (this.#ack && /GETACK/i.test(text)) this.socket.write(encode(['REPLCONF', 'ACK', String(this.offset)]));
  }

  close() {
    this.socket.destroy();
  }
}

/** Opens `n` connections sending `payload`; resolves once each has seen `replies` reply lines. */
async function connections(port, n, payload, replies, all) {
  const ready = [];
  for (let i = 0; i < n; i++) {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.on('error', () => {});
    all.push(s);
    ready.push(
      new Promise((res) => {
        if (replies === 0) return res();
        let seen = 0;
        const onData = (d) => {
          seen += d.toString('latin1').split('\r\n').filter((l) => /^[+:*>-]/.test(l)).length;
          if (seen >= replies) {
            s.off('data', onData);
            res();
          }
        };
        s.on('data', onData);
      }),
    );
    s.write(payload);
  }
  await Promise.all(ready);
}

async function main() {
  const port = Number(process.argv[2]);
  const want = Object.fromEntries(process.argv.slice(3).map((a) => a.split('=')).map(([k, v]) => [k, Number(v)]));
  const all = [];
  await connections(port, want.subscribe ?? 0, encode(['SUBSCRIBE', 'ch']), 1, all);
  await connections(port, want.blpop ?? 0, encode(['BLPOP', 'nothing', '0']), 0, all);
  await connections(port, want.multi ?? 0, Buffer.concat([encode(['MULTI']), encode(['SET', 'k', 'v'])]), 2, all);
  const replicas = [];
  for (let i = 0; i < (want.replica ?? 0); i++) replicas.push(await FakeReplica.connect(port));
  await Promise.all(replicas.map((r) => r.synced));
  all.push(...replicas.map((r) => r.socket));
  let closed = 0;
  for (const s of all) {
    s.once('close', () => {
      if (++closed === all.length) {
        process.stdout.write(`closed ${closed}\n`);
        process.exit(0);
      }
    });
  }
  process.stdout.write('ready\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
