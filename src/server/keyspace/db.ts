/**
 * One numbered database: the key → Entry map, the slot tables for SCAN and sampling, and the
 * read and write chokepoints every handler goes through.
 *
 * - `lookupRead` is the only read path: lazy expiry, hit/miss stats, access stamp (Redis lookupKeyRead),
 *   hot-key sampling of hits and misses.
 * - `lookupWrite` is the write-side lookup: lazy expiry without stats (lookupKeyWrite).
 * - Every change a handler makes ends with `keyspace.signalModified(db, key)` (signalModifiedKey),
 *   which the keyspace forwards to WATCH, client tracking and keyspace notifications.
 * Memory: `add`/`remove`/`clear` keep `memBytes` and the keyspace's used-memory account in step;
 * a changed value is re-measured at signalModified.
 * Replicas never delete on their own clock: an expired key reads as missing but stays until the
 * master's DEL arrives.
 */

import { Entry, ValueType, type StoredValue } from './entry.js';
import { SlotTable } from './slot-table.js';
import { entryBytes, type UsedMemory } from './used-memory.js';
import type { StringValue } from './string-value.js';

/** What a Db needs from the keyspace that owns it (Keyspace implements it). */
export interface DbOwner {
  readonly stats: { keyspaceHits: number; keyspaceMisses: number };
  readonly memory: UsedMemory;
  /** Lazy expiry: true when the entry has expired (and was deleted on a master). */
  expireIfNeeded(db: Db, e: Entry): boolean;
  touchAccess(e: Entry): void;
  /** Access sampling (Keyspace): a read of a missing key counts too (touchAccess counts the others). */
  accessSampleLeft: number;
  onSampledAccess(key: string): void;
  initialStamp(): number;
  /** Called after a key is created (keyspace notifications' `new` event), or null. */
  readonly onNewKey: ((db: Db, key: string) => void) | null;
}

/**
 * The latest absolute expiry kept (ms): Redis allows up to int64, but a JS number is exact only
 * to 2^53 (year 287,396), and snapshots, AOF and replicas must read back exactly what was set.
 */
export const MAX_EXPIRE_AT = Number.MAX_SAFE_INTEGER;

export class Db {
  readonly id: number;
  private readonly keyspace: DbOwner;
  /** key → entry. Exposed read-only for whole-db walks (KEYS, snapshots, DEBUG DIGEST). */
  dict = new Map<string, Entry>();
  slots = new SlotTable<'slot', Entry>('slot');
  volatile = new SlotTable<'vslot', Entry>('vslot');
  /** Σ entry.mem of this database's entries (moves with the dict on SWAPDB). */
  memBytes = 0;
  constructor(id: number, keyspace: DbOwner) {
    this.id = id;
    this.keyspace = keyspace;
  }

  get size(): number {
    return this.dict.size;
  }

  get expiresCount(): number {
    return this.volatile.size;
  }

  /** Entry for `key` with lazy expiry; counts a hit or miss and stamps the access time. */
  lookupRead(key: string): Entry | undefined {
    const ks = this.keyspace;
    const e = this.dict.get(key);
    if (e === undefined || (e.expireAt !== -1 && ks.expireIfNeeded(this, e))) {
      ks.stats.keyspaceMisses++;
      // A key read while missing is hot too (a cache miss storm): it counts for hot-key sampling.
      if (--ks.accessSampleLeft === 0) ks.onSampledAccess(key);
      return undefined;
    }
    ks.stats.keyspaceHits++;
    ks.touchAccess(e);
    return e;
  }

  /**
   * lookupRead without the access stamp (Redis LOOKUP_NOTOUCH): EXISTS, TYPE and the TTL family
   * count a hit or miss but leave the key's idle time alone.
   */
  lookupReadNoTouch(key: string): Entry | undefined {
    const ks = this.keyspace;
    const e = this.dict.get(key);
    if (e === undefined || (e.expireAt !== -1 && ks.expireIfNeeded(this, e))) {
      ks.stats.keyspaceMisses++;
      return undefined;
    }
    ks.stats.keyspaceHits++;
    return e;
  }

