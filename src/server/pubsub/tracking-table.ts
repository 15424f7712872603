/**
 * The data of client tracking (Redis tracking.c TrackingTable / PrefixTable), without I/O:
 *
 * - `KeyTable`: key → ids of the clients that read it (default mode). One table for all
 *   databases, as Redis's. A key is forgotten when it is invalidated (`take`), so a second write
 *   sends nothing until someone reads the key again. Most keys are read by one client, so an entry
 *   holds a bare id and becomes a Set only when a second client reads it. Insertion order is kept:
 *   `oldest()` is the key the size limit (`tracking-table-max-keys`) invalidates first.
 * - `PrefixTable`: BCAST prefix → subscribed clients and the keys changed under it since the last
 *   broadcast, each with the client that changed it last (NOLOOP filtering).
 *
 * Invariant: `items` is the number of (key, client) pairs in the key table (INFO
 * tracking_total_items); ids of clients that are gone stay until their keys are invalidated.
 */

export class KeyTable {
  private readonly keys = new Map<string, number | Set<number>>();
  /** (key, client) pairs, Redis TrackingTableTotalItems. */
  items = 0;

  get size(): number {
    return this.keys.size;
  }

  /** Remembers that client `id` read `key`; true when the pair is new. */
  remember(key: string, id: number): boolean {
    const cur = this.keys.get(key);
    if (cur === undefined) {
      this.keys.set(key, id);
    } else if (typeof cur === 'number') {
      if (cur === id) return false;
      this.keys.set(key, new Set([cur, id]));
    } else {
      if (cur.has(id)) return false;
      cur.add(id);
    }
    this.items++;
    return true;
  }

  /** Removes `key` and returns the ids that tracked it (undefined when none did). */
  take(key: string): number | Set<number> | undefined {
    const cur = this.keys.get(key);
    if (cur === undefined) return undefined;
    this.keys.delete(key);
    this.items -= typeof cur === 'number' ? 1 : cur.size;
    return cur;
  }

  /** The key remembered longest ago (the first to go when the table is over its limit). */
  oldest(): string | undefined {
    for (const k of this.keys.keys()) return k;
    return undefined;
  }

  clear(): void {
    this.keys.clear();
    this.items = 0;
  }
}

/** One BCAST prefix: who listens, and what changed since the last broadcast (key → last writer). */
export interface PrefixState<C> {
  readonly clients: Set<C>;
  keys: Map<string, C | null>;
}

export class PrefixTable<C> {
  readonly prefixes = new Map<string, PrefixState<C>>();
  /** Prefixes in byte order (Redis iterates its radix tree), rebuilt when the set changes. */
  private order: string[] | null = null;
  /** True when some prefix has keys waiting for the next broadcast. */
  pending = false;

  get size(): number {
    return this.prefixes.size;
  }

  /** Adds client `c` under `prefix`; false when it was already there. */
  add(prefix: string, c: C): boolean {
    let st = this.prefixes.get(prefix);
    if (st === undefined) {
      st = { clients: new Set(), keys: new Map() };
      this.prefixes.set(prefix, st);
      this.order = null;
    }
    if (st.clients.has(c)) return false;
    st.clients.add(c);
    return true;
  }

  /** Removes client `c` from `prefix`, dropping the prefix with its last client. */
  remove(prefix: string, c: C): void {
    const st = this.prefixes.get(prefix);
    if (st === undefined) return;
    st.clients.delete(c);
    if (st.clients.size === 0) {
      this.prefixes.delete(prefix);
      this.order = null;
    }
  }

  /** Records a change of `key` by `writer` (null: expiry, eviction) under every matching prefix. */
  record(key: string, writer: C | null): void {
    for (const [prefix, st] of this.prefixes) {
      if (prefix.length > key.length || !key.startsWith(prefix)) continue;
      st.keys.set(key, writer);
      this.pending = true;
    }
  }

  /** Prefixes in byte order. */
  sorted(): readonly string[] {
    this.order ??= [...this.prefixes.keys()].sort();
    return this.order;
  }
}

/** True when one of two prefixes starts the other (Redis stringCheckPrefix): they overlap. */
export function prefixesOverlap(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n) === b.slice(0, n);
}
