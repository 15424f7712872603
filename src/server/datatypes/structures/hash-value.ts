/**
 * A hash's fields on a Map (insertion order, which is also the order Redis's listpack encoding
 * returns for small hashes), with its byte size tracked for MEMORY USAGE and maxmemory.
 */

import type { CollectionValue } from '../../keyspace/entry.js';

const PER_FIELD = 64;
const BASE = 64;

export class HashValue implements CollectionValue {
  readonly map = new Map<string, string>();
  private chars = 0;

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return BASE + this.map.size * PER_FIELD + this.chars;
  }

  get(field: string): string | undefined {
    return this.map.get(field);
  }

  /** Sets a field; true when it is new. */
  set(field: string, value: string): boolean {
    const old = this.map.get(field);
    this.map.set(field, value);
    if (old === undefined) {
      this.chars += field.length + value.length;
      return true;
    }
    this.chars += value.length - old.length;
    return false;
  }

  delete(field: string): boolean {
    const old = this.map.get(field);
    if (old === undefined) return false;
    this.map.delete(field);
    this.chars -= field.length + old.length;
    return true;
  }

  clone(): HashValue {
    const h = new HashValue();
    for (const [f, v] of this.map) h.set(f, v);
    return h;
  }
}
