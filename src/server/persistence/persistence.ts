/**
 * The persistence feature: owns the AOF writer, the one background save or rewrite that may run
 * at a time (as Redis allows one child), their statistics, and the policy around them — the save
 * rules and automatic rewrites (cron), `appendonly`/`appendfsync` changes at run time, what
 * SHUTDOWN and SIGTERM flush and save, and the -MISCONF refusal after a disk error.
 *
 * Flows live in their own files: start-up loading (startup-load.ts), the AOF rewrite and its
 * switch (aof-rewrite.ts), the commands (persistence-commands.ts), INFO (persistence-info.ts).
 *
 * Invariants: at most one background job (`bg`); while AOF is on, the writer is both a
 * propagation sink and the server's flush gate, and neither is installed while loading.
 */

import fs from 'node:fs';
import { join, resolve } from 'node:path';
import { ExtKey, getExt, setExt, type ServerContext, type ShutdownRequest } from '../dispatch/context.js';
import type { FeatureHost } from '../feature-contract.js';
import type { Db } from '../keyspace/db.js';
import { appendonlyChanged, createAofSync, startRewrite, type AofRewriteHost, type AofState, type BackgroundJob } from './aof-rewrite.js';
import type { AofWriter, FsyncPolicy } from './aof-writer.js';
import { BackgroundSave, saveSync } from './background-save.js';
import { dueRule, parseSaveRules, type SaveRule } from './save-rules.js';
import { VERSION } from './snapshot-format.js';

export const PERSISTENCE = new ExtKey<Persistence>('persistence');

const MISCONF_RDB =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

export class Persistence implements AofRewriteHost {
  aof: AofWriter | null = null;
  aofState: AofState = 'off';
  bg: BackgroundJob | null = null;
  rdbScheduled = false;
  aofRewriteScheduled = false;
  /** True once start-up loading finished (config changes act from then on). */
  started = false;
  // Statistics (INFO persistence).
  lastSave = Date.now();
  lastBgsaveOk = true;
  lastBgsaveTry = 0;
  lastBgsaveSecs = -1;
  rdbSaves = 0;
  aofRewrites = 0;
  aofRewriteFailures = 0;
  lastRewriteOk = true;
  lastRewriteSecs = -1;
  aofBaseSize = 0;
  loadKeysLoaded = 0;
  loadKeysExpired = 0;
  loadingStartedAt = 0;
  readonly progress = { totalBytes: 0, loadedBytes: 0 };
  private rules: SaveRule[] = [];
  /** Writes the AOF batch of this turn now (see BackgroundSave.beforeStep). */
  readonly flushAof = (): void => {
    if (this.aof !== null && this.aof.pendingBytes > 0) this.aof.flushBatch();
  };
  private tempSeq = 0;

  constructor(readonly server: FeatureHost) {
    server.config.watch('save', (v) => (this.rules = parseSaveRules(String(v))));
    server.config.watch('appendonly', (v) => appendonlyChanged(this, v === true));
    server.config.watch('appendfsync', (v) => {
      if (this.aof !== null) this.aof.policy = v as FsyncPolicy;
    });
  }

  get saveRules(): readonly SaveRule[] {
    return this.rules;
  }

  get dir(): string {
    return resolve(this.server.config.str('dir'));
  }

  get rdbPath(): string {
    return join(this.dir, this.server.config.str('dbfilename'));
  }

  get aofPath(): string {
    return join(this.dir, this.server.config.str('appendfilename'));
  }

  /** A fresh temp name in `dir` (unique: an aborted save may still be removing its own). */
  tempPath(kind: 'rdb' | 'aof'): string {
    const n = ++this.tempSeq;
    return join(this.dir, kind === 'rdb' ? `temp-${process.pid}-${n}.rcdb` : `temp-rewriteaof-bg-${process.pid}-${n}.aof`);
  }

  /** Aux fields written into every snapshot header. */
  aux(preamble: boolean): [string, string][] {
    return [
      ['format', String(VERSION)],
      ['redis-ver', this.server.version],
      ['ctime', String(Math.floor(Date.now() / 1000))],
      ['aof-preamble', preamble ? '1' : '0'],
    ];
  }

