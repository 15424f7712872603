/**
 * FUNCTION DUMP / RESTORE payloads in Redis 7.0's format (functions.c), on the RDB primitives in
 * persistence/rdb/: one RDB_OPCODE_FUNCTION2 (245) record per library holding its code as an RDB
 * string (LZF-compressed like Redis's when `rdbcompression` is on), then the RDB version and the
 * CRC-64 as in every DUMP payload — so a dump of redis-server restores here and the other way round.
 */

import { crc64 } from '../persistence/rdb/crc64.js';
import { verifyDumpPayload } from '../persistence/rdb/dump-payload.js';
import { RdbReader } from '../persistence/rdb/rdb-reader.js';
import { RDB_VERSION } from '../persistence/rdb/rdb-types.js';
import { RdbWriter } from '../persistence/rdb/rdb-writer.js';

const OPCODE_FUNCTION2 = 245;
const OPCODE_FUNCTION_PRE_GA = 246;
const FOOTER = 10;

/** The payload of FUNCTION DUMP for these library codes. */
export function dumpFunctions(codes: readonly string[], compress = true): Buffer {
  const w = new RdbWriter(compress);
  for (const code of codes) {
    w.writeByte(OPCODE_FUNCTION2);
    w.writeString(code);
  }
  w.writeByte(RDB_VERSION & 0xff);
  w.writeByte((RDB_VERSION >> 8) & 0xff);
  const tail = Buffer.allocUnsafe(8);
  tail.writeBigUInt64LE(crc64(w.bytes()), 0);
  w.writeRaw(tail);
  return Buffer.from(w.bytes());
}

/** Redis's verifyDumpPayload: a known RDB version and a matching CRC-64. */
export function verifyPayload(p: Buffer): boolean {
  return verifyDumpPayload(p);
}

/** The library codes of a verified payload, or Redis's error text. */
export function readFunctions(p: Buffer): string[] | string {
  const r = new RdbReader(p, p.length - FOOTER);
  const codes: string[] = [];
  try {
    while (r.remaining > 0) {
      const type = r.readByte();
      if (type === OPCODE_FUNCTION_PRE_GA) return 'ERR Pre-GA function format not supported';
      if (type !== OPCODE_FUNCTION2) return 'ERR given type is not a function';
      codes.push(r.readString());
    }
  } catch {
    return 'ERR failed loading the given functions payload';
  }
  return codes;
}
