/**
 * An immutable consistent-hash ring (Karger et al.) with virtual nodes.
 *
 * Each shard contributes round(vnodes × weight) points, hashed from labels derived from its stable
 * NAME (`name#i`), never from its address or list position: the same names give the same ring in
 * any process, in any order, and a failover that changes an address moves no key. Points live in a
 * sorted Uint32Array with a parallel array of owners; lookup is a binary search for the first point
 * at or after the key's hash, wrapping to the start. Two labels that hash to the same point are
 * resolved deterministically: the lexicographically smaller shard name keeps it.
 * Adding or removing a shard returns a new ring; a ring never changes.
 */

import { InvalidArgumentError, RingcacheError } from '../errors.js';
import { keyHash, labelHash } from './key-hash.js';

/** A shard as the ring sees it: a stable name and an optional weight. */
export interface RingShard {
  /** The shard's stable name (the ring's points are hashed from it). */
  readonly name: string;
  /** Scales the shard's virtual nodes (default 1). */
  readonly weight?: number;
}

/** A stretch of the 2^32 hash space owned by one shard: positions in (from, to]. */
export interface RingArc {
  /** The owning shard's name. */
  readonly shard: string;
  /** Start position (exclusive); arcs never wrap: 0 ≤ from < to. */
  readonly from: number;
  /** End position (inclusive), at most 2^32. */
  readonly to: number;
}

/** Options of `new HashRing()`. */
export interface HashRingOptions {
  /** Virtual nodes per shard of weight 1 (default 150). */
  vnodes?: number;
}

/**
 * The consistent-hash ring RingClient places keys with (`client.locate(key)` answers from it), usable on
 * its own: `new HashRing([{ name: 'a' }, { name: 'b' }]).locate('user:1')`. Immutable: withShard /
 * withoutShard return new rings.
 */
export class HashRing {
  /** Virtual nodes per shard of weight 1. */
  readonly vnodes: number;
  private readonly shardList: readonly RingShard[];
  /** Shard names sorted: owner indexes refer into this. */
  private readonly names: readonly string[];
  private readonly points: Uint32Array;
  private readonly owners: Uint32Array;

  /** A ring of these shards (names must be unique; InvalidArgumentError otherwise). */
  constructor(shards: readonly RingShard[], options: HashRingOptions = {}) {
    const vnodes = options.vnodes ?? 150;
    if (!Number.isInteger(vnodes) || vnodes < 1) throw new InvalidArgumentError(`vnodes must be a positive integer, got ${vnodes}`);
    this.vnodes = vnodes;
    const seen = new Set<string>();
    for (const s of shards) {
      if (typeof s.name !== 'string' || s.name === '') throw new InvalidArgumentError('a shard needs a non-empty name');
      if (seen.has(s.name)) throw new InvalidArgumentError(`duplicate shard name '${s.name}'`);
      if (s.weight !== undefined && !(Number.isFinite(s.weight) && s.weight > 0)) {
        throw new InvalidArgumentError(`shard '${s.name}': weight must be a positive number`);
      }
      seen.add(s.name);
    }
    const sorted = [...shards].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.shardList = sorted;
    this.names = sorted.map((s) => s.name);
    const hashes: number[] = [];
    const owner: number[] = [];
    sorted.forEach((s, idx) => {
      const n = Math.max(1, Math.round(vnodes * (s.weight ?? 1)));
      for (let i = 0; i < n; i++) {
        hashes.push(labelHash(`${s.name}#${i}`));
        owner.push(idx);
      }
    });
    const order = hashes.map((_, i) => i).sort((a, b) => hashes[a]! - hashes[b]! || owner[a]! - owner[b]!);
    const points: number[] = [];
    const owners: number[] = [];
    for (const i of order) {
      if (points.length > 0 && points[points.length - 1] === hashes[i]) continue;
      points.push(hashes[i]!);
      owners.push(owner[i]!);
    }
    this.points = Uint32Array.from(points);
    this.owners = Uint32Array.from(owners);
  }

  /** Number of shards. */
  get size(): number {
    return this.names.length;
  }

  /** Number of points on the ring (after collision removal). */
  get pointCount(): number {
    return this.points.length;
  }

  /** Shard names, sorted. */
  shards(): readonly string[] {
    return this.names;
  }

  /** Index (into shards()) of the owner of a ring position. */
  locateHashIndex(hash: number): number {
    const pts = this.points;
    const n = pts.length;
    if (n === 0) throw new RingcacheError('ERR_NO_SHARDS', 'the ring has no shards');
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pts[mid]! < hash) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === n ? 0 : lo]!;
  }

  /** Owner name of a ring position. */
  locateHash(hash: number): string {
    return this.names[this.locateHashIndex(hash)]!;
  }

  /** Index (into shards()) of the shard owning a key. */
  locateIndex(key: string | Uint8Array): number {
    return this.locateHashIndex(keyHash(key));
  }

  /** Name of the shard owning a key. */
  locate(key: string | Uint8Array): string {
    return this.names[this.locateHashIndex(keyHash(key))]!;
  }

  /** A new ring with one more shard. */
  withShard(shard: RingShard): HashRing {
    if (this.names.includes(shard.name)) throw new InvalidArgumentError(`shard '${shard.name}' is already on the ring`);
    return new HashRing([...this.shardList, shard], { vnodes: this.vnodes });
  }

  /** A new ring without the named shard. */
  withoutShard(name: string): HashRing {
    if (!this.names.includes(name)) throw new InvalidArgumentError(`shard '${name}' is not on the ring`);
    return new HashRing(
      this.shardList.filter((s) => s.name !== name),
      { vnodes: this.vnodes },
    );
  }

  /** How many of the given keys each shard owns. */
  distribution(keys: Iterable<string>): Map<string, number> {
    const counts = new Map<string, number>(this.names.map((n) => [n, 0]));
    for (const k of keys) {
      const name = this.locate(k);
      counts.set(name, counts.get(name)! + 1);
    }
    return counts;
  }

  /**
   * The ring as arcs in position order, 0 ≤ from < to ≤ 2^32, covering the whole circle; neighbouring
   * points of one shard are merged into one arc. The wrap-around arc (after the last point, up to the
   * first) is split at 0 so every arc is increasing. What a picture of the ring draws.
   */
  arcs(): RingArc[] {
    const pts = this.points;
    const n = pts.length;
    const out: RingArc[] = [];
    if (n === 0) return out;
    const wrapOwner = this.names[this.owners[0]!]!;
    const push = (shard: string, from: number, to: number): void => {
      if (to <= from) return;
      const last = out[out.length - 1];
      if (last !== undefined && last.shard === shard && last.to === from) out[out.length - 1] = { shard, from: last.from, to };
      else out.push({ shard, from, to });
    };
    push(wrapOwner, 0, pts[0]!);
    for (let i = 1; i < n; i++) push(this.names[this.owners[i]!]!, pts[i - 1]!, pts[i]!);
    push(wrapOwner, pts[n - 1]!, 2 ** 32);
    return out;
  }

  /** Fraction of the 2^32 hash space each shard owns. */
  ownership(): Map<string, number> {
    const out = new Map<string, number>(this.names.map((n) => [n, 0]));
    const pts = this.points;
    const n = pts.length;
    for (let i = 0; i < n; i++) {
      // Point i owns the arc (previous point, point i].
      const prev = i === 0 ? pts[n - 1]! - 2 ** 32 : pts[i - 1]!;
      const name = this.names[this.owners[i]!]!;
      out.set(name, out.get(name)! + (pts[i]! - prev) / 2 ** 32);
    }
    return out;
  }
}
