/**
 * The AOF writer: a propagation sink that appends every write (with SELECT when the database
 * changes) to a batch, hands the batch to the file once per event-loop turn, and fsyncs per
 * `appendfsync`; and the flush gate that holds client replies until what they may depend on is safe:
 *
 * - `always`: a reply leaves only after the fsync covering every write before it completed.
 *   Batches arriving while an fsync runs are written and covered by the next one (group commit).
 * - `everysec` / `no`: a reply leaves once its batch is written to the file (a killed process
 *   loses nothing acknowledged); fsync runs about once a second (`everysec`, from the cron) or never.
 *
 * The event loop never waits on an fsync, nor on a write(2) that could block: a write can stall
 * for milliseconds while the kernel writes the same pages back (measured: up to ~50 ms during an
 * fsync). So a batch is written synchronously (a few µs into the page cache) only when nothing
 * else is in flight — no fsync, no earlier batch — and otherwise in libuv's thread pool, one batch
 * at a time, in order. Positions are fixed when a batch is sealed, so the file's order never
 * depends on which path or completion order.
 *
 * Any reply waits, not only a writer's: a read that saw a write must not be acknowledged before
 * that write is safe. Sequence numbers order it: `appended` counts batches begun, `written` and
 * `synced` how many are safe; a held session records `appended` and is released when the
 * watermark reaches it.
 *
 * Targets: normally one file. During the switch at the end of a rewrite the new file is a second
 * target, so batches reach both until the new file has replaced the old one (aof-rewrite.ts).
 * A write error keeps the batch (same positions) and retries it from the cron; meanwhile replies
 * stay held and write commands are refused (-MISCONF). Descriptors are closed only when no
 * operation is in flight on them, so a pending write never lands in a reused descriptor.
 */

import fs from 'node:fs';
import type { FlushGate, PropagationSink } from '../dispatch/context.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import type { Logger } from '../util/log.js';
import { BatchBuffer } from './aof-format.js';
import { writeAllSync } from './durable-file.js';

export type FsyncPolicy = 'always' | 'everysec' | 'no';

export interface AofTarget {
  fd: number;
  /** Position of the next batch (the file's logical size). */
  pos: number;
  path: string;
}

interface Pending {
  readonly buf: Buffer;
  readonly seq: number;
  readonly writes: readonly { readonly t: AofTarget; readonly at: number }[];
}

function writeAt(fd: number, buf: Buffer, at: number, done: (err: NodeJS.ErrnoException | null) => void): void {
  fs.write(fd, buf, 0, buf.length, at, (err, n) => {
    if (err !== null) return done(err);
    if (n < buf.length) return writeAt(fd, buf.subarray(n), at + n, done);
    done(null);
  });
}

export class AofWriter implements PropagationSink, FlushGate {
  readonly target = 'aof';
  policy: FsyncPolicy;
  /** Last write / fsync error (INFO, -MISCONF), null when the last attempt succeeded. */
  lastError: string | null = null;
  fsyncError: string | null = null;
  delayedFsyncs = 0;
  /** The longest time written data waited for its fsync (ms): the power-loss window observed. */
  maxSyncLagMs = 0;
  private readonly batch = new BatchBuffer();
  private batchTime = Infinity;
  private selected = -1;
  private readonly queue: Pending[] = [];
  private queuedBytes = 0;
  private appended = 0;
  private written = 0;
  private synced = 0;
  private scheduled = false;
  private writing = false;
  private fsyncing = false;
  private lastFsync = Date.now();
  private oldestUnsynced = 0;
  private heldRelease: (() => void)[] = [];
  private heldSeq: number[] = [];
  private retiring: AofTarget[] = [];
  private readonly flushTurn = (): void => this.flushBatch();

  constructor(
    readonly targets: AofTarget[],
    policy: FsyncPolicy,
    private readonly keyspace: Keyspace,
    private readonly log: Logger,
  ) {
    this.policy = policy;
  }

  /** The newest target's size (INFO aof_current_size). */
  get size(): number {
    return this.targets[this.targets.length - 1]?.pos ?? 0;
  }

