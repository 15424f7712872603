/**
 * Start-up: loads the dataset while the listener already answers (-LOADING, INFO loading:1),
 * then turns the AOF on. Which file is loaded:
 *
 * - `appendonly yes` and the AOF exists → the AOF (a snapshot preamble, then command batches);
 * - otherwise the snapshot file (`dbfilename`) if it exists (Redis 7 ignores the RDB when AOF is
 *   on; we load it when there is no AOF yet, so switching persistence modes keeps the data);
 * - then, with `appendonly yes` and no AOF yet, the AOF is created right away from the loaded
 *   dataset (a synchronous rewrite), so every acknowledged write from now on is in it.
 *
 * A torn AOF tail is cut off (file truncated at the last complete batch) with a warning when
 * `aof-load-truncated yes`, and refused otherwise; a corrupt middle, a bad checksum or an unknown
 * command is always refused. Refusals throw PersistenceError naming the file and the offset.
 */

import fs from 'node:fs';
import { PersistenceError } from '../../errors.js';
import { AofLoader, SLICE_MS, type AofLoadResult } from './aof-loader.js';
import { createAofSync, openExisting } from './aof-rewrite.js';
import type { Persistence } from './persistence.js';
import { DataFileError } from './snapshot-format.js';
import { KeyspaceLoader } from './snapshot-loader.js';
import { SnapshotReader } from './snapshot-reader.js';
import type { BuilderLimits } from './snapshot-values.js';

/** The value builders' encoding limits from the configuration (also used by DEBUG RELOAD). */
export function limits(p: Persistence): BuilderLimits {
  return { hashEntries: p.server.config.int('hash-max-listpack-entries'), hashValue: p.server.config.int('hash-max-listpack-value') };
}

/** key-load-delay: microseconds of busy wait per loaded key or command (tests). */
function perItem(p: Persistence): (() => void) | undefined {
  const us = p.server.config.int('key-load-delay');
  if (us <= 0) return undefined;
  return () => {
    const until = performance.now() + us / 1000;
    while (performance.now() < until) {
      /* deliberately slow loading, as Redis's debugDelay */
    }
  };
}

function chunkBytes(p: Persistence): number {
  return Math.max(64 * 1024, p.server.config.int('loading-process-events-interval-bytes'));
}

function elapsed(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(3);
}

export async function loadAtStart(p: Persistence): Promise<void> {
  const server = p.server;
  p.removeStaleTemps();
  const aofOn = server.config.bool('appendonly');
  const aofExists = aofOn && fs.existsSync(p.aofPath);
  server.loading = true;
  p.loadingStartedAt = Date.now();
  try {
    if (aofExists) await loadAof(p);
    else if (fs.existsSync(p.rdbPath)) await loadSnapshot(p);
  } finally {
    server.loading = false;
    server.dirty = 0;
  }
  // CONFIG SET appendonly during loading counts. Append only to the file the dataset came from;
  // otherwise (none, or a stale one while a snapshot was loaded) write a fresh AOF from it.
  if (server.config.bool('appendonly')) {
    if (aofExists) openExisting(p, fs.statSync(p.aofPath).size);
    else {
      createAofSync(p);
      server.log.notice(`Creating AOF file ${p.aofPath} on server start`);
    }
  }
  p.started = true;
}

export async function loadAof(p: Persistence): Promise<void> {
  const server = p.server;
  const path = p.aofPath;
  const started = Date.now();
  const loader = new AofLoader(server, { chunkBytes: chunkBytes(p), limits: limits(p), progress: p.progress, ...optional(perItem(p)) });
  let result: AofLoadResult;
  try {
    result = await loader.load(path);
  } catch (err) {
    if (err instanceof DataFileError) {
      throw new PersistenceError(`Bad file format reading the append only file ${path} at offset ${err.offset}: ${err.detail}. Make a backup of the file and remove the damaged part (or restore a snapshot) before restarting`, { cause: err });
    }
    throw err;
  }
  if (result.truncatedAt !== null) {
    if (!server.config.bool('aof-load-truncated')) {
      throw new PersistenceError(
        `Unexpected end of file reading the append only file ${path} (incomplete batch from offset ${result.truncatedAt} to ${result.size}). You can: 1) Make a backup of your AOF file, then truncate it at offset ${result.truncatedAt}. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`,
      );
    }
    server.log.warning(`!!! Warning: short read while loading the AOF file ${path}!!!`);
    server.log.warning(`!!! Truncating the AOF ${path} at offset ${result.truncatedAt} (${result.size - result.truncatedAt} bytes of an incomplete batch dropped) !!!`);
    fs.truncateSync(path, result.truncatedAt);
    server.log.warning(`AOF ${path} loaded anyway because aof-load-truncated is enabled`);
  }
  p.loadKeysLoaded = result.keysFromPreamble;
  server.log.notice(`DB loaded from append only file: ${elapsed(started)} seconds (${result.keysFromPreamble} keys from the preamble, ${result.commands} commands)`);
}

async function loadSnapshot(p: Persistence): Promise<void> {
  const server = p.server;
  const path = p.rdbPath;
  const started = Date.now();
  const keys = new KeyspaceLoader(server.keyspace, { skipExpired: true, now: Date.now(), limits: limits(p), ...onKey(perItem(p)) });
  const reader = new SnapshotReader(keys);
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    p.progress.totalBytes = size;
    const buf = Buffer.allocUnsafe(chunkBytes(p));
    for (let pos = 0; pos < size && !reader.finished; ) {
      const n = await new Promise<number>((res, rej) => fs.read(fd, buf, 0, buf.length, pos, (e, b) => (e === null ? res(b) : rej(e))));
      if (n === 0) break;
      reader.push(Buffer.from(buf.subarray(0, n)));
      pos += n;
      p.progress.loadedBytes = pos;
      for (;;) {
        const deadline = performance.now() + SLICE_MS;
        if (reader.run(() => performance.now() >= deadline) !== 'paused') break;
        await new Promise((r) => setImmediate(r));
      }
    }
    reader.end();
  } catch (err) {
    if (err instanceof DataFileError) {
      throw new PersistenceError(`Short read or corrupt snapshot file ${path} at offset ${err.offset}: ${err.detail}`, { cause: err });
    }
    throw err;
  } finally {
    fs.closeSync(fd);
  }
  p.loadKeysLoaded = keys.keysLoaded;
  p.loadKeysExpired = keys.keysExpired;
  server.log.notice(`Done loading snapshot, keys loaded: ${keys.keysLoaded}, keys expired: ${keys.keysExpired}.`);
  server.log.notice(`DB loaded from disk: ${elapsed(started)} seconds`);
}

function optional(fn: (() => void) | undefined): { perItem?: () => void } {
  return fn === undefined ? {} : { perItem: fn };
}

function onKey(fn: (() => void) | undefined): { onKey?: () => void } {
  return fn === undefined ? {} : { onKey: fn };
}
