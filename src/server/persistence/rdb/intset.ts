/**
 * Redis's intset (intset.c), the set encoding for small all-integer sets (RDB_TYPE_SET_INTSET):
 * `<encoding u32 LE: 2, 4 or 8> <length u32 LE> <integers, ascending, little endian>`. The
 * encoding is the smallest width holding every member.
 *
 * `decodeIntset` validates as intsetValidateIntegrity(deep): size, encoding, a non-zero length,
 * strictly ascending members; members come back as decimal text.
 */

import { RdbFormatError } from '../../../errors.js';

function bad(what: string): never {
  throw new RdbFormatError(`intset integrity check failed: ${what}`);
}

/** The intset blob of members that are all canonical int64 texts. */
export function encodeIntset(members: readonly string[]): Buffer {
  const values = members.map((m) => BigInt(m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const v of values) {
    if (v < -2147483648n || v > 2147483647n) width = 8;
    else if ((v < -32768n || v > 32767n) && width < 4) width = 4;
  }
  const out = Buffer.allocUnsafe(8 + width * values.length);
  out.writeUInt32LE(width, 0);
  out.writeUInt32LE(values.length, 4);
  values.forEach((v, i) => {
    const at = 8 + i * width;
    if (width === 2) out.writeInt16LE(Number(v), at);
    else if (width === 4) out.writeInt32LE(Number(v), at);
    else out.writeBigInt64LE(v, at);
  });
  return out;
}

export function decodeIntset(b: Buffer): string[] {
  if (b.length < 8) bad('too short');
  const width = b.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) bad(`bad encoding ${width}`);
  const count = b.readUInt32LE(4);
  if (count === 0) bad('empty');
  if (8 + count * width !== b.length) bad('size mismatch');
  const out: string[] = [];
  let prev: bigint | null = null;
  for (let i = 0; i < count; i++) {
    const at = 8 + i * width;
    const v = width === 2 ? BigInt(b.readInt16LE(at)) : width === 4 ? BigInt(b.readInt32LE(at)) : b.readBigInt64LE(at);
    if (prev !== null && v <= prev) bad('not strictly ascending');
    prev = v;
    out.push(v.toString());
  }
  return out;
}
