/**
 * Loads the AOF at start-up: the snapshot preamble (if the file starts with one) straight into
 * the keyspace, then every verified batch of commands, replayed through the command handlers by a
 * client that has no connection (Redis's fake AOF client), with the clock set to the batch's time.
 *
 * The file is read in chunks of `loading-process-events-interval-bytes`, decoding in slices of at
 * most SLICE_MS, yielding to the event loop in between so connected clients get -LOADING.
 *
 * Outcomes: a clean end; a torn tail (the file ends inside a batch, or in zero bytes left by a
 * crash) reported as `truncatedAt` for the caller's aof-load-truncated policy; or a DataFileError
 * with the absolute offset (corrupt middle, bad checksum, unknown command) — never a partial load
 * presented as complete.
 */

import fs from 'node:fs';
import type { ServerContext } from '../dispatch/context.js';
import { InternalClient } from '../dispatch/internal-client.js';
import type { CommandSpec } from '../../commands/spec.js';
import { AofReader, type AofCommand } from './aof-reader.js';
import { DataFileError, MAGIC } from './snapshot-format.js';
import { SnapshotReader } from './snapshot-reader.js';
import { KeyspaceLoader } from './snapshot-loader.js';
import type { BuilderLimits } from './snapshot-values.js';

/** Longest synchronous decoding slice while loading (ms). */
export const SLICE_MS = 20;
/** Commands the loader skips: a batch is already atomic (MULTI/EXEC are never written by us). */
const SKIPPED = new Set(['multi', 'exec', 'discard']);

export interface LoadProgress {
  totalBytes: number;
  loadedBytes: number;
}

export interface AofLoadResult {
  keysFromPreamble: number;
  commands: number;
  /** Offset where a torn tail starts, or null when the file ended cleanly. */
  truncatedAt: number | null;
  /** The file's size as read. */
  size: number;
}

export interface AofLoadOptions {
  chunkBytes: number;
  limits: BuilderLimits;
  /** key-load-delay, called per key or command. */
  perItem?: () => void;
  progress: LoadProgress;
}

function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function readChunk(fd: number, buf: Buffer, position: number): Promise<Buffer> {
  const n = await new Promise<number>((resolve, reject) =>
    fs.read(fd, buf, 0, buf.length, position, (err, bytes) => (err === null ? resolve(bytes) : reject(err))),
  );
  return Buffer.from(buf.subarray(0, n));
}

/** True when every byte from `from` to the end of the file is zero (a crash-extended tail). */
function zeroTail(fd: number, from: number, size: number): boolean {
  const buf = Buffer.alloc(64 * 1024);
  for (let pos = from; pos < size; ) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
    if (n <= 0) break;
    for (let i = 0; i < n; i++) if (buf[i] !== 0) return false;
    pos += n;
  }
  return true;
}

export class AofLoader {
  /** The connectionless client that replays the AOF (Redis's fake client). */
  private readonly client: InternalClient;
  private commands = 0;

  constructor(
    private readonly server: ServerContext,
    private readonly opts: AofLoadOptions,
  ) {
    this.client = new InternalClient(server, 0, 0);
  }

  async load(path: string): Promise<AofLoadResult> {
    const fd = fs.openSync(path, 'r');
    try {
      return await this.loadFd(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  private async loadFd(fd: number): Promise<AofLoadResult> {
    const size = fs.fstatSync(fd).size;
    this.opts.progress.totalBytes = size;
    const buf = Buffer.allocUnsafe(Math.max(64 * 1024, this.opts.chunkBytes));
    const first = size === 0 ? Buffer.alloc(0) : await readChunk(fd, buf, 0);
    let pos = first.length;
    const preamble = first.length > 0 && first[0] !== 42;
    if (preamble && first.compare(MAGIC, 0, Math.min(MAGIC.length, first.length), 0, Math.min(MAGIC.length, first.length)) !== 0) {
      throw new DataFileError(0, 'neither a command nor a snapshot preamble');
    }
    const loader = new KeyspaceLoader(this.server.keyspace, { skipExpired: false, now: Date.now(), limits: this.opts.limits, ...(this.opts.perItem ? { onKey: this.opts.perItem } : {}) });
    let snap: SnapshotReader | null = preamble ? new SnapshotReader(loader) : null;
    let aof: AofReader | null = preamble ? null : new AofReader(0, (cmds, t) => this.apply(cmds, t));
    let chunk: Buffer = first;
    for (;;) {
      if (snap !== null) {
        snap.push(chunk);
        if (await this.drain(() => snap!.run(this.stopper())) === 'done') {
          aof = new AofReader(snap.offset, (cmds, t) => this.apply(cmds, t));
          chunk = snap.rest();
          snap = null;
          continue;
        }
      } else {
        aof!.push(chunk);
        try {
          await this.drain(() => aof!.run(this.stopper()));
        } catch (err) {
          // Bytes a crash left as zeros after the last good batch are a torn tail, not corruption.
          if (!(err instanceof DataFileError) || !zeroTail(fd, err.offset, size)) throw err;
          return { keysFromPreamble: loader.keysLoaded, commands: this.commands, truncatedAt: aof!.validEnd, size };
        }
      }
      this.opts.progress.loadedBytes = pos;
      if (pos >= size) break;
      chunk = await readChunk(fd, buf, pos);
      if (chunk.length === 0) break;
      pos += chunk.length;
    }
    if (snap !== null) snap.end();
    const result: AofLoadResult = { keysFromPreamble: loader.keysLoaded, commands: this.commands, truncatedAt: null, size };
    if (aof !== null && aof.hasTail) result.truncatedAt = aof.validEnd;
    return result;
  }

  /** Runs a decoder slice by slice until it needs data; yields to the event loop between slices. */
  private async drain(run: () => string): Promise<string> {
    for (;;) {
      const state = run();
      if (state !== 'paused') return state;
      await yieldTurn();
    }
  }

  private stopper(): () => boolean {
    const deadline = performance.now() + SLICE_MS;
    return () => performance.now() >= deadline;
  }

  /** Replays one verified batch. */
  private apply(cmds: readonly AofCommand[], timeMs: number): void {
    const c = this.client;
    const ks = this.server.keyspace;
    for (const cmd of cmds) {
      const spec = this.resolve(cmd);
      if (spec === null) continue;
      ks.now = timeMs;
      c.spec = spec;
      c.argv = cmd.argv;
      c.propagateAs = null;
      this.server.dispatcher.handlerOf(spec)!(c, cmd.argv);
      c.reply.discard();
      this.commands++;
      this.opts.perItem?.();
    }
  }

  private resolve(cmd: AofCommand): CommandSpec | null {
    const argv = cmd.argv;
    const name = argv[0]!.toLowerCase();
    if (SKIPPED.has(name)) return null;
    let spec = this.server.dispatcher.lookup(name);
    if (spec !== undefined && spec.subcommands !== null && argv.length >= 2) spec = spec.subcommands.get(argv[1]!.toLowerCase()) ?? spec;
    if (spec === undefined || this.server.dispatcher.handlerOf(spec) === null) {
      throw new DataFileError(cmd.offset, `unknown command '${argv[0]!.slice(0, 64)}'`);
    }
    const arity = spec.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      throw new DataFileError(cmd.offset, `wrong number of arguments for '${spec.fullName}'`);
    }
    return spec;
  }
}
