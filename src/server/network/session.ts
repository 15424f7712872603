/**
 * One client connection: reads and parses requests, runs them through the dispatcher, and writes
 * the replies of a whole input chunk with one socket write.
 *
 * Invariants:
 * - commands run in arrival order; a blocked client (BLPOP…) stops processing its input until it
 *   is resumed, and later pipelined commands wait behind it, as in Redis;
 * - while the socket is backed up (write() returned false) we stop reading from it, and a batch
 *   whose replies pile up past EARLY_FLUSH_BYTES writes them and stops until the socket drains,
 *   so a client that does not read its replies holds at most about one reply of output;
 * - a protocol error replies `-ERR Protocol error: …` after the replies of the good commands before
 *   it, then closes the connection;
 * - `close()` is idempotent and releases every per-client resource through the server's hooks;
 * - with a flush gate (AOF), replies wait until the writes before them are durable, and the
 *   session reads no further commands meanwhile (its later replies could depend on newer writes).
 * - input and output buffer sizes are reported to the client limits after every read, flush and
 *   drain (query/output buffer limits, used_memory); see client-limits.ts.
 * - a reply that grows past SPILL_SIZE in the middle of a command is moved into a list of chunks
 *   as it grows (no buffer regrowth) and the output limit is checked each time, as Redis checks it
 *   on every append: a client over its hard limit is closed at once and the rest of its reply
 *   dropped.
 */

import type { Socket } from 'node:net';
import { RequestParser } from '../../protocol/request-parser.js';
import { ReplyWriter } from '../../protocol/reply-writer.js';
import type { CommandSpec } from '../../commands/spec.js';
import type { Db } from '../keyspace/db.js';
import { ClientFlag, type ClientUser, type ServerContext } from '../dispatch/context.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import { ClientBufferState, clientLimits, type ClientLimits, type LimitedClient } from './client-limits.js';

/** What a session needs from the server beyond ServerContext. */
export interface SessionHost {
  readonly context: ServerContext;
  readonly dispatcher: Dispatcher;
  /** Called once when the session has closed, to release its per-feature state. */
  sessionClosed(s: Session): void;
  /** True once the node is shutting down: sessions run no further commands. */
  readonly stopping: boolean;
  /** Queues a session whose replies were written out of band, flushed before the next I/O turn. */
  queueFlush(s: Session): void;
}

const REPLY_FLAGS = ClientFlag.REPLY_OFF | ClientFlag.REPLY_SKIP | ClientFlag.REPLY_SKIP_NEXT;
/** Replies pending beyond this are written before the next command runs (ReplyWriter hands off). */
const EARLY_FLUSH_BYTES = 64 * 1024;

function formatAddress(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return '?:0';
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return `${a}:${port ?? 0}`;
}

export class Session implements LimitedClient {
  readonly id: number;
  name = '';
  db: Db;
  readonly reply = new ReplyWriter();
  readonly server: ServerContext;
  authenticated: boolean;
  user: ClientUser | null;
  flags = 0;
  readonly addr: string;
  readonly laddr: string;
  readonly createdAt: number;
  lastInteraction: number;
  spec: CommandSpec | null = null;
  argv: string[] = [];
  propagateAs: string[][] | null = null;
  readonly ext = new Map<string, unknown>();
  readonly parser: RequestParser;
  readonly socket: Socket;
  readonly buffers = new ClientBufferState();
  private readonly limits: ClientLimits | null;
  /** Reply bytes spilled while the flush gate may hold them (see spillReply). */
  private spilled: Buffer[] = [];
  private spilledBytes = 0;
  private closed = false;
  private flushQueued = false;
  private processing = false;
  /** Replies are held by the flush gate; `releaseFlush` ends it. */
  private held = false;
  private readonly releaseFlush = (): void => {
    this.held = false;
    this.flushNow();
    this.process();
  };

