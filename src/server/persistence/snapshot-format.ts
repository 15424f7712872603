/**
 * The snapshot format (our own; not Redis's RDB, hence a different magic), shared by the writer,
 * the reader and the AOF preamble. Everything is a stream of records, so a snapshot can be written
 * and read incrementally, over a file or a socket (replication will ship the same bytes).
 *
 *   file    := MAGIC "RCSNAP" · version u8 · record* · EOF (0xFF) · crc32 u32 LE
 *   record  := AUX (0xFA) str name · str value
 *            | SELECTDB (0xFE) varint db
 *            | DELETE (0xFC) str key                      a later record drops the key
 *            | value
 *   value   := tag u8 (ValueType | 0x80 when an expiry follows) · [varint expireAt ms] · str key · payload
 *   payload := STRING: str
 *            | LIST, SET: batch* 0            batch := varint n (>0) · n × str
 *            | HASH:      batch* 0            batch := varint n (>0) · n × (str field · str value)
 *            | ZSET:      batch* 0            batch := varint n (>0) · n × (str member · f64 LE score)
 *            | STREAM:    batch* 0            batch := varint n (>0) · n × str, tagged (datatypes/stream-snapshot.ts)
 *   str     := varint length · bytes (the server's latin1 byte strings)
 *   varint  := unsigned LEB128, at most 2^53 - 1
 *
 * AUX records come first (format, redis-ver, ctime, aof-preamble) and, just before EOF, one
 * `function` record per function library (its code): the dataset's parts that are not keys,
 * taken at the snapshot's instant (Keyspace.extras).
 *
 * A later record for a key replaces an earlier one (the writer emits keys changed during a
 * background save again at the end; see snapshot-job.ts). Expiry times are absolute (ms since the
 * epoch). The CRC-32 covers every byte from the magic through the EOF opcode.
 */

import { PersistenceError } from '../../errors.js';

export const MAGIC = Buffer.from('RCSNAP', 'latin1');
export const VERSION = 1;
export const HEADER_LENGTH = MAGIC.length + 1;

export const OP_AUX = 0xfa;
export const OP_DELETE = 0xfc;
export const OP_SELECTDB = 0xfe;
export const OP_EOF = 0xff;
/** Set in a value's tag when an absolute expiry follows. */
export const TAG_EXPIRES = 0x80;
/** Highest ValueType tag. */
export const MAX_TYPE = 5;

/** Elements per collection batch, and the byte size after which a batch is closed early. */
export const BATCH_ITEMS = 1024;
export const BATCH_BYTES = 64 * 1024;

/** A snapshot or AOF that cannot be read; `offset` is the absolute byte offset of the fault. */
export class DataFileError extends PersistenceError {
  constructor(
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${detail} at offset ${offset}`);
  }
}

/** Bytes a varint of `n` takes. */
export function varintLength(n: number): number {
  let len = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** Writes `n` as a varint at `off`; returns the offset after it. */
export function writeVarint(buf: Buffer, off: number, n: number): number {
  while (n >= 128) {
    buf[off++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[off++] = n;
  return off;
}