  get keyDelayUs(): number {
    return Math.max(0, this.server.config.int('rdb-key-save-delay'));
  }

  /** Installs the AOF writer as sink and flush gate. */
  installAof(writer: AofWriter): void {
    this.aof = writer;
    this.aofState = 'on';
    this.server.sinks.push(writer);
    this.server.flushGate = writer;
  }

  /** Flushes, fsyncs and removes the AOF writer. */
  uninstallAof(): void {
    const w = this.aof;
    if (w === null) return;
    try {
      w.flushSync();
    } catch (err) {
      this.server.log.warning(`Error flushing the AOF file: ${String(err)}`);
    }
    const i = this.server.sinks.indexOf(w);
    if (i !== -1) this.server.sinks.splice(i, 1);
    if (this.server.flushGate === w) this.server.flushGate = null;
    w.close();
    this.aof = null;
  }

  // ---- background saves -------------------------------------------------------------------------

  /** BGSAVE: starts a background snapshot; false when it could not start (logged). */
  startBgsave(): boolean {
    this.lastBgsaveTry = Date.now();
    let save: BackgroundSave;
    try {
      save = new BackgroundSave(this.server.keyspace, this.rdbPath, this.tempPath('rdb'), {
        atEnd: (s) => (s.dirtyAtEnd = this.server.dirty),
        done: (s, err) => this.bgsaveDone(s, err),
      }, this.aux(false), this.keyDelayUs);
    } catch (err) {
      this.lastBgsaveOk = false;
      this.server.log.warning(`Can't save in background: ${String(err)}`);
      return false;
    }
    save.beforeStep = this.flushAof;
    this.bg = { kind: 'rdb', save };
    this.rdbScheduled = false;
    this.server.log.notice('Background saving started');
    save.start();
    return true;
  }

  private bgsaveDone(save: BackgroundSave, err: Error | null): void {
    if (this.bg?.save === save) this.bg = null;
    this.lastBgsaveSecs = Math.round((Date.now() - save.startedAt) / 1000);
    if (err !== null) {
      this.lastBgsaveOk = false;
      this.server.log.warning(`Background saving error: ${err.message}`);
      return;
    }
    this.lastBgsaveOk = true;
    this.rdbSaves++;
    this.markSaved(save.endedAt, save.dirtyAtEnd);
    this.server.log.notice('Background saving terminated with success');
  }

  /** After a save that captured the dataset at `at`, when `dirty` changes were counted. */
  markSaved(at: number, dirty: number): void {
    this.lastSave = at;
    this.server.ext.set('persistence.lastsave', at);
    this.server.dirty = Math.max(0, this.server.dirty - dirty);
  }

  /** SAVE / shutdown save; true on success (errors logged). */
  saveNow(): boolean {
    const dirty = this.server.dirty;
    const started = Date.now();
    try {
      saveSync(this.server.keyspace, this.rdbPath, this.tempPath('rdb'), this.aux(false));
    } catch (err) {
      this.server.log.warning(`Failed saving the DB: ${String(err)}`);
      return false;
    }
    this.rdbSaves++;
    this.markSaved(started, dirty);
    this.server.log.notice('DB saved on disk');
    return true;
  }

  /** Stops the background job (its temp file is removed). */
  cancelBackground(): void {
    const bg = this.bg;
    if (bg === null) return;
    this.bg = null;
    bg.save.onCancel?.();
    bg.save.cancel();
  }

  /**
   * SHUTDOWN / SIGTERM (Redis finishShutdown's persistence part): stop the background job, write
   * and fsync the AOF, then save a snapshot when asked (SAVE) or when save rules are configured
   * (unless NOSAVE). False when the AOF or the snapshot could not be written (logged); the AOF
   * stays open, so a cancelled shutdown keeps appending to it. `close` ends it at exit.
   */
  shutdown(req: ShutdownRequest): boolean {
    const log = this.server.log;
    if (this.server.loading || !this.started) {
      log.warning('Shutting down while loading: the partial dataset is not saved');
      this.cancelBackground();
      return true;
    }
    if (this.bg !== null) {
      log.warning('There is a background save in progress. Stopping it!');
      this.cancelBackground();
    }
    if (this.aofState === 'wait-rewrite' && this.aof === null) {
      log.notice('Writing the initial AOF before exiting.');
      try {
        createAofSync(this);
      } catch (err) {
        log.warning(`${String(err)}${req.force ? ' Exit anyway.' : " Can't exit."}`);
        return false;
      }
    }
    if (this.aof !== null) {
      log.notice('Calling fsync() on the AOF file.');
      try {
        this.aof.flushSync();
      } catch (err) {
        log.warning(`Fail to fsync the AOF file: ${String(err)}.`);
      }
    }
    if (req.save || (!req.nosave && this.rules.length > 0)) {
      log.notice('Saving the final RDB snapshot before exiting.');
      if (!this.saveNow()) {
        log.warning(req.force ? 'Error trying to save the DB. Exit anyway.' : "Error trying to save the DB, can't exit.");
        return false;
      }
    }
    return true;
  }

