/**
 * CRC-64/Jones as Redis computes it (crc64.c): the reflected polynomial 0xad93d23594c935a9,
 * initial value 0, no final xor; check value crc64("123456789") = 0xe9c6d914c4b8d9ca. It closes
 * every DUMP payload (and RDB file).
 *
 * Table-driven, one byte per step, on the two 32-bit halves of the 64-bit register (so no BigInt
 * per byte): `crc = T[(crc ^ b) & 0xff] ^ (crc >>> 8)`.
 */

const POLY_HI = 0x95ac9329; // bit-reversed 0xad93d23594c935a9
const POLY_LO = 0xac4bc9b5;
const T_HI = new Uint32Array(256);
const T_LO = new Uint32Array(256);

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
  T_HI[i] = hi;
  T_LO[i] = lo;
}

/** CRC-64/Jones of `buf[start, end)`, continuing from `crc`. */
export function crc64(buf: Uint8Array, start = 0, end = buf.length, crc = 0n): bigint {
  let hi = Number(crc >> 32n) >>> 0;
  let lo = Number(crc & 0xffffffffn) >>> 0;
  for (let i = start; i < end; i++) {
    const idx = (lo ^ buf[i]!) & 0xff;
    lo = ((lo >>> 8) | ((hi & 0xff) << 24)) ^ T_LO[idx]!;
    hi = (hi >>> 8) ^ T_HI[idx]!;
  }
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}
