/**
 * The master side of replication: the replicas attached to us, the PSYNC decision (partial from
 * the backlog when the id and offset allow it, as Redis's masterTryPartialResynchronization;
 * otherwise a full sync), the command stream, ACK tracking and WAIT.
 *
 * Hot path: `propagate` only encodes into one scratch buffer; once per event-loop turn `flush`
 * appends those bytes to the backlog and writes them to every online replica in one write.
 * Invariants: a replica being fully synced receives no stream bytes until the snapshot's T1, then
 * exactly the bytes after T1; a partial resync's backlog bytes precede any newer stream bytes.
 */

import { ClientFlag, type ClientContext, type PropagationSink, type ServerContext } from '../dispatch/context.js';
import type { Db } from '../keyspace/db.js';
import { Session } from '../network/session.js';
import { FullSync } from './full-sync.js';
import type { ReplState } from './repl-state.js';

export type ReplicaState = 'wait_bgsave' | 'send_bulk' | 'online';

export class ReplicaLink {
  state: ReplicaState = 'wait_bgsave';
  ackOffset = 0;
  ackTime = Date.now();
  listeningPort = 0;
  ipAddress = '';
  sync: FullSync | null = null;
  /** Stream bytes waiting for the +CONTINUE/backlog bytes to leave first (null once started). */
  held: Buffer[] | null = null;
  /** Attached by the legacy SYNC command: no +FULLRESYNC, payload framed with its length. */
  legacy = false;

  constructor(readonly session: Session) {}

  get ip(): string {
    if (this.ipAddress !== '') return this.ipAddress;
    const a = this.session.addr;
    return a.slice(0, a.lastIndexOf(':'));
  }

  write(bytes: Buffer): void {
    if (this.held !== null) this.held.push(bytes);
    else this.session.socket.write(bytes);
  }
}

interface Waiter {
  c: ClientContext;
  target: number;
  needed: number;
  deadline: number;
}

const GETACK = ['REPLCONF', 'GETACK', '*'];

export class Primary implements PropagationSink {
  readonly target = 'replicas';
  readonly replicas: ReplicaLink[] = [];
  /** Set when the first replica attaches (Redis creates the backlog then); a replica's is always on. */
  active = false;
  private flushQueued = false;
  private waiters: Waiter[] = [];
  private readonly flushTask = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  constructor(
    private readonly server: ServerContext,
    private readonly state: ReplState,
  ) {}

  /** PropagationSink: our own writes, on a master only (a replica forwards its master's bytes). */
  propagate(dbIndex: number, argv: readonly string[]): void {
    if (!this.active || this.server.role === 'replica') return;
    this.append(dbIndex, argv);
  }

