/**
 * One stored key: its type tag, value, absolute expiry and the bookkeeping the keyspace needs
 * (slot numbers for SCAN and sampling, access stamp for LRU/LFU, accounted memory).
 *
 * Values by type: STRING → a StringValue (a latin1 string, or a ByteString for big values edited
 * in place; read it only through string-value.ts); the collection types hold the structure owned
 * by their datatypes/ module, which alone casts `value` back to its class.
 */

import type { StringValue } from './string-value.js';

export const ValueType = {
  STRING: 0,
  LIST: 1,
  HASH: 2,
  SET: 3,
  ZSET: 4,
  STREAM: 5,
} as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

/** TYPE command names, indexed by ValueType. */
export const TYPE_NAMES: readonly string[] = ['string', 'list', 'hash', 'set', 'zset', 'stream'];

/** A collection value reports its size so the keyspace can account memory and delete it when empty. */
export interface CollectionValue {
  /** Number of elements. */
  readonly size: number;
  /** Estimated heap bytes held by the structure (for MEMORY USAGE and maxmemory). */
  readonly bytes: number;
  /** A deep copy (COPY, and anything else that must not share structure). */
  clone(): CollectionValue;
  /** OBJECT ENCODING's answer, when the structure mirrors Redis's encodings. */
  readonly encoding?: string;
}

export type StoredValue = StringValue | CollectionValue;

export class Entry {
  key: string;
  type: ValueType;
  value: StoredValue;
  /** Absolute expiry in ms since the epoch, or -1 when the key is persistent. */
  expireAt = -1;
  /** Index in the database's slot array (SCAN cursor order, random sampling). */
  slot = -1;
  /** Index in the database's volatile-slot array while expireAt !== -1. */
  vslot = -1;
  /** LRU/LFU access stamp (see access-stamp.ts). */
  access = 0;
  /** Heap bytes this entry is accounted for in used_memory (see used-memory.ts). */
  mem = 0;

  constructor(key: string, type: ValueType, value: StoredValue, stamp: number) {
    this.key = key;
    this.type = type;
    this.value = value;
    this.access = stamp;
  }
}
