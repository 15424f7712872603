/**
 * Reading Redis's zipmap (zipmap.c), the hash encoding of Redis 2.4 dumps (RDB_TYPE_HASH_ZIPMAP),
 * which RESTORE still accepts: `<count: 1 byte, 254 = unknown> (<len>key <len><free>value
 * <free bytes>)… 0xFF`, a length being one byte below 254, or 254 + u32 little endian.
 * Validated as zipmapValidateIntegrity: every field in bounds, the count, the terminator.
 */

import { RdbFormatError } from '../../../errors.js';

function bad(what: string): never {
  throw new RdbFormatError(`zipmap integrity check failed: ${what}`);
}

/** The field/value pairs of a zipmap blob, flattened (field, value, field, value…). */
export function decodeZipmap(b: Buffer): string[] {
  if (b.length < 2) bad('too short');
  const declared = b[0]!;
  const last = b.length - 1;
  const out: string[] = [];
  let p = 1;
  const len = (): number => {
    if (p > last) bad('length out of range');
    const first = b[p]!;
    if (first < 254) {
      p += 1;
      return first;
    }
    if (first === 255 || p + 5 > last) bad('bad length');
    const v = b.readUInt32LE(p + 1);
    p += 5;
    return v;
  };
  while (p < last && b[p] !== 0xff) {
    const klen = len();
    if (p + klen > last) bad('key out of range');
    const key = b.toString('latin1', p, p + klen);
    p += klen;
    const vlen = len();
    if (p > last) bad('free byte out of range');
    const free = b[p++]!;
    if (p + vlen + free > last) bad('value out of range');
    out.push(key, b.toString('latin1', p, p + vlen));
    p += vlen + free;
  }
  if (p !== last || b[last] !== 0xff) bad('no terminator');
  if (declared < 254 && declared !== out.length / 2) bad('count mismatch');
  return out;
}
