/**
 * The AOF writer: a propagation sink that appends every write (with SELECT when the database
 * changes) to a batch, writes the batch once per event-loop turn, and fsyncs per `appendfsync`;
 * and the flush gate that holds client replies until what they may depend on is safe:
 *
 * - `always`: a batch is written, then fsynced off the main thread (fs.fsync in libuv's pool);
 *   replies leave only after the fsync covering every write before them completed. Batches
 *   arriving meanwhile are written and covered by the next fsync (group commit).
 * - `everysec` / `no`: replies leave once their batch is written to the file (a killed process
 *   loses nothing); fsync runs in the background about once a second (`everysec`, checked from
 *   the cron) or never (`no`). The event loop never waits on an fsync.
 *
 * Any reply waits, not only a writer's: a read that saw a write must not be acknowledged before
 * that write is safe (Redis sends all replies after flushing the AOF, for the same reason).
 * Sequence numbers order it: `appended` counts batches begun, `written` and `synced` how many are
 * safe; a held session records `appended` and is released when the watermark reaches it.
 *
 * Targets: normally one file. During the switch at the end of a rewrite the new file is a second
 * target, so writes reach both until the new file has replaced the old one (aof-rewrite.ts).
 * A write error truncates the targets back to the batch start, keeps the batch and retries it from
 * the cron; meanwhile replies stay held and write commands are refused (-MISCONF).
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
  /** Next write position (the file's logical size). */
  pos: number;
  path: string;
}

export class AofWriter implements PropagationSink, FlushGate {
  policy: FsyncPolicy;
  /** Last write / fsync outcome, for INFO and -MISCONF. */
  lastError: string | null = null;
  fsyncError: string | null = null;
  delayedFsyncs = 0;
  private readonly batch = new BatchBuffer();
  private failed: Buffer | null = null;
  private batchTime = Infinity;
  private selected = -1;
  private appended = 0;
  private written = 0;
  private synced = 0;
  private scheduled = false;
  private fsyncing = false;
  private lastFsync = Date.now();
  private oldestUnsynced = 0;
  /** The longest time written data waited for its fsync (ms): the power-loss window observed. */
  maxSyncLagMs = 0;
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

  get pendingBytes(): number {
    return this.batch.length + (this.failed?.length ?? 0);
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

  /** Writes the current batch to every target; then releases replies or starts the fsync. */
  flushBatch(): void {
    this.scheduled = false;
    if (!this.writePending()) return;
    if (this.policy === 'always') this.startFsync();
    else this.release(this.written);
  }

  /** Forces the next command into a fresh SELECT (a new target continues after a preamble). */
  forgetSelectedDb(): void {
    this.selected = -1;
  }

  private writePending(): boolean {
    let out = this.failed;
    if (this.batch.length > 0) {
      const sealed = this.batch.seal(this.batchTime);
      out = out === null ? sealed : Buffer.concat([out, sealed]);
    }
    if (out === null) return true;
    const targets = this.targets;
    let i = 0;
    try {
      for (; i < targets.length; i++) writeAllSync(targets[i]!.fd, out, targets[i]!.pos);
    } catch (err) {
      // `out` may be a view of the batch buffer, which is reset below: keep a copy to retry.
      this.failed = Buffer.from(out);
      this.batch.reset();
      this.onWriteError(err);
      return false;
    }
    for (const t of targets) t.pos += out.length;
    this.batch.reset();
    if (this.written === this.synced) this.oldestUnsynced = Date.now();
    this.failed = null;
    this.written = this.appended;
    if (this.lastError !== null) this.log.warning('AOF write error looks solved. Redis can write again.');
    this.lastError = null;
    return true;
  }

  private onWriteError(err: unknown): void {
    const msg = err instanceof Error ? err.message : String(err);
    if (this.lastError === null) this.log.warning(`Error writing to the AOF file: ${msg}`);
    this.lastError = msg;
    for (const t of this.targets) {
      try {
        fs.ftruncateSync(t.fd, t.pos);
      } catch {
        // the retry rewrites from t.pos anyway; a longer file is cut at load as a torn tail
      }
    }
    // A batch now straddles an unknown SELECT state: start the retry with an explicit one.
    this.selected = -1;
  }

  private startFsync(): void {
    if (this.fsyncing || this.synced >= this.written) return;
    this.fsyncing = true;
    const seq = this.written;
    const started = this.oldestUnsynced;
    const targets = [...this.targets];
    let left = targets.length;
    let failure: string | null = null;
    const done = (err: NodeJS.ErrnoException | null): void => {
      if (err !== null) failure = err.message;
      if (--left > 0) return;
      this.fsyncing = false;
      this.finishFsync(seq, started, failure);
    };
    for (const t of targets) fs.fsync(t.fd, done);
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

  /** Cron: retries a failed write, runs the everysec fsync, releases replies under a changed policy. */
  cron(): void {
    if (this.failed !== null || this.batch.length > 0) this.flushBatch();
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

  /** Writes and fsyncs everything now, blocking (SHUTDOWN, SIGTERM, turning AOF off). */
  flushSync(): void {
    this.scheduled = false;
    if (!this.writePending()) return;
    for (const t of this.targets) fs.fsyncSync(t.fd);
    this.synced = this.written;
    this.release(this.synced);
  }

  /** Adds a target that receives every later batch (a rewrite's new file, after its preamble). */
  addTarget(t: AofTarget): void {
    this.targets.push(t);
    this.selected = -1;
  }

  /** Drops a target; its descriptor is closed once no fsync uses it. */
  removeTarget(t: AofTarget): void {
    const i = this.targets.indexOf(t);
    if (i !== -1) this.targets.splice(i, 1);
    this.retiring.push(t);
    if (!this.fsyncing) this.closeRetired();
  }

  /**
   * Closes retired descriptors in the thread pool: the old AOF was renamed over, so its close
   * frees every block of a possibly large file, which can take long (Redis closes it in a
   * background thread for the same reason).
   */
  private closeRetired(): void {
    for (const t of this.retiring) fs.close(t.fd, () => {});
    this.retiring = [];
  }

  /** Closes every target (AOF turned off or server stopping); call flushSync first. */
  close(): void {
    for (const t of [...this.targets]) this.removeTarget(t);
    this.release(Infinity);
  }
}