  /** Adds one command to the stream (a replica calls this with what its master sent). */
  append(dbIndex: number, argv: readonly string[]): void {
    const st = this.state;
    if (dbIndex !== st.streamDb && dbIndex >= 0) {
      st.pending.encode(['SELECT', String(dbIndex)]);
      st.streamDb = dbIndex;
    }
    st.pending.encode(argv);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flushTask);
    }
  }

  /** Adds the exact bytes of a command our master sent (a replica forwards its stream verbatim). */
  appendRaw(argv: readonly string[]): void {
    this.state.pending.encode(argv);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flushTask);
    }
  }

  /** Moves pending stream bytes into the backlog and to every online replica. */
  flush(): void {
    const p = this.state.pending;
    if (p.length === 0) return;
    this.state.backlog.append(p.bytes, 0, p.length);
    let out: Buffer | null = null;
    for (const r of this.replicas) {
      if (r.state !== 'online') continue;
      out ??= Buffer.from(p.bytes.subarray(0, p.length));
      r.write(out);
    }
    p.clear();
  }

  linkOf(c: ClientContext): ReplicaLink | undefined {
    return this.replicas.find((r) => r.session === c);
  }

  /** REPLCONF listening-port / ip-address before PSYNC: remembered on a pre-link record. */
  private readonly announced = new Map<ClientContext, { port: number; ip: string }>();

  announce(c: ClientContext, field: 'port' | 'ip', value: string): void {
    const a = this.announced.get(c) ?? { port: 0, ip: '' };
    if (field === 'port') a.port = Number(value) || 0;
    else a.ip = value;
    this.announced.set(c, a);
    const link = this.linkOf(c);
    if (link !== undefined) {
      link.listeningPort = a.port;
      link.ipAddress = a.ip;
    }
  }

  /**
   * PSYNC <replid> <offset>: +CONTINUE with the backlog tail, or +FULLRESYNC and a snapshot.
   * `legacy` (the SYNC command): always a full sync, announced by nothing but the payload.
   */
  psync(c: ClientContext, replid: string, offsetText: string, legacy = false): void {
    if (!(c instanceof Session)) return c.reply.error('ERR PSYNC from an internal client');
    const st = this.state;
    this.active = true;
    this.flush();
    const old = this.linkOf(c);
    if (old !== undefined) this.drop(old);
    const link = new ReplicaLink(c);
    link.legacy = legacy;
    const a = this.announced.get(c);
    if (a !== undefined) {
      link.listeningPort = a.port;
      link.ipAddress = a.ip;
    }
    c.flags |= ClientFlag.REPLICA;
    this.replicas.push(link);
    const from = Number(offsetText);
    const sameHistory = replid === st.replid || (replid === st.replid2 && from <= st.secondOffset);
    if (!legacy && sameHistory && Number.isSafeInteger(from) && st.backlog.has(from)) {
      st.syncPartialOk++;
      c.reply.simple(`CONTINUE ${st.replid}`);
      link.held = [st.backlog.copyFrom(from)!];
      link.state = 'online';
      this.server.log.notice(`Partial resynchronization request from ${c.addr} accepted. Sending ${st.backlog.offset - from + 1} bytes of backlog starting from offset ${from}.`);
      setImmediate(() => this.start(link));
      return;
    }
    if (replid !== '?') st.syncPartialErr++;
    st.syncFull++;
    if (!legacy) c.reply.simple(`FULLRESYNC ${st.replid} ${st.backlog.offset}`);
    this.server.log.notice(`Full resync requested by replica ${c.addr}`);
    setImmediate(() => this.start(link));
  }

  /** After the PSYNC reply left: stop replying on this link and start streaming. */
  private start(link: ReplicaLink): void {
    const c = link.session;
    if (c.isClosed || !this.replicas.includes(link)) return;
    c.flags |= ClientFlag.REPLY_OFF;
    if (link.held !== null) {
      const held = link.held;
      link.held = null;
      for (const b of held) c.socket.write(b);
      return;
    }
    link.state = 'send_bulk';
    link.sync = new FullSync(
      this.server.keyspace,
      c.socket,
      [['ringcache-ver', this.server.version], ['repl-id', this.state.replid]],
      () => {
        this.flush();
        link.state = 'online';
        link.sync = null;
        this.state.streamDb = -1;
        return this.state.backlog.offset;
      },
      (err) => {
        this.server.log.warning(`Full sync to ${c.addr} aborted: ${err.message}`);
        c.close(false);
      },
      link.legacy,
    );
    link.sync.start();
  }

  keyModified(db: Db, key: string): void {
    for (const r of this.replicas) r.sync?.keyModified(db, key);
  }

  invalidated(): void {
    for (const r of this.replicas) r.sync?.invalidate();
  }

  /** REPLCONF ACK <offset> from a replica. */
  ack(c: ClientContext, offset: number): void {
    const link = this.linkOf(c);
    if (link === undefined) return;
    if (offset > link.ackOffset) link.ackOffset = offset;
    link.ackTime = Date.now();
    if (this.waiters.length > 0) this.checkWaiters();
  }

  clientClosed(c: ClientContext): void {
    this.announced.delete(c);
    const link = this.linkOf(c);
    if (link !== undefined) this.drop(link);
    if (this.waiters.length > 0) this.waiters = this.waiters.filter((w) => w.c !== c);
  }

  private drop(link: ReplicaLink): void {
    link.sync?.cancel();
    const i = this.replicas.indexOf(link);
    if (i !== -1) this.replicas.splice(i, 1);
  }

  /** Closes every replica link (this node becomes a replica of another history). */
  disconnectAll(): void {
    for (const r of [...this.replicas]) {
      this.drop(r);
      r.session.close(false);
    }
  }

  private acked(target: number): number {
    let n = 0;
    for (const r of this.replicas) if (r.state === 'online' && r.ackOffset >= target) n++;
    return n;
  }

  /** True when every replica acknowledged our whole stream (Redis isReadyToShutdown). */
  allAcked(): boolean {
    this.flush();
    const offset = this.state.backlog.offset;
    for (const r of this.replicas) if (r.ackOffset < offset) return false;
    return true;
  }

  /** Asks the online replicas for their offset now (REPLCONF GETACK *). */
  requestAcks(): void {
    // A replica's stream is its master's: nothing may be injected into it.
    if (this.server.role !== 'master' || !this.replicas.some((r) => r.state === 'online')) return;
    this.append(-1, GETACK);
    this.flush();
  }

  /** Logs each replica behind our offset, and how many are in sync (Redis finishShutdown). */
  reportLag(): void {
    if (this.replicas.length === 0) return;
    this.flush();
    const offset = this.state.backlog.offset;
    const now = Date.now();
    let lagging = 0;
    for (const r of this.replicas) {
      if (r.ackOffset >= offset) continue;
      lagging++;
      const lag = r.state === 'online' ? Math.floor((now - r.ackTime) / 1000) : 0;
      this.server.log.warning(`Lagging replica ${r.ip}:${r.listeningPort} reported offset ${offset - r.ackOffset} behind master, lag=${lag}, state=${r.state}.`);
    }
    this.server.log.notice(`${this.replicas.length - lagging} of ${this.replicas.length} replicas are in sync when shutting down.`);
  }

  /** WAIT numreplicas timeout: replies now, or blocks until enough ACKs or the timeout. */
  wait(c: ClientContext, needed: number, timeoutMs: number): void {
    this.flush();
    const target = this.state.backlog.offset;
    const n = this.acked(target);
    if (n >= needed || c.flags & ClientFlag.IN_EXEC) return c.reply.integer(n);
    if (this.replicas.some((r) => r.state === 'online')) {
      this.append(-1, GETACK);
      this.flush();
    }
    c.flags |= ClientFlag.BLOCKED;
    this.waiters.push({ c, target, needed, deadline: timeoutMs === 0 ? Infinity : Date.now() + timeoutMs });
  }

  /** Ends WAITs that have enough ACKs or timed out (on ACK and on every cron tick). */
  checkWaiters(): void {
    if (this.waiters.length === 0) return;
    const now = Date.now();
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      const n = this.acked(w.target);
      if (n < w.needed && now < w.deadline) {
        keep.push(w);
        continue;
      }
      w.c.flags &= ~ClientFlag.BLOCKED;
      w.c.reply.integer(n);
      w.c.requestFlush();
      w.c.resume();
    }
    this.waiters = keep;
  }
}
