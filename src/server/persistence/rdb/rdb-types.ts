/**
 * The RDB value types of Redis 7.0 (rdb.h, RDB version 10) and the contract of a value codec:
 * how one of our stored values is written in Redis's RDB value encoding and read back. Codecs are
 * kept in value-codec.ts's registry, so a new value type (streams) brings its own codec.
 */

import type { StoredValue } from '../../keyspace/entry.js';
import type { RdbReader } from './rdb-reader.js';
import type { RdbWriter } from './rdb-writer.js';

export const RDB_VERSION = 10;

export const RdbType = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE: 6,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
} as const;

/** The configuration the encodings follow (redis.conf names in comments). */
export interface RdbLimits {
  /** rdbcompression */
  compress: boolean;
  /** list-max-listpack-size: > 0 entries per quicklist node, < 0 a size class (-2: 8 KB). */
  listMaxListpackSize: number;
  /** hash-max-listpack-entries, hash-max-listpack-value */
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  /** set-max-intset-entries */
  setMaxIntsetEntries: number;
  /** zset-max-listpack-entries, zset-max-listpack-value */
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
}

/** How one value type is written to and read from the RDB value encoding. */
export interface RdbValueCodec {
  /** The ValueType (keyspace/entry.ts) of the values this codec writes and builds. */
  readonly valueType: number;
  /** The RDB types it reads. */
  readonly rdbTypes: readonly number[];
  /** Writes the RDB type byte, then the value (rdbSaveObjectType + rdbSaveObject). */
  encode(w: RdbWriter, value: StoredValue, limits: RdbLimits): void;
  /** Reads a value of `rdbType` (rdbLoadObject); throws RdbFormatError when malformed or empty. */
  decode(r: RdbReader, rdbType: number, limits: RdbLimits): StoredValue;
}