  /** Entry for `key` with lazy expiry, for commands that are about to change it. */
  lookupWrite(key: string): Entry | undefined {
    const e = this.dict.get(key);
    if (e === undefined || (e.expireAt !== -1 && this.keyspace.expireIfNeeded(this, e))) return undefined;
    this.keyspace.touchAccess(e);
    return e;
  }

  /** Entry for `key` honouring expiry but without stats or access stamps (EXISTS-like checks, SCAN). */
  peek(key: string): Entry | undefined {
    const e = this.dict.get(key);
    if (e === undefined || (e.expireAt !== -1 && this.keyspace.expireIfNeeded(this, e))) return undefined;
    return e;
  }

  /** Adds a new key (the caller checked it is absent). Does not signal: the caller does. */
  add(key: string, type: ValueType, value: StoredValue): Entry {
    const e = new Entry(key, type, value, this.keyspace.initialStamp());
    this.dict.set(key, e);
    this.slots.add(e);
    e.mem = entryBytes(e);
    this.account(e.mem);
    const onNew = this.keyspace.onNewKey;
    if (onNew !== null) onNew(this, key);
    return e;
  }

  /**
   * Sets `key` to a string value, creating or overwriting any type (SET semantics). The TTL is
   * cleared unless `keepTtl`. Does not signal.
   */
  setString(key: string, value: StringValue, keepTtl = false): Entry {
    const e = this.dict.get(key);
    if (e === undefined) return this.add(key, ValueType.STRING, value);
    e.type = ValueType.STRING;
    e.value = value;
    if (!keepTtl && e.expireAt !== -1) this.persist(e);
    this.keyspace.touchAccess(e);
    return e;
  }

  /** Replaces the value of an existing entry with another type's value (e.g. STORE commands). */
  replace(e: Entry, type: ValueType, value: StoredValue): void {
    e.type = type;
    e.value = value;
  }

  /** Removes an entry. Does not signal. */
  remove(e: Entry): void {
    if (this.dict.get(e.key) !== e) return;
    this.dict.delete(e.key);
    this.slots.remove(e);
    this.account(-e.mem);
    if (e.expireAt !== -1) {
      this.volatile.remove(e);
      e.expireAt = -1;
    }
  }

  /** Removes `key` if present (expired keys count as absent); true when something was deleted. */
  delete(key: string): boolean {
    const e = this.peek(key);
    if (e === undefined) return false;
    this.remove(e);
    return true;
  }

  /** Sets an absolute expiry (ms). */
  setExpire(e: Entry, at: number): void {
    if (e.expireAt === -1) this.volatile.add(e);
    e.expireAt = at;
  }

  /** Clears the expiry; true when the key had one. */
  persist(e: Entry): boolean {
    if (e.expireAt === -1) return false;
    this.volatile.remove(e);
    e.expireAt = -1;
    return true;
  }

  /** Re-measures an entry after its value changed (the keyspace calls it from signalModified). */
  remeasure(e: Entry): void {
    const bytes = entryBytes(e);
    this.account(bytes - e.mem);
    e.mem = bytes;
  }

  private account(delta: number): void {
    this.memBytes += delta;
    this.keyspace.memory.dataset += delta;
  }

  /** Drops every key. Does not signal. */
  clear(): void {
    this.account(-this.memBytes);
    this.dict.clear();
    this.slots.clear();
    this.volatile.clear();
  }

  /** Swaps contents with another database in O(1) (SWAPDB): entries do not point at their Db. */
  swapWith(other: Db): void {
    const dict = this.dict;
    const slots = this.slots;
    const volatile = this.volatile;
    const memBytes = this.memBytes;
    this.dict = other.dict;
    this.slots = other.slots;
    this.volatile = other.volatile;
    other.dict = dict;
    other.slots = slots;
    other.volatile = volatile;
    this.memBytes = other.memBytes;
    other.memBytes = memBytes;
  }
}