  /** Bytes not yet written (INFO aof_buffer_length). */
  get pendingBytes(): number {
    return this.batch.length + this.queuedBytes;
  }

  get fsyncInFlight(): boolean {
    return this.fsyncing;
  }

  propagate(dbIndex: number, argv: readonly string[]): void {
    if (this.batch.length === 0) {
      this.appended++;
      this.batchTime = this.keyspace.now;
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flushTurn);
      }
    } else if (this.keyspace.now < this.batchTime) {
      this.batchTime = this.keyspace.now;
    }
    if (dbIndex !== this.selected) {
      this.batch.select(dbIndex);
      this.selected = dbIndex;
    }
    this.batch.command(argv);
  }

  hold(release: () => void): boolean {
    const safe = this.policy === 'always' ? this.synced : this.written;
    if (safe >= this.appended) return false;
    this.heldRelease.push(release);
    this.heldSeq.push(this.appended);
    return true;
  }

  /** Seals the current batch at fixed positions in every target and starts writing it. */
  flushBatch(): void {
    this.scheduled = false;
    if (this.batch.length > 0) {
      if (this.queue.length === 0 && !this.writing && !this.fsyncing && this.lastError === null && this.writeBatchSync()) return;
      const buf = this.batch.take(this.batchTime);
      const writes = this.targets.map((t) => {
        const at = t.pos;
        t.pos += buf.length;
        return { t, at };
      });
      this.queue.push({ buf, seq: this.appended, writes });
      this.queuedBytes += buf.length;
    }
    this.pump();
  }

  /**
   * The fast path, when nothing is in flight: writes the batch straight from its buffer (no copy)
   * at every target's end. False, with nothing changed, on an error: the asynchronous path then
   * retries it and reports the error.
   */
  private writeBatchSync(): boolean {
    const view = this.batch.seal(this.batchTime);
    const targets = this.targets;
    try {
      for (const t of targets) writeAllSync(t.fd, view, t.pos);
    } catch {
      this.batch.unseal();
      return false;
    }
    for (const t of targets) t.pos += view.length;
    this.batch.reset();
    if (this.written === this.synced) this.oldestUnsynced = Date.now();
    this.written = this.appended;
    if (this.policy === 'always') this.startFsync();
    else this.release(this.written);
    return true;
  }

  /** Writes the oldest batch (to every target it was sealed for); one at a time, in order. */
  private pump(): void {
    if (this.writing || this.queue.length === 0 || this.lastError !== null) return;
    this.writing = true;
    const p = this.queue[0]!;
    let left = p.writes.length;
    let failure: NodeJS.ErrnoException | null = null;
    const done = (err: NodeJS.ErrnoException | null): void => {
      if (err !== null) failure = err;
      if (--left > 0) return;
      this.writing = false;
      this.afterWrite(p, failure);
    };
    if (left === 0) return done(null);
    left++;
    for (const w of p.writes) writeAt(w.t.fd, p.buf, w.at, done);
    done(null);
  }

  private afterWrite(p: Pending, failure: NodeJS.ErrnoException | null): void {
    if (this.queue[0] !== p) {
      // flushSync already wrote this batch (and everything queued) synchronously.
      this.closeRetired();
      return;
    }
    if (failure !== null) {
      if (this.lastError === null) this.log.warning(`Error writing to the AOF file: ${failure.message}`);
      this.lastError = failure.message;
      this.closeRetired();
      return;
    }
    if (this.lastError !== null) this.log.warning('AOF write error looks solved, the server can write again.');
    this.lastError = null;
    this.queue.shift();
    this.queuedBytes -= p.buf.length;
    if (this.written === this.synced) this.oldestUnsynced = Date.now();
    this.written = p.seq;
    if (this.policy === 'always') this.startFsync();
    else this.release(this.written);
    this.closeRetired();
    this.pump();
  }

  private startFsync(): void {
    if (this.fsyncing || this.synced >= this.written) return;
    this.fsyncing = true;
    const seq = this.written;
    const started = this.oldestUnsynced;
    const targets = [...this.targets];
    let left = targets.length + 1;
    let failure: string | null = null;
    const done = (err: NodeJS.ErrnoException | null): void => {
      if (err !== null) failure = err.message;
      if (--left > 0) return;
      this.fsyncing = false;
      this.finishFsync(seq, started, failure);
    };
    for (const t of targets) fs.fsync(t.fd, done);
    done(null);
  }

  private finishFsync(seq: number, started: number, failure: string | null): void {
    const now = Date.now();
    this.closeRetired();
    if (failure !== null) {
      if (this.fsyncError === null) this.log.warning(`Error syncing the AOF file: ${failure}`);
      this.fsyncError = failure;
      return;
    }
    this.fsyncError = null;
    this.synced = Math.max(this.synced, seq);
    this.lastFsync = now;
    this.maxSyncLagMs = Math.max(this.maxSyncLagMs, now - started);
    if (this.written > this.synced) this.oldestUnsynced = now;
    if (this.policy === 'always') {
      this.release(this.synced);
      this.startFsync();
    }
  }

  /** Cron: retries a failed write or fsync, runs the everysec fsync, follows a policy change. */
  cron(): void {
    if (this.lastError !== null && !this.writing) {
      this.lastError = null;
      this.log.verbose('Retrying the AOF write');
    }
    this.flushBatch();
    if (this.written > this.synced) {
      if (this.policy === 'always' || this.fsyncError !== null) this.startFsync();
      else if (this.policy === 'everysec' && Date.now() - this.lastFsync >= 1000) {
        if (this.fsyncing) this.delayedFsyncs++;
        else this.startFsync();
      }
    }
    if (this.policy !== 'always') this.release(this.written);
  }

  private release(upTo: number): void {
    const seqs = this.heldSeq;
    let n = 0;
    while (n < seqs.length && seqs[n]! <= upTo) n++;
    if (n === 0) return;
    const fns = this.heldRelease.splice(0, n);
    seqs.splice(0, n);
    for (const fn of fns) fn();
  }

  /**
   * Writes and fsyncs everything now, blocking (SHUTDOWN, SIGTERM, turning AOF off). Queued
   * batches are written synchronously at their positions — also one whose asynchronous write is
   * still in flight: the same bytes at the same place, so whichever lands last changes nothing.
   */
  flushSync(): void {
    this.scheduled = false;
    if (this.batch.length > 0) this.flushBatch();
    for (const p of this.queue) for (const w of p.writes) writeAllSync(w.t.fd, p.buf, w.at);
    const last = this.queue[this.queue.length - 1];
    if (last !== undefined) this.written = last.seq;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.lastError = null;
    for (const t of this.targets) fs.fsyncSync(t.fd);
    this.synced = this.written;
    this.release(this.synced);
  }

  /** Adds a target that receives every later batch (a rewrite's new file, after its preamble). */
  addTarget(t: AofTarget): void {
    this.targets.push(t);
    this.selected = -1;
  }

  /** Drops a target; its descriptor is closed once no write or fsync is in flight. */
  removeTarget(t: AofTarget): void {
    const i = this.targets.indexOf(t);
    if (i !== -1) this.targets.splice(i, 1);
    this.retiring.push(t);
    this.closeRetired();
  }

  /**
   * Closes retired descriptors in the thread pool when nothing uses them: the old AOF was renamed
   * over, so its close frees every block of a possibly large file, which can take long (Redis
   * closes it in a background thread for the same reason).
   */
  private closeRetired(): void {
    if (this.retiring.length === 0 || this.fsyncing || this.writing) return;
    const inQueue = new Set(this.queue.flatMap((p) => p.writes.map((w) => w.t)));
    this.retiring = this.retiring.filter((t) => {
      if (inQueue.has(t)) return true;
      fs.close(t.fd, () => {});
      return false;
    });
  }

  /** Closes every target (AOF turned off or server stopping); call flushSync first. */
  close(): void {
    for (const t of [...this.targets]) this.removeTarget(t);
    this.release(Infinity);
  }
}
