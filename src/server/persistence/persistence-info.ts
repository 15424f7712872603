/**
 * INFO persistence, with Redis 7.0's field names and order (fork/COW fields are 0: there is no
 * child process). `current_save_keys_*` report the background walk; `loading_*` appear while
 * loading. One ringcache field is appended: `aof_fsync_lag_max_ms`, the longest time written AOF
 * data waited for its fsync — the power-loss window actually observed under `everysec`.
 */

import type { ServerContext } from '../dispatch/context.js';
import { persistenceOf } from './persistence.js';

type Field = [string, string | number];

function secondsSince(ms: number): number {
  return ms === 0 ? -1 : Math.floor((Date.now() - ms) / 1000);
}

export function persistenceInfo(server: ServerContext): Field[] {
  const p = persistenceOf(server);
  const bg = p.bg;
  const rdbRunning = bg?.kind === 'rdb';
  const aofRunning = bg?.kind === 'aof';
  const out: Field[] = [
    ['loading', server.loading ? 1 : 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', bg?.save.job.keysProcessed ?? 0],
    ['current_save_keys_total', bg?.save.job.keysTotal ?? 0],
    ['rdb_changes_since_last_save', server.dirty],
    ['rdb_bgsave_in_progress', rdbRunning ? 1 : 0],
    ['rdb_last_save_time', Math.floor(p.lastSave / 1000)],
    ['rdb_last_bgsave_status', p.lastBgsaveOk ? 'ok' : 'err'],
    ['rdb_last_bgsave_time_sec', p.lastBgsaveSecs],
    ['rdb_current_bgsave_time_sec', rdbRunning ? secondsSince(bg.save.startedAt) : -1],
    ['rdb_saves', p.rdbSaves],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', p.loadKeysExpired],
    ['rdb_last_load_keys_loaded', p.loadKeysLoaded],
    ['aof_enabled', p.aofState === 'off' ? 0 : 1],
    ['aof_rewrite_in_progress', aofRunning ? 1 : 0],
    ['aof_rewrite_scheduled', p.aofRewriteScheduled ? 1 : 0],
    ['aof_last_rewrite_time_sec', p.lastRewriteSecs],
    ['aof_current_rewrite_time_sec', aofRunning ? secondsSince(bg.save.startedAt) : -1],
    ['aof_last_bgrewrite_status', p.lastRewriteOk ? 'ok' : 'err'],
    ['aof_rewrites', p.aofRewrites],
    ['aof_rewrites_consecutive_failures', p.aofRewriteFailures],
    ['aof_last_write_status', (p.aof?.lastError ?? null) === null ? 'ok' : 'err'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
  const w = p.aof;
  if (p.aofState !== 'off') {
    out.push(
      ['aof_current_size', w?.size ?? 0],
      ['aof_base_size', p.aofBaseSize],
      ['aof_pending_rewrite', p.aofRewriteScheduled ? 1 : 0],
      ['aof_buffer_length', w?.pendingBytes ?? 0],
      ['aof_pending_bio_fsync', w?.fsyncInFlight === true ? 1 : 0],
      ['aof_delayed_fsync', w?.delayedFsyncs ?? 0],
    );
  }
  if (server.loading) {
    const elapsed = (Date.now() - p.loadingStartedAt) / 1000;
    const { totalBytes, loadedBytes } = p.progress;
    const perc = totalBytes > 0 ? (loadedBytes * 100) / totalBytes : 0;
    const eta = loadedBytes > 0 && elapsed > 0 ? Math.round((totalBytes - loadedBytes) / (loadedBytes / elapsed)) : 1;
    out.push(
      ['loading_start_time', Math.floor(p.loadingStartedAt / 1000)],
      ['loading_total_bytes', totalBytes],
      ['loading_rdb_used_mem', 0],
      ['loading_loaded_bytes', loadedBytes],
      ['loading_loaded_perc', perc.toFixed(2)],
      ['loading_eta_seconds', eta],
    );
  }
  if (w !== null) out.push(['aof_fsync_lag_max_ms', w.maxSyncLagMs]);
  return out;
}