  constructor(
    id: number,
    socket: Socket,
    private readonly host: SessionHost,
    /** The Unix socket's path when the client came through it (Redis shows `<path>:0`). */
    unixPath: string | null = null,
  ) {
    this.id = id;
    this.socket = socket;
    this.server = host.context;
    this.db = this.server.keyspace.dbs[0]!;
    this.createdAt = Date.now();
    this.lastInteraction = this.createdAt;
    if (unixPath !== null) {
      this.addr = this.laddr = `${unixPath}:0`;
      this.flags |= ClientFlag.UNIX_SOCKET;
    } else {
      this.addr = formatAddress(socket.remoteAddress, socket.remotePort);
      this.laddr = formatAddress(socket.localAddress, socket.localPort);
    }
    this.user = host.dispatcher.defaultUser;
    this.authenticated = !host.dispatcher.requirePass;
    this.parser = new RequestParser({ maxBulkLength: this.server.config.int('proto-max-bulk-len') });
    this.parser.authRequired = !this.authenticated;
    this.reply.onError = (text) => this.countError(text);
    this.reply.spill = (chunk) => this.spillReply(chunk);
    this.limits = clientLimits(this.server);
    if (unixPath === null) socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', () => this.close(false));
    socket.on('close', () => this.close(false));
  }

  get fd(): number {
    const handle = (this.socket as unknown as { _handle?: { fd?: number } })._handle;
    return handle?.fd ?? -1;
  }

  /** Unconsumed input; while a command of this client runs, its whole batch (as Redis's CLIENT LIST shows it). */
  get queryBufferBytes(): number {
    return this.processing ? this.parser.heldBytes : this.parser.bufferedBytes;
  }

  get outputBufferBytes(): number {
    return this.reply.length + this.spilledBytes + this.socket.writableLength;
  }

