/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, the zlib/PNG/gzip checksum), computed
 * incrementally: `crc32(chunk, previous)` continues a running checksum, so a stream is checked
 * chunk by chunk without holding it whole.
 *
 * Node ≥ 20.15 has a native `zlib.crc32`; older Node 20 releases do not, so the table-driven
 * version below (slicing-by-4 over four 256-entry tables) is the fallback. Both give identical
 * results (a unit test compares them on random data).
 */

import * as zlib from 'node:zlib';

type Crc32Fn = (data: Uint8Array, value?: number) => number;

function makeTables(): Uint32Array[] {
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c >>> 0;
  }
  const tables = [t0];
  for (let i = 1; i < 4; i++) {
    const prev = tables[i - 1]!;
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) t[n] = (prev[n]! >>> 8) ^ t0[prev[n]! & 0xff]!;
    tables.push(t);
  }
  return tables;
}

let tables: Uint32Array[] | null = null;

/** The portable implementation (exported for the equivalence test). */
export function crc32Table(data: Uint8Array, previous = 0): number {
  if (tables === null) tables = makeTables();
  const [t0, t1, t2, t3] = tables as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let crc = ~previous >>> 0;
  let i = 0;
  const n = data.length;
  const end4 = n - (n & 3);
  for (; i < end4; i += 4) {
    crc ^= data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    crc = t3[crc & 0xff]! ^ t2[(crc >>> 8) & 0xff]! ^ t1[(crc >>> 16) & 0xff]! ^ t0[crc >>> 24]!;
  }
  for (; i < n; i++) crc = t0[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

const native = (zlib as { crc32?: Crc32Fn }).crc32;

/** CRC-32 of `data`, continuing from `previous` (0 to start). Unsigned 32-bit result. */
export const crc32: (data: Uint8Array, previous?: number) => number =
  typeof native === 'function' ? (data, previous = 0) => native(data, previous) >>> 0 : crc32Table;
