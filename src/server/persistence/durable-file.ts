/**
 * A file written to a temporary name and published atomically: write → fsync → rename over the
 * final name → fsync the directory (so the rename itself survives a power cut). A crash at any
 * moment leaves either the old file or the complete new one under the final name.
 *
 * Two modes: synchronous (SAVE, SHUTDOWN: the caller blocks, as Redis's SAVE does) and
 * asynchronous (BGSAVE, BGREWRITEAOF: writes go through libuv's thread pool one at a time, in
 * order, at explicit positions, so the event loop never waits on the disk). In the asynchronous
 * mode the file is fsynced every INCREMENTAL_FSYNC bytes in the background (Redis's
 * rdb-save-incremental-fsync) so the final fsync has little left to do, and `backlog` lets the
 * producer pause while writes are queued (backpressure).
 */

import fs from 'node:fs';
import { dirname } from 'node:path';
import { PersistenceError } from '../../errors.js';
import type { ChunkPool } from './snapshot-writer.js';

const INCREMENTAL_FSYNC = 32 * 1024 * 1024;

/** fsync of a directory, so a rename or a file creation in it is durable. */
export function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function fsyncDir(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.open(dir, 'r', (err, fd) => {
      if (err !== null) return reject(err);
      fs.fsync(fd, (e) => fs.close(fd, () => (e === null ? resolve() : reject(e))));
    });
  });
}

/** Writes all of `buf` at `position` (a write may be short). */
export function writeAllSync(fd: number, buf: Buffer, position: number): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off, position + off);
}

function writeAll(fd: number, buf: Buffer, position: number, done: (err: Error | null) => void): void {
  fs.write(fd, buf, 0, buf.length, position, (err, n) => {
    if (err !== null) return done(err);
    if (n < buf.length) return writeAll(fd, buf.subarray(n), position + n, done);
    done(null);
  });
}

export class DurableFile {
  private fd: number;
  /** Bytes handed to write() so far (the next write's position). */
  private end = 0;
  private readonly queue: { buf: Buffer; at: number }[] = [];
  private queued = 0;
  private writing = false;
  private syncing = false;
  private unsynced = 0;
  private failure: Error | null = null;
  private idle: (() => void)[] = [];
  private owned = true;

  constructor(
    readonly finalPath: string,
    readonly tempPath: string,
    private readonly sync: boolean,
    /** Written chunks are given back here for reuse. */
    private readonly pool: ChunkPool | null = null,
  ) {
    this.fd = fs.openSync(tempPath, 'w');
  }

  /** Bytes written or queued. */
  get size(): number {
    return this.end;
  }

  /** Bytes queued or in flight (asynchronous mode). */
  get backlog(): number {
    return this.queued;
  }

  get error(): Error | null {
    return this.failure;
  }

  write(chunk: Buffer): void {
    if (this.failure !== null) return;
    const at = this.end;
    this.end += chunk.length;
    if (this.sync) {
      try {
        writeAllSync(this.fd, chunk, at);
      } catch (err) {
        this.failure = err instanceof Error ? err : new PersistenceError(String(err));
      }
      this.pool?.give(chunk);
      return;
    }
    this.queue.push({ buf: chunk, at });
    this.queued += chunk.length;
    this.pump();
  }

  private pump(): void {
    if (this.writing) return;
    const next = this.queue.shift();
    if (next === undefined) {
      if (!this.syncing) this.settle();
      return;
    }
    this.writing = true;
    writeAll(this.fd, next.buf, next.at, (err) => {
      this.writing = false;
      this.queued -= next.buf.length;
      this.pool?.give(next.buf);
      if (err !== null) {
        this.failure ??= err;
        this.queue.length = 0;
        this.queued = 0;
      } else {
        this.unsynced += next.buf.length;
        if (this.unsynced >= INCREMENTAL_FSYNC) this.backgroundSync();
      }
      this.pump();
    });
  }

  private backgroundSync(): void {
    if (this.syncing) return;
    this.syncing = true;
    this.unsynced = 0;
    fs.fsync(this.fd, (err) => {
      this.syncing = false;
      if (err !== null) this.failure ??= err;
      if (!this.writing && this.queue.length === 0) this.settle();
    });
  }

  private settle(): void {
    const waiters = this.idle;
    this.idle = [];
    for (const fn of waiters) fn();
  }

  /** Resolves when no write or background fsync is in flight. */
  whenIdle(): Promise<void> {
    if (!this.writing && !this.syncing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private check(): void {
    if (this.failure !== null) throw new PersistenceError(`Write error on ${this.tempPath}: ${this.failure.message}`, { cause: this.failure });
  }

  /** Waits for every write, then fsyncs the file. */
  async flushAndSync(): Promise<void> {
    if (this.sync) return this.syncNow();
    await this.whenIdle();
    this.check();
    await new Promise<void>((resolve, reject) => fs.fsync(this.fd, (err) => (err === null ? resolve() : reject(err))));
  }

  syncNow(): void {
    this.check();
    fs.fsyncSync(this.fd);
  }

  /** Renames the (synced) temp file over the final name and fsyncs the directory. */
  async publish(): Promise<void> {
    await fs.promises.rename(this.tempPath, this.finalPath);
    await fsyncDir(dirname(this.finalPath));
  }

  publishSync(): void {
    fs.renameSync(this.tempPath, this.finalPath);
    fsyncDirSync(dirname(this.finalPath));
  }

  /** Hands the open descriptor over (the AOF writer keeps appending to it); not closed here. */
  detach(): number {
    this.owned = false;
    return this.fd;
  }

  /** Closes the descriptor (after in-flight writes) unless it was handed over. */
  async close(): Promise<void> {
    await this.whenIdle();
    if (!this.owned || this.fd === -1) return;
    const fd = this.fd;
    this.fd = -1;
    await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
  }

  /** Closes the descriptor now (synchronous saves: nothing is in flight). */
  closeNow(): void {
    if (!this.owned || this.fd === -1) return;
    const fd = this.fd;
    this.fd = -1;
    try {
      fs.closeSync(fd);
    } catch {
      // already closed: nothing to release
    }
  }

  /**
   * Gives up: stops writing and unlinks the temp file now (cheap while it is open, and the
   * process may be about to exit); the descriptor is closed — which frees the blocks — in the
   * thread pool once no write is in flight, never earlier, so a pending write cannot land in a
   * file that reused the descriptor number.
   */
  abort(): void {
    this.failure ??= new PersistenceError('aborted');
    this.queue.length = 0;
    this.queued = 0;
    try {
      fs.rmSync(this.tempPath, { force: true });
    } catch {
      // nothing to remove, or the directory went away: nothing left to clean
    }
    void this.close();
  }
}
