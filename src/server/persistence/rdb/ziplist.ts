/**
 * Reading Redis's ziplist (ziplist.c), the compact encoding of RDB versions before listpacks
 * (RDB_TYPE_LIST_ZIPLIST, _ZSET_ZIPLIST, _HASH_ZIPLIST and the nodes of RDB_TYPE_LIST_QUICKLIST),
 * which RESTORE still accepts: `<zlbytes u32 LE> <zltail u32 LE> <zllen u16 LE> <entry>… 0xFF`,
 * each entry `<prevlen: 1 byte, or 0xFE + u32 LE> <encoding> <data>`. String lengths: 00pppppp,
 * 01pppppp qqqqqqqq (big endian), 10______ + u32 big endian; integers: 0xC0 int16, 0xD0 int32,
 * 0xE0 int64, 0xF0 int24, 0xFE int8, 0xF1–0xFD the values 0–12.
 *
 * Validated as ziplistValidateIntegrity(deep) does: sizes, tail offset, prevlens, count and
 * terminator. Entries come back as latin1 strings (integers as decimal text).
 */

import { RdbFormatError } from '../../../errors.js';

function bad(what: string): never {
  throw new RdbFormatError(`ziplist integrity check failed: ${what}`);
}

/** One entry at `p`: its text and total size. */
function entryAt(b: Buffer, p: number, last: number): [string, number] {
  const need = (n: number): void => {
    if (p + n > last) bad('entry out of range');
  };
  need(1);
  const prevlenSize = b[p]! < 254 ? 1 : 5;
  need(prevlenSize + 1);
  const h = p + prevlenSize;
  const e = b[h]!;
  let headerSize: number;
  let len: number;
  if (e < 0xc0) {
    const kind = e >> 6;
    if (kind === 0) {
      headerSize = 1;
      len = e & 0x3f;
    } else if (kind === 1) {
      need(prevlenSize + 2);
      headerSize = 2;
      len = ((e & 0x3f) << 8) | b[h + 1]!;
    } else {
      need(prevlenSize + 5);
      headerSize = 5;
      len = b.readUInt32BE(h + 1);
    }
    const size = prevlenSize + headerSize + len;
    need(size);
    return [b.toString('latin1', h + headerSize, h + headerSize + len), size];
  }
  let text: string;
  let data: number;
  if (e === 0xc0) [data, text] = [2, ''];
  else if (e === 0xd0) [data, text] = [4, ''];
  else if (e === 0xe0) [data, text] = [8, ''];
  else if (e === 0xf0) [data, text] = [3, ''];
  else if (e === 0xfe) [data, text] = [1, ''];
  else if (e >= 0xf1 && e <= 0xfd) [data, text] = [0, String((e & 0x0f) - 1)];
  else return bad(`bad encoding byte ${e}`);
  need(prevlenSize + 1 + data);
  const d = h + 1;
  if (e === 0xc0) text = String(b.readInt16LE(d));
  else if (e === 0xd0) text = String(b.readInt32LE(d));
  else if (e === 0xe0) text = b.readBigInt64LE(d).toString();
  else if (e === 0xf0) text = String(b.readIntLE(d, 3));
  else if (e === 0xfe) text = String(b.readInt8(d));
  return [text, prevlenSize + 1 + data];
}

/** Every entry of a ziplist blob, validated (RdbFormatError when corrupt). */
export function decodeZiplist(b: Buffer): string[] {
  if (b.length < 11) bad('too short');
  if (b.readUInt32LE(0) !== b.length) bad('header size mismatch');
  const tail = b.readUInt32LE(4);
  const declared = b.readUInt16LE(8);
  const last = b.length - 1;
  if (b[last] !== 0xff) bad('no terminator');
  const out: string[] = [];
  let p = 10;
  let prevSize = 0;
  let lastEntry = 10;
  while (p < last) {
    const prevlen = b[p]! < 254 ? b[p]! : p + 5 <= last ? b.readUInt32LE(p + 1) : bad('prevlen out of range');
    if (prevlen !== prevSize) bad('prevlen mismatch');
    const [text, size] = entryAt(b, p, last);
    out.push(text);
    lastEntry = p;
    prevSize = size;
    p += size;
  }
  if (p !== last) bad('entries overrun the terminator');
  if (tail !== (out.length === 0 ? 10 : lastEntry)) bad('tail offset mismatch');
  if (declared !== 65535 && declared !== out.length) bad('count mismatch');
  return out;
}
