/**
 * Loads decoded snapshot records into the keyspace (a `SnapshotVisitor`): used at start-up for the
 * snapshot file and for an AOF's snapshot preamble.
 *
 * A record replaces any earlier value of its key; DELETE removes it. A standalone snapshot skips
 * keys whose absolute expiry has passed (Redis does so when loading an RDB as a master); an AOF
 * preamble keeps them, because commands after it in the file were executed while those keys were
 * still alive and must find them (they expire right after loading, through normal expiry).
 * Nothing is signalled or propagated: the server is loading, no client can observe the keyspace.
 */

import { PersistenceError } from '../../errors.js';
import type { Db } from '../keyspace/db.js';
import { ValueType, type StoredValue } from '../keyspace/entry.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import type { SnapshotVisitor } from './snapshot-reader.js';
import { ValueBuilder, type BuilderLimits } from './snapshot-values.js';

export interface KeyspaceLoaderOptions {
  /** Drop keys already expired at `now` (snapshot files), keep them (AOF preamble). */
  skipExpired: boolean;
  now: number;
  limits: BuilderLimits;
  /** Called once per key loaded (key-load-delay). */
  onKey?: () => void;
  /** Function libraries already present are replaced (default) or make loading fail. */
  replaceExtras?: boolean;
}

export class KeyspaceLoader implements SnapshotVisitor {
  keysLoaded = 0;
  keysExpired = 0;
  readonly auxFields = new Map<string, string>();
  private db: Db;
  private builder: ValueBuilder | null = null;
  private builderKey = '';
  private builderExpire = -1;

  constructor(
    private readonly keyspace: Keyspace,
    private readonly opts: KeyspaceLoaderOptions,
  ) {
    this.db = keyspace.dbs[0]!;
  }

  aux(name: string, value: string): void {
    if (this.keyspace.extras?.load(name, value, this.opts.replaceExtras ?? true) === true) return;
    this.auxFields.set(name, value);
  }

  selectDb(n: number): void {
    const db = this.keyspace.dbs[n];
    if (db === undefined) {
      throw new PersistenceError(
        `Data file was created with a server configured to handle more than ${this.keyspace.dbs.length} databases`,
      );
    }
    this.db = db;
  }

  string(key: string, value: string, expireAt: number): void {
    this.put(key, ValueType.STRING, value, expireAt);
  }

  beginCollection(type: ValueType, key: string, expireAt: number): void {
    this.builder = new ValueBuilder(type, this.opts.limits);
    this.builderKey = key;
    this.builderExpire = expireAt;
  }

  items(strs: readonly string[], scores: Float64Array | null, count: number): void {
    this.builder!.add(strs, scores, count);
  }

  endCollection(): void {
    const b = this.builder!;
    this.builder = null;
    const value = b.finish();
    if (value === null) this.deleteKey(this.builderKey);
    else this.put(this.builderKey, b.type, value, this.builderExpire);
  }

  deleteKey(key: string): void {
    const e = this.db.dict.get(key);
    if (e !== undefined) this.db.remove(e);
  }

  private put(key: string, type: ValueType, value: StoredValue, expireAt: number): void {
    this.deleteKey(key);
    this.opts.onKey?.();
    if (this.opts.skipExpired && expireAt !== -1 && expireAt <= this.opts.now) {
      this.keysExpired++;
      return;
    }
    const e = this.db.add(key, type, value);
    if (expireAt !== -1) this.db.setExpire(e, expireAt);
    this.keysLoaded++;
  }
}