  /** The node exits: the AOF is flushed and closed, any background job stopped. */
  close(): void {
    this.cancelBackground();
    this.uninstallAof();
  }

  // ---- keyspace hooks ---------------------------------------------------------------------------

  keyModified(db: Db, key: string): void {
    const bg = this.bg;
    if (bg !== null && bg.save.running) bg.save.job.keyModified(db, key);
  }

  /** FLUSHALL/FLUSHDB/SWAPDB: a walk in progress describes no instant any more; start it over. */
  invalidated(): void {
    const bg = this.bg;
    if (bg === null || !bg.save.running) return;
    this.server.log.notice('Dataset flushed or swapped during a background save: restarting it');
    this.cancelBackground();
    if (bg.kind === 'rdb') this.startBgsave();
    else startRewrite(this);
  }

  // ---- cron, refusals ---------------------------------------------------------------------------

  cron(): void {
    this.aof?.cron();
    if (!this.started || this.server.loading || this.bg !== null) return;
    const now = Date.now();
    if (this.aofRewriteScheduled) {
      startRewrite(this);
      return;
    }
    if (this.rdbScheduled) {
      this.startBgsave();
      return;
    }
    const rule = dueRule(this.rules, { dirty: this.server.dirty, lastSave: this.lastSave, lastTry: this.lastBgsaveTry, lastFailed: !this.lastBgsaveOk }, now);
    if (rule !== null) {
      this.server.log.notice(`${rule.changes} changes in ${rule.seconds} seconds. Saving...`);
      this.startBgsave();
      return;
    }
    if (this.autoRewriteDue()) {
      this.server.log.notice(`Starting automatic rewriting of AOF on ${Math.round(((this.aof!.size - this.aofBaseSize) * 100) / Math.max(1, this.aofBaseSize))}% growth`);
      startRewrite(this);
    }
  }

  private autoRewriteDue(): boolean {
    const cfg = this.server.config;
    const perc = cfg.int('auto-aof-rewrite-percentage');
    if (this.aof === null || this.aofState !== 'on' || perc === 0) return false;
    const size = this.aof.size;
    if (size < cfg.int('auto-aof-rewrite-min-size')) return false;
    const base = Math.max(1, this.aofBaseSize);
    return ((size - base) * 100) / base >= perc;
  }

  /** The -MISCONF text while a disk error stands, else null. */
  refuseWrites(): string | null {
    if (!this.lastBgsaveOk && this.rules.length > 0 && this.server.config.bool('stop-writes-on-bgsave-error')) return MISCONF_RDB;
    const err = this.aof?.lastError ?? this.aof?.fsyncError ?? null;
    return err === null ? null : `MISCONF Errors writing to the AOF file: ${err}`;
  }

  /** Removes temp files a killed process left in `dir` (their pid is gone). */
  removeStaleTemps(): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const m = /^temp-(?:rewriteaof-bg-)?(\d+)-\d+\.(?:rcdb|aof)$/.exec(name);
      if (m === null || Number(m[1]) === process.pid || pidAlive(Number(m[1]))) continue;
      fs.rmSync(join(this.dir, name), { force: true });
    }
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function persistenceOf(server: ServerContext): Persistence {
  return getExt(server.ext, PERSISTENCE)!;
}

export function attachPersistence(server: FeatureHost): Persistence {
  const p = new Persistence(server);
  setExt(server.ext, PERSISTENCE, p);
  return p;
}
