/**
 * The link from this node (a replica) to its master: connect, handshake (PING, AUTH masterauth,
 * REPLCONF listening-port / ip-address / capa, PSYNC <replid> <offset+1>), then either load the
 * streamed snapshot incrementally (time-bounded steps, the socket paused between them) or resume
 * from the master's backlog, then apply the command stream in order as the MASTER client.
 * REPLCONF ACK every second and at once on GETACK; reconnects after any failure.
 *
 * Invariants: the applied stream's exact bytes are fed to our own backlog (and sub-replicas), so
 * `processedOffset` stays in the master's offset space and a promoted replica can serve PSYNCs
 * from the other replicas; while loading, `server.loading` is set (commands get -LOADING).
 */

import { ReplicationError } from '../../errors.js';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { clientTlsOptions } from '../network/tls-context.js';
import { RequestParser } from '../../protocol/request-parser.js';
import type { ServerContext } from '../dispatch/context.js';
import { KeyspaceLoader } from '../persistence/snapshot-loader.js';
import { SnapshotReader } from '../persistence/snapshot-reader.js';
import { MasterClient } from './master-client.js';
import type { Primary } from './primary.js';
import { NULL_REPLID, type ReplState } from './repl-state.js';

export type LinkState = 'connect' | 'connecting' | 'handshake' | 'sync' | 'connected';

const RETRY_MS = 250;
const LOAD_STEP_MS = 5;
const MARK_LENGTH = 40;

