/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE] (Redis debug.c): save the snapshot file, empty the
 * dataset (function libraries included), load the file back — synchronously, like Redis. With
 * NOFLUSH and without MERGE, a function library already present makes the load fail.
 */

import { readFileSync } from 'node:fs';
import type { Persistence } from './persistence.js';
import { KeyspaceLoader } from './snapshot-loader.js';
import { SnapshotReader } from './snapshot-reader.js';
import { limits } from './startup-load.js';

/** Runs DEBUG RELOAD with its options (argv[2…]); returns null on success, else the error reply. */
export function debugReload(p: Persistence, options: readonly string[]): string | null {
  let merge = false;
  let flush = true;
  let save = true;
  for (const o of options) {
    const opt = o.toLowerCase();
    if (opt === 'merge') merge = true;
    else if (opt === 'noflush') flush = false;
    else if (opt === 'nosave') save = false;
    else return 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.';
  }
  if (save && !p.saveNow()) return 'ERR';
  const keyspace = p.server.keyspace;
  if (flush) {
    keyspace.flush(null);
    keyspace.extras?.clear();
  }
  try {
    const loader = new KeyspaceLoader(keyspace, { skipExpired: true, now: Date.now(), limits: limits(p), replaceExtras: merge });
    const reader = new SnapshotReader(loader);
    reader.push(readFileSync(p.rdbPath));
    reader.run(() => false);
    reader.end();
  } catch (err) {
    p.server.log.warning(`Error loading ${p.rdbPath} for DEBUG RELOAD: ${err instanceof Error ? err.message : String(err)}`);
    return 'ERR Error trying to load the RDB dump, check server logs.';
  }
  p.server.log.warning('DB reloaded by DEBUG RELOAD');
  return null;
}
