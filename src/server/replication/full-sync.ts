/**
 * One full synchronization to one replica: the keyspace is walked by a SnapshotJob (the same
 * time-bounded fuzzy walk made exact by a redo set that background saves use) and the snapshot
 * writer's chunks go straight to the replica's socket, framed as Redis's diskless transfer:
 * `$EOF:<40-char mark>\r\n` + payload + mark. The payload is our snapshot format (magic `RCSNAP`,
 * not `REDIS`), so a real redis-server replica refuses it loudly.
 *
 * The snapshot describes the dataset at T1, the instant its EOF is written; right after the mark
 * we send `:<offset at T1>\r\n` (private to our nodes), and the replica's command stream starts
 * with the bytes propagated after T1. Stepping pauses while the socket holds over HIGH_WATER.
 *
 * For the legacy SYNC command (no PSYNC: what Redis's test suite uses to read a node's stream)
 * the payload is framed as Redis frames a disk-based transfer, `$<length>\r\n` + payload with no
 * trailer, so it is held in memory until the walk ends.
 */

import { ReplicationError } from '../../errors.js';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Db } from '../keyspace/db.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import { SnapshotJob } from '../persistence/snapshot-job.js';
import { ChunkPool, SnapshotWriter } from '../persistence/snapshot-writer.js';

const STEP_MS = 2;
const HIGH_WATER = 8 * 1024 * 1024;

export class FullSync {
  private readonly job: SnapshotJob;
  private readonly mark = randomBytes(20).toString('hex');
  private cancelled = false;
  private readonly tick = (): void => this.run();
  /** Legacy SYNC: the payload's chunks, sent once its length is known. */
  private readonly held: Buffer[] | null;

  constructor(
    keyspace: Keyspace,
    private readonly socket: Socket,
    aux: readonly (readonly [string, string])[],
    /** Called synchronously right after EOF was written: returns the stream offset at T1. */
    private readonly atEnd: () => number,
    private readonly failed: (err: Error) => void,
    legacy = false,
  ) {
    this.held = legacy ? [] : null;
    // The socket keeps each chunk until written; the writer takes a fresh one after each hand-off.
    const writer = new SnapshotWriter((chunk) => {
      if (this.cancelled) return;
      if (this.held !== null) this.held.push(chunk);
      else socket.write(chunk);
    }, new ChunkPool(256 * 1024, 0));
    if (!legacy) socket.write(`$EOF:${this.mark}\r\n`);
    writer.header(aux);
    this.job = new SnapshotJob(keyspace, writer);
  }

  start(): void {
    setImmediate(this.tick);
  }

  keyModified(db: Db, key: string): void {
    this.job.keyModified(db, key);
  }

  /** FLUSHALL/FLUSHDB/SWAPDB: what was sent no longer describes one instant. */
  invalidate(): void {
    this.job.stale = true;
  }

  cancel(): void {
    this.cancelled = true;
  }

  private run(): void {
    if (this.cancelled || this.socket.destroyed) return;
    if (this.job.stale) return this.failed(new ReplicationError('dataset flushed during the transfer'));
    if (this.socket.writableLength > HIGH_WATER) {
      this.socket.once('drain', this.tick);
      return;
    }
    let finished: boolean;
    try {
      finished = this.job.step(STEP_MS);
    } catch (err) {
      return this.failed(err instanceof Error ? err : new ReplicationError(String(err)));
    }
    if (!finished) {
      setImmediate(this.tick);
      return;
    }
    if (this.held !== null) {
      const payload = Buffer.concat(this.held);
      this.socket.write(`$${payload.length}\r\n`);
      this.socket.write(payload);
      this.atEnd();
      return;
    }
    const offset = this.atEnd();
    this.socket.write(`${this.mark}:${offset}\r\n`);
  }
}
