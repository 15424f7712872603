/**
 * CRC-64/Jones as Redis computes it (crc64.c): the reflected polynomial 0xad93d23594c935a9,
 * initial value 0, no final xor; check value crc64("123456789") = 0xe9c6d914c4b8d9ca. It closes
 * every DUMP payload (and RDB file).
 *
 * Slicing-by-8 (eight tables, eight bytes per step), on the two 32-bit halves of the 64-bit
 * register so no BigInt is made per byte: table k holds the CRC of a byte followed by k zeros.
 */

const POLY_HI = 0x95ac9329; // bit-reversed 0xad93d23594c935a9
const POLY_LO = 0xac4bc9b5;
const HI = Array.from({ length: 8 }, () => new Uint32Array(256));
const LO = Array.from({ length: 8 }, () => new Uint32Array(256));

for (let i = 0; i < 256; i++) {
  let hi = 0;
  let lo = i;
  for (let k = 0; k < 8; k++) {
    const bit = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi >>>= 1;
    if (bit) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  HI[0]![i] = hi;
  LO[0]![i] = lo;
}
for (let t = 1; t < 8; t++) {
  for (let i = 0; i < 256; i++) {
    const phi = HI[t - 1]![i]!;
    const plo = LO[t - 1]![i]!;
    const idx = plo & 0xff;
    LO[t]![i] = (((plo >>> 8) | ((phi & 0xff) << 24)) ^ LO[0]![idx]!) >>> 0;
    HI[t]![i] = ((phi >>> 8) ^ HI[0]![idx]!) >>> 0;
  }
}
const [H0, H1, H2, H3, H4, H5, H6, H7] = HI as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
const [L0, L1, L2, L3, L4, L5, L6, L7] = LO as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];

/** CRC-64/Jones of `buf[start, end)`, continuing from `crc`. */
export function crc64(buf: Uint8Array, start = 0, end = buf.length, crc = 0n): bigint {
  let hi = Number(crc >> 32n) >>> 0;
  let lo = Number(crc & 0xffffffffn) >>> 0;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const a = lo ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
    const b = hi ^ (buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24));
    const a0 = a & 0xff, a1 = (a >>> 8) & 0xff, a2 = (a >>> 16) & 0xff, a3 = a >>> 24;
    const b0 = b & 0xff, b1 = (b >>> 8) & 0xff, b2 = (b >>> 16) & 0xff, b3 = b >>> 24;
    lo = L7[a0]! ^ L6[a1]! ^ L5[a2]! ^ L4[a3]! ^ L3[b0]! ^ L2[b1]! ^ L1[b2]! ^ L0[b3]!;
    hi = H7[a0]! ^ H6[a1]! ^ H5[a2]! ^ H4[a3]! ^ H3[b0]! ^ H2[b1]! ^ H1[b2]! ^ H0[b3]!;
  }
  for (; i < end; i++) {
    const idx = (lo ^ buf[i]!) & 0xff;
    lo = ((lo >>> 8) | ((hi & 0xff) << 24)) ^ L0[idx]!;
    hi = (hi >>> 8) ^ H0[idx]!;
  }
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}
