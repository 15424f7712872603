/**
 * Runs a SnapshotJob in the background: one time-bounded step per event-loop turn (setImmediate,
 * so client I/O is served between steps), pausing while the file's write queue is long
 * (backpressure), then — in the same synchronous step that wrote EOF — calls `atEnd` (the
 * consistency point T1: the AOF rewrite attaches its file to the AOF writer there), and finally
 * fsyncs and publishes the file asynchronously.
 *
 * Also the synchronous variant (SAVE, SHUTDOWN, creating an AOF at start-up): the same job and
 * format, written to completion before returning.
 *
 * Invariant: a failed or cancelled save removes its temp file and never touches the final name.
 */

import { PersistenceError } from '../../errors.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import { DurableFile } from './durable-file.js';
import { SnapshotJob } from './snapshot-job.js';
import { ChunkPool, SnapshotWriter } from './snapshot-writer.js';

/** Time budget of one background step (ms): about the extra latency a save adds to a command. */
export const STEP_BUDGET_MS = 0.5;
/** Queued-write bytes above which the walk pauses until the file catches up. */
const BACKLOG_HIGH = 16 * 1024 * 1024;

export interface SaveCallbacks {
  /** Synchronously at T1, after EOF was written (the file is not yet synced or published). */
  atEnd(save: BackgroundSave): void;
  /** After the file is fsynced; publish it (rename) here or in the default. */
  publish?(save: BackgroundSave): Promise<void>;
  /** Once: ok, or the error that failed the save (the temp file is already removed). */
  done(save: BackgroundSave, err: Error | null): void;
}

export class BackgroundSave {
  readonly job: SnapshotJob;
  readonly file: DurableFile;
  readonly writer: SnapshotWriter;
  readonly startedAt = Date.now();
  /** Wall-clock time of T1 (0 until then). */
  endedAt = 0;
  /** server.dirty at T1 (the changes this save covers), set by the owner's atEnd. */
  dirtyAtEnd = 0;
  /** Called by the owner just before cancel() (the AOF rewrite drops its writer target). */
  onCancel: (() => void) | null = null;
  private cancelled = false;
  private readonly tick = (): void => this.run();

  constructor(
    keyspace: Keyspace,
    finalPath: string,
    tempPath: string,
    private readonly callbacks: SaveCallbacks,
    aux: readonly (readonly [string, string])[],
    keyDelayUs: number,
  ) {
    const pool = new ChunkPool();
    this.file = new DurableFile(finalPath, tempPath, false, pool);
    this.writer = new SnapshotWriter((chunk) => this.file.write(chunk), pool);
    this.writer.header(aux);
    this.job = new SnapshotJob(keyspace, this.writer, keyDelayUs);
  }

  start(): void {
    setImmediate(this.tick);
  }

  get running(): boolean {
    return !this.cancelled && this.job.phase !== 'done';
  }

  /** Stops the save and removes its temp file. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.file.abort();
  }

  /**
   * Runs before each step. The AOF writer's batch is flushed here so that replies to the
   * commands of this loop turn leave before the step spends its budget (both run in the check
   * phase, and the step was scheduled first).
   */
  beforeStep: (() => void) | null = null;

  private run(): void {
    if (this.cancelled) return;
    this.beforeStep?.();
    if (this.file.error !== null) return this.fail(this.file.error);
    if (this.file.backlog > BACKLOG_HIGH) {
      void this.file.whenIdle().then(this.tick);
      return;
    }
    let finished: boolean;
    try {
      finished = this.job.step(STEP_BUDGET_MS);
    } catch (err) {
      return this.fail(err instanceof Error ? err : new PersistenceError(String(err)));
    }
    if (!finished) {
      setImmediate(this.tick);
      return;
    }
    this.endedAt = Date.now();
    this.callbacks.atEnd(this);
    void this.complete();
  }

  private async complete(): Promise<void> {
    try {
      await this.file.flushAndSync();
      if (this.cancelled) return;
      if (this.callbacks.publish !== undefined) await this.callbacks.publish(this);
      else {
        await this.file.publish();
        await this.file.close();
      }
    } catch (err) {
      return this.fail(err instanceof Error ? err : new PersistenceError(String(err)));
    }
    if (!this.cancelled) this.callbacks.done(this, null);
  }

  private fail(err: Error): void {
    if (this.cancelled) return;
    this.cancel();
    this.callbacks.done(this, err);
  }
}

/** Writes a whole snapshot into `file` (synchronous mode) and fsyncs it. Returns keys written. */
export function writeSnapshotSync(keyspace: Keyspace, file: DurableFile, aux: readonly (readonly [string, string])[]): number {
  const pool = new ChunkPool(256 * 1024, 1);
  const writer = new SnapshotWriter((chunk) => {
    file.write(chunk);
    pool.give(chunk);
  }, pool);
  writer.header(aux);
  const job = new SnapshotJob(keyspace, writer);
  job.step(Infinity);
  file.syncNow();
  return job.keysProcessed;
}

/** SAVE: the whole snapshot written, fsynced and published before returning. Returns keys written. */
export function saveSync(keyspace: Keyspace, finalPath: string, tempPath: string, aux: readonly (readonly [string, string])[]): number {
  const file = new DurableFile(finalPath, tempPath, true);
  try {
    const keys = writeSnapshotSync(keyspace, file, aux);
    file.closeNow();
    file.publishSync();
    return keys;
  } catch (err) {
    file.abort();
    throw err;
  }
}