function cmd(...args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

export class MasterLink {
  state: LinkState = 'connect';
  downSince = Date.now();
  lastIo = Date.now();
  private socket: Socket | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly ackTimer: NodeJS.Timeout;
  private pendingLines = 0;
  private lineBuf: Buffer = Buffer.alloc(0);
  private reader: SnapshotReader | null = null;
  private syncReplid = '';
  private parser: RequestParser | null = null;
  private client: MasterClient;
  /** The snapshot was read; its trailer line (mark + offset) has not fully arrived. */
  private awaitTrailer = false;

  constructor(
    private readonly server: ServerContext,
    private readonly repl: ReplState,
    private readonly primary: Primary,
    readonly host: string,
    readonly port: number,
  ) {
    this.client = new MasterClient(server, `${host}:${port}`, '');
    this.ackTimer = setInterval(() => this.sendAck(), 1000);
    this.connect();
  }

  get up(): boolean {
    return this.state === 'connected';
  }

  get syncing(): boolean {
    return this.state === 'sync';
  }

  /** Bytes applied (slave_repl_offset): the backlog plus what is pending there. */
  get processedOffset(): number {
    return this.repl.backlog.offset + this.repl.pending.length;
  }

  stop(): void {
    this.closed = true;
    clearInterval(this.ackTimer);
    if (this.retry !== null) clearTimeout(this.retry);
    this.socket?.destroy();
    this.socket = null;
    if (this.reader !== null) this.server.loading = false;
    this.reader = null;
  }

  private connect(): void {
    if (this.closed) return;
    this.state = 'connecting';
    const cfg = this.server.config;
    let s: Socket;
    if (cfg.bool('tls-replication')) {
      // The link and the full sync over TLS (`tls-replication`), with the node's client pair.
      let opts: ConnectionOptions;
      try {
        opts = clientTlsOptions(cfg);
      } catch (err) {
        this.server.log.warning(`Unable to connect to MASTER over TLS: ${(err as Error).message}`);
        this.state = 'connect';
        this.retry = setTimeout(() => this.connect(), RETRY_MS);
        return;
      }
      const t = tlsConnect({ ...opts, host: this.host, port: this.port });
      t.on('secureConnect', () => this.handshake(t));
      s = t;
    } else {
      s = connect({ host: this.host, port: this.port });
      s.on('connect', () => this.handshake(s));
    }
    this.socket = s;
    s.setNoDelay(true);
    s.on('data', (d: Buffer) => this.onData(s, d));
    s.on('error', (err) => this.server.log.verbose(`Master link error: ${err.message}`));
    s.on('close', () => this.linkLost(s));
  }

  private linkLost(s: Socket): void {
    if (s !== this.socket) return;
    this.socket = null;
    if (this.state === 'connected') this.server.log.notice('Connection with master lost.');
    if (this.state === 'connected' || this.state === 'sync') this.downSince = Date.now();
    if (this.reader !== null) this.server.loading = false;
    this.reader = null;
    this.parser = null;
    this.state = 'connect';
    if (!this.closed) this.retry = setTimeout(() => this.connect(), RETRY_MS);
  }

  private handshake(s: Socket): void {
    const cfg = this.server.config;
    const auth = cfg.str('masterauth');
    const user = cfg.str('masteruser');
    const announcePort = cfg.int('replica-announce-port') || (cfg.bool('tls-replication') ? cfg.int('tls-port') : this.server.port);
    const ip = cfg.str('replica-announce-ip');
    const parts = [cmd('PING')];
    if (auth !== '') parts.push(user !== '' ? cmd('AUTH', user, auth) : cmd('AUTH', auth));
    parts.push(cmd('REPLCONF', 'listening-port', String(announcePort)));
    if (ip !== '') parts.push(cmd('REPLCONF', 'ip-address', ip));
    parts.push(cmd('REPLCONF', 'capa', 'eof', 'capa', 'psync2'));
    const replid = this.repl.replid;
    parts.push(cmd('PSYNC', replid === NULL_REPLID ? '?' : replid, String(this.processedOffset + 1)));
    this.pendingLines = parts.length;
    this.state = 'handshake';
    this.lineBuf = Buffer.alloc(0);
    s.write(parts.join(''));
  }

  private onData(s: Socket, data: Buffer): void {
    if (s !== this.socket) return;
    this.lastIo = Date.now();
    try {
      if (this.state === 'handshake') this.onHandshake(s, data);
      else if (this.state === 'sync') this.onSnapshot(s, data);
      else if (this.state === 'connected') this.applyStream(s, data);
    } catch (err) {
      this.server.log.warning(`Replication stream from master failed: ${err instanceof Error ? err.message : String(err)}`);
      s.destroy();
    }
  }

  /** Takes one CRLF-terminated line from lineBuf, or null when incomplete. */
  private line(): string | null {
    const i = this.lineBuf.indexOf('\r\n');
    if (i === -1) return null;
    const text = this.lineBuf.toString('latin1', 0, i);
    this.lineBuf = this.lineBuf.subarray(i + 2);
    return text;
  }

  private onHandshake(s: Socket, data: Buffer): void {
    this.lineBuf = Buffer.concat([this.lineBuf, data]);
    for (let text = this.line(); text !== null; text = this.line()) {
      this.pendingLines--;
      if (this.pendingLines > 0) {
        if (/^-(NOAUTH|ERR invalid password|WRONGPASS)/.test(text)) this.server.log.warning(`Unable to AUTH to MASTER: ${text}`);
        continue;
      }
      return this.onPsyncReply(s, text);
    }
  }

  private onPsyncReply(s: Socket, text: string): void {
    const rest = this.lineBuf;
    this.lineBuf = Buffer.alloc(0);
    if (text.startsWith('+FULLRESYNC ')) {
      this.syncReplid = text.split(' ')[1] ?? '';
      this.server.log.notice(`Full resync from master: ${text.slice(12)}`);
      this.state = 'sync';
      this.lineBuf = Buffer.alloc(0);
      if (rest.length > 0) this.onSnapshot(s, rest);
      return;
    }
    if (text.startsWith('+CONTINUE')) {
      const id = text.slice(10).trim();
      if (id !== '' && id !== this.repl.replid) {
        this.repl.replid2 = this.repl.replid;
        this.repl.secondOffset = this.processedOffset + 1;
        this.repl.replid = id;
      }
      this.server.log.notice('Successful partial resynchronization with master.');
      this.linkUp();
      if (rest.length > 0) this.applyStream(s, rest);
      return;
    }
    this.server.log.warning(`Unexpected reply to PSYNC from master: ${text}`);
    s.destroy();
  }

  private onSnapshot(s: Socket, data: Buffer): void {
    if (this.awaitTrailer) {
      this.lineBuf = Buffer.concat([this.lineBuf, data]);
      const trailer = this.line();
      if (trailer !== null) this.finishSync(s, trailer);
      return;
    }
    if (this.reader === null) {
      this.lineBuf = Buffer.concat([this.lineBuf, data]);
      const head = this.line();
      if (head === null) return;
      if (!head.startsWith('$EOF:')) throw new ReplicationError(`bad snapshot framing '${head.slice(0, 20)}'`);
      this.beginLoad();
      data = this.lineBuf;
      this.lineBuf = Buffer.alloc(0);
    }
    if (data.length > 0) this.reader!.push(data);
    this.loadStep(s);
  }

  private beginLoad(): void {
    this.server.loading = true;
    this.server.keyspace.flush(null);
    this.server.keyspace.extras?.clear();
    const loader = new KeyspaceLoader(this.server.keyspace, {
      skipExpired: false,
      now: Date.now(),
      limits: { hashEntries: this.server.config.int('hash-max-listpack-entries'), hashValue: this.server.config.int('hash-max-listpack-value') },
    });
    this.reader = new SnapshotReader(loader);
  }

  private loadStep(s: Socket): void {
    const reader = this.reader;
    if (reader === null || s !== this.socket) return;
    const until = performance.now() + LOAD_STEP_MS;
    const res = reader.run(() => performance.now() >= until);
    if (res === 'paused') {
      s.pause();
      setImmediate(() => this.loadStep(s));
      return;
    }
    s.resume();
    if (res === 'done') this.endLoad(s, reader.rest());
  }

  private endLoad(s: Socket, rest: Buffer): void {
    this.lineBuf = rest;
    const trailer = this.line();
    if (trailer === null) {
      // The trailer has not fully arrived: wait for it with the reader done.
      this.state = 'sync';
      this.reader = null;
      this.awaitTrailer = true;
      return;
    }
    this.finishSync(s, trailer);
  }

  private finishSync(s: Socket, trailer: string): void {
    this.awaitTrailer = false;
    const offset = Number(trailer.slice(MARK_LENGTH + 1));
    if (trailer.length <= MARK_LENGTH || !Number.isSafeInteger(offset)) throw new ReplicationError('bad snapshot trailer');
    this.reader = null;
    this.server.loading = false;
    this.repl.replid = this.syncReplid;
    this.repl.replid2 = NULL_REPLID;
    this.repl.secondOffset = -1;
    this.repl.pending.clear();
    this.repl.backlog.reset(offset);
    this.server.log.notice('MASTER <-> REPLICA sync: Finished with success');
    this.linkUp();
    const rest = this.lineBuf;
    this.lineBuf = Buffer.alloc(0);
    if (rest.length > 0) this.applyStream(s, rest);
  }

  private linkUp(): void {
    this.state = 'connected';
    this.parser = new RequestParser({ maxBulkLength: Number.MAX_SAFE_INTEGER });
    this.client = new MasterClient(this.server, `${this.host}:${this.port}`, '');
    this.sendAck();
  }

  /** Applies every complete command in order; each one's bytes go to our backlog unchanged. */
  private applyStream(s: Socket, data: Buffer): void {
    const parser = this.parser!;
    parser.feed(data);
    const server = this.server;
    server.keyspace.now = Date.now();
    for (;;) {
      if (server.keyspace.busy !== null) return this.holdStream(s);
      const argv = parser.next();
      if (argv === null) break;
      const name = argv[0]!.toLowerCase();
      if (name === 'replconf' && argv[1]?.toLowerCase() === 'getack') {
        // The ACK counts the GETACK itself (Redis's excludes it): the master then sees this
        // replica in sync at once, so a SHUTDOWN waiting for replicas does not wait for the
        // next periodic ACK. WAIT targets the offset before its GETACK either way.
        this.primary.appendRaw(argv);
        this.sendAck();
        continue;
      }
      if (name !== 'ping') {
        server.dispatcher.execute(this.client, argv);
        this.client.reply.discard();
      }
      this.primary.appendRaw(argv);
    }
    if (parser.error !== null) throw new ReplicationError(`protocol error in the stream: ${parser.error}`);
    if (this.state !== 'connected') s.destroy();
  }

  /**
   * A script of ours is suspended past its time limit: the stream waits (it is neither applied
   * under the script nor refused with BUSY) and is applied once the script has ended, as in Redis.
   */
  private holdStream(s: Socket): void {
    s.pause();
    setTimeout(() => {
      if (s !== this.socket || this.state !== 'connected') return;
      s.resume();
      this.applyStream(s, Buffer.alloc(0));
    }, 10);
  }

  private sendAck(): void {
    if (this.state !== 'connected' || this.socket === null) return;
    this.socket.write(cmd('REPLCONF', 'ACK', String(this.processedOffset)));
  }
}
