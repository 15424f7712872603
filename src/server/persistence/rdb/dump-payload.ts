/**
 * DUMP payloads as Redis 7.0 makes and checks them (cluster.c createDumpPayload /
 * verifyDumpPayload): the RDB encoding of one value, then the RDB version as 2 bytes little
 * endian, then the CRC-64/Jones of everything before it, 8 bytes little endian. A payload from a
 * newer RDB version, or with a wrong checksum, is refused before anything is decoded.
 */

import type { StoredValue, ValueType } from '../../keyspace/entry.js';
import { crc64 } from './crc64.js';
import { RdbReader } from './rdb-reader.js';
import { RDB_VERSION, type RdbLimits } from './rdb-types.js';
import { RdbWriter } from './rdb-writer.js';
import { readValue, writeValue } from './value-codec.js';

const FOOTER = 10;

/** The DUMP payload of a value. */
export function createDumpPayload(type: ValueType, value: StoredValue, limits: RdbLimits): Buffer {
  const w = new RdbWriter(limits.compress);
  writeValue(w, type, value, limits);
  w.writeByte(RDB_VERSION & 0xff);
  w.writeByte((RDB_VERSION >> 8) & 0xff);
  const crc = crc64(w.bytes());
  const tail = Buffer.allocUnsafe(8);
  tail.writeBigUInt64LE(crc, 0);
  w.writeRaw(tail);
  return Buffer.from(w.bytes());
}

/** verifyDumpPayload: a known RDB version and (unless skipped) a matching checksum. */
export function verifyDumpPayload(p: Buffer, skipChecksum = false): boolean {
  if (p.length < FOOTER) return false;
  const version = p.readUInt16LE(p.length - FOOTER);
  if (version > RDB_VERSION) return false;
  if (skipChecksum) return true;
  return crc64(p, 0, p.length - 8) === p.readBigUInt64LE(p.length - 8);
}

/** Decodes a verified payload's value (RdbFormatError when malformed: "Bad data format"). */
export function readDumpPayload(p: Buffer, limits: RdbLimits): { type: ValueType; value: StoredValue } {
  return readValue(new RdbReader(p, p.length), limits);
}
