/**
 * AOF rewrite (BGREWRITEAOF, automatic rewrites, turning `appendonly` on at run time): the new
 * file is a snapshot preamble of the dataset followed by the commands that come after it, built
 * without blocking and swapped in atomically.
 *
 * Sequence (crash analysis in docs/server.md):
 * 1. A background save writes the preamble to `temp-rewriteaof-bg-<pid>-<n>.aof`; the old AOF
 *    keeps receiving every write meanwhile, so a crash loses nothing the old file had.
 * 2. At T1, in the step that writes the preamble's EOF: the writer's pending batch (writes from
 *    before T1, already in the preamble) goes to the old file only, then the new file becomes a
 *    second target: every later batch goes to both files.
 * 3. The temp file is fsynced, renamed over the AOF name, the directory fsynced; only then is the
 *    old file dropped. Under `appendfsync always` a reply in the window waits for both fsyncs.
 * On failure the new target is dropped and the temp file removed; the old AOF was never touched.
 */

import fs from 'node:fs';
import { PersistenceError } from '../../errors.js';
import { AofWriter, type AofTarget, type FsyncPolicy } from './aof-writer.js';
import { BackgroundSave, writeSnapshotSync } from './background-save.js';
import { DurableFile } from './durable-file.js';
import type { ServerContext } from '../dispatch/context.js';

export type AofState = 'off' | 'on' | 'wait-rewrite';

export interface BackgroundJob {
  readonly kind: 'rdb' | 'aof';
  readonly save: BackgroundSave;
}

/** The persistence state a rewrite reads and updates (the Persistence feature implements it). */
export interface AofRewriteHost {
  readonly server: ServerContext;
  readonly aofPath: string;
  readonly keyDelayUs: number;
  readonly started: boolean;
  readonly flushAof: () => void;
  aof: AofWriter | null;
  aofState: AofState;
  bg: BackgroundJob | null;
  aofRewriteScheduled: boolean;
  aofRewriteFailures: number;
  aofRewrites: number;
  aofBaseSize: number;
  lastRewriteOk: boolean;
  lastRewriteSecs: number;
  tempPath(kind: 'rdb' | 'aof'): string;
  aux(preamble: boolean): [string, string][];
  installAof(writer: AofWriter): void;
  uninstallAof(): void;
  cancelBackground(): void;
}

/** Starts a background rewrite (false when it could not start; logged). */
export function startRewrite(p: AofRewriteHost): boolean {
  let target: AofTarget | null = null;
  let save: BackgroundSave;
  try {
    save = new BackgroundSave(
      p.server.keyspace,
      p.aofPath,
      p.tempPath('aof'),
      {
        atEnd: (s) => (target = attach(p, s)),
        publish: (s) => publish(p, s, target),
        done: (s, err) => finished(p, s, target, err),
      },
      p.aux(true),
      p.keyDelayUs,
    );
  } catch (err) {
    p.lastRewriteOk = false;
    p.aofRewriteFailures++;
    p.server.log.warning(`Can't rewrite append only file in background: ${String(err)}`);
    return false;
  }
  save.beforeStep = p.flushAof;
  save.onCancel = () => {
    if (target !== null) p.aof?.removeTarget(target);
  };
  p.bg = { kind: 'aof', save };
  p.aofRewriteScheduled = false;
  p.server.log.notice('Background append only file rewriting started');
  save.start();
  return true;
}

/** T1: the preamble is complete; later batches go to the new file too. */
function attach(p: AofRewriteHost, s: BackgroundSave): AofTarget | null {
  if (p.aofState === 'off') return null;
  const target: AofTarget = { fd: s.file.detach(), pos: s.file.size, path: s.file.tempPath };
  if (p.aof !== null) {
    p.aof.flushBatch();
    p.aof.addTarget(target);
  } else {
    const policy = p.server.config.str('appendfsync') as FsyncPolicy;
    p.installAof(new AofWriter([target], policy, p.server.keyspace, p.server.log));
  }
  return target;
}

async function publish(p: AofRewriteHost, s: BackgroundSave, target: AofTarget | null): Promise<void> {
  await s.file.publish();
  if (target === null) {
    await s.file.close();
    return;
  }
  target.path = p.aofPath;
  const w = p.aof;
  if (w !== null) for (const t of [...w.targets]) if (t !== target) w.removeTarget(t);
}

function finished(p: AofRewriteHost, s: BackgroundSave, target: AofTarget | null, err: Error | null): void {
  if (p.bg?.save === s) p.bg = null;
  p.lastRewriteSecs = Math.round((Date.now() - s.startedAt) / 1000);
  if (err !== null) {
    if (target !== null) p.aof?.removeTarget(target);
    p.lastRewriteOk = false;
    p.aofRewriteFailures++;
    p.server.log.warning(`Background AOF rewrite failed: ${err.message}`);
    // Turning AOF on needs a first file: try again from the cron.
    if (p.aofState === 'wait-rewrite') p.aofRewriteScheduled = true;
    return;
  }
  p.lastRewriteOk = true;
  p.aofRewriteFailures = 0;
  p.aofRewrites++;
  p.aofBaseSize = s.file.size;
  p.server.log.notice('Background AOF rewrite terminated with success');
  p.server.log.notice('Background AOF rewrite finished successfully');
}

/** CONFIG SET appendonly yes|no at run time. */
export function appendonlyChanged(p: AofRewriteHost, on: boolean): void {
  if (!p.started) return;
  if (!on) {
    if (p.aofState === 'off') return;
    if (p.bg?.kind === 'aof') p.cancelBackground();
    p.uninstallAof();
    p.aofState = 'off';
    p.server.log.notice('AOF disabled');
    return;
  }
  if (p.aofState !== 'off') return;
  p.aofState = 'wait-rewrite';
  if (p.bg?.kind === 'aof') return; // the running rewrite installs the writer at its end
  if (p.bg !== null) {
    p.aofRewriteScheduled = true;
    p.server.log.notice('AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
    return;
  }
  startRewrite(p);
}

/** Opens an existing AOF for appending at `size` (after loading, and any truncation). */
export function openExisting(p: AofRewriteHost, size: number): void {
  const fd = fs.openSync(p.aofPath, 'r+');
  const policy = p.server.config.str('appendfsync') as FsyncPolicy;
  p.installAof(new AofWriter([{ fd, pos: size, path: p.aofPath }], policy, p.server.keyspace, p.server.log));
  p.aofBaseSize = size;
}

/**
 * Writes the whole AOF now from the dataset (a preamble), publishes it and installs the writer:
 * at start-up when `appendonly yes` finds no AOF, and at shutdown while the first rewrite after
 * turning AOF on has not finished (Redis refuses to exit then; we finish the file instead).
 */
export function createAofSync(p: AofRewriteHost): void {
  const file = new DurableFile(p.aofPath, p.tempPath('aof'), true);
  try {
    writeSnapshotSync(p.server.keyspace, file, p.aux(true));
    file.publishSync();
  } catch (err) {
    file.abort();
    throw new PersistenceError(`Can't create the append only file ${p.aofPath}: ${String(err)}`, { cause: err });
  }
  const target = { fd: file.detach(), pos: file.size, path: p.aofPath };
  const policy = p.server.config.str('appendfsync') as FsyncPolicy;
  p.installAof(new AofWriter([target], policy, p.server.keyspace, p.server.log));
  p.aofBaseSize = file.size;
}