  queryHead(n: number): Buffer {
    return this.parser.pendingHead(n);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private countError(text: string): void {
    const stats = this.server.stats;
    stats.totalErrorReplies++;
    const sp = text.indexOf(' ');
    const prefix = sp === -1 ? text : text.slice(0, sp);
    stats.errors.set(prefix, (stats.errors.get(prefix) ?? 0) + 1);
  }

  private onData(chunk: Buffer): void {
    this.server.stats.netInputBytes += chunk.length;
    this.parser.feed(chunk);
    this.process();
    if (!this.closed) this.limits?.afterInput(this);
  }

  /** Runs every complete buffered command (until blocked or closing), then flushes once. */
  process(): void {
    if (this.processing || this.closed || this.held || this.host.stopping) return;
    this.processing = true;
    const dispatcher = this.host.dispatcher;
    const parser = this.parser;
    this.server.keyspace.now = Date.now();
    dispatcher.beginBatch();
    try {
      while ((this.flags & (ClientFlag.BLOCKED | ClientFlag.CLOSE_AFTER_REPLY | ClientFlag.CLOSE_ASAP)) === 0) {
        if (this.reply.length >= EARLY_FLUSH_BYTES) {
          // Big replies go out now; a backed-up socket stops the batch until 'drain'.
          this.flush();
          if (this.closed || this.socket.writableNeedDrain) break;
          dispatcher.beginBatch();
        }
        const argv = parser.next();
        if (argv === null) break;
        if (this.flags & REPLY_FLAGS) this.executeSuppressed(argv);
        else dispatcher.execute(this, argv);
        parser.authRequired = !this.authenticated;
      }
      if (parser.error !== null && (this.flags & ClientFlag.CLOSE_AFTER_REPLY) === 0) {
        this.reply.error(`ERR ${parser.error}`);
        this.server.log.verbose(`Protocol error (${parser.error}) from client: id=${this.id} addr=${this.addr}`);
        this.flags |= ClientFlag.CLOSE_AFTER_REPLY;
      }
    } finally {
      dispatcher.endBatch();
      this.processing = false;
    }
    this.flush();
  }

  /**
   * CLIENT REPLY OFF/SKIP (Redis resetClient and prepareClientToWrite): the command runs and its
   * replies are dropped, push frames (pub/sub) excepted. SKIP covers the one command after the
   * CLIENT REPLY SKIP that set SKIP_NEXT.
   */
  private executeSuppressed(argv: string[]): void {
    if (this.flags & ClientFlag.REPLY_SKIP_NEXT) this.flags = (this.flags & ~ClientFlag.REPLY_SKIP_NEXT) | ClientFlag.REPLY_SKIP;
    const mark = this.reply.suppressFrom();
    this.host.dispatcher.execute(this, argv);
    if (this.flags & (ClientFlag.REPLY_OFF | ClientFlag.REPLY_SKIP)) this.reply.dropRepliesSince(mark);
    else this.reply.endSuppression();
    this.flags &= ~ClientFlag.REPLY_SKIP;
  }

  /**
   * Reply bytes past SPILL_SIZE in the middle of a command (see the file header). They wait, in
   * chunks, for the flush after the command, as Redis's reply list does, so the output limit sees
   * the whole reply however fast the client reads.
   */
  private spillReply(chunk: Buffer): void {
    if (this.closed) return;
    this.spilled.push(chunk);
    this.spilledBytes += chunk.length;
    this.limits?.checkOutput(this);
  }

  /** Writes pending replies (once the flush gate allows); ends the socket if the client is to be closed after its replies. */
  flush(): void {
    this.flushQueued = false;
    if (this.closed || this.held) return;
    const gate = this.server.flushGate;
    if (gate !== null && (this.reply.length > 0 || this.spilledBytes > 0 || this.flags & ClientFlag.CLOSE_AFTER_REPLY) && gate.hold(this.releaseFlush)) {
      this.held = true;
      return;
    }
    this.flushNow();
  }

  private flushNow(): void {
    if (this.closed) return;
    if (this.spilled.length > 0) {
      for (const chunk of this.spilled) this.socket.write(chunk);
      this.server.stats.netOutputBytes += this.spilledBytes;
      this.spilled = [];
      this.spilledBytes = 0;
    }
    if (this.reply.length > 0) {
      if (this.limits !== null && !this.limits.checkOutput(this)) return;
      const out = this.reply.take()!;
      this.server.stats.netOutputBytes += out.length;
      if (!this.socket.write(out)) this.socket.pause();
      this.limits?.account(this);
    }
    if (this.flags & ClientFlag.CLOSE_AFTER_REPLY) this.close(true);
  }

  private onDrain(): void {
    if (this.closed) return;
    this.limits?.account(this);
    this.socket.resume();
    // Commands left in the parser when the batch stopped on a backed-up socket.
    if (this.parser.bufferedBytes > 0) this.process();
  }

  requestFlush(): void {
    if (this.flushQueued || this.closed || this.processing) return;
    this.flushQueued = true;
    this.host.queueFlush(this);
  }

  resume(): void {
    if (this.closed) return;
    setImmediate(() => this.process());
  }

  close(afterReply: boolean): void {
    if (this.closed) return;
    if (afterReply) {
      this.flags |= ClientFlag.CLOSE_AFTER_REPLY;
      if (this.processing) return;
      const out = this.reply.take();
      if (out !== null) this.socket.write(out);
      this.closed = true;
      // Like Redis's close(): once the replies are out the descriptor goes, so a peer that keeps
      // sending (a desynchronised protocol stream) sees the connection reset rather than a
      // half-closed socket that swallows its writes.
      const socket = this.socket;
      socket.end(() => socket.destroy());
    } else {
      this.closed = true;
      // Handlers still running (a long reply) see the flag and stop, as Redis's CLOSE_ASAP checks do.
      this.flags |= ClientFlag.CLOSE_ASAP;
      this.reply.discard();
      this.spilled = [];
      this.spilledBytes = 0;
      this.socket.destroy();
    }
    this.limits?.release(this);
    this.host.sessionClosed(this);
  }
}
