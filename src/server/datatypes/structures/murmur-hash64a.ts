/**
 * MurmurHash64A (Austin Appleby's MurmurHash2, 64-bit version) as Redis's hyperloglog.c uses it:
 * little-endian 8-byte blocks on every platform, so HyperLogLog registers match Redis's bit for
 * bit. 64-bit arithmetic is done on two 32-bit halves (no BigInt on this hot path): the product
 * modulo 2^64 takes the full 64-bit product of the low halves from 16-bit pieces and adds the
 * cross terms with Math.imul.
 */

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;

/** The 64-bit hash of the last call, as two 32-bit halves. */
export const hashOut = { hi: 0, lo: 0 };

let rh = 0;
let rl = 0;

/** (hi:lo) * m mod 2^64 into rh:rl. */
function mulM(hi: number, lo: number): void {
  const a0 = lo & 0xffff;
  const a1 = lo >>> 16;
  const p00 = a0 * (M_LO & 0xffff);
  const p01 = a0 * (M_LO >>> 16);
  const p10 = a1 * (M_LO & 0xffff);
  const p11 = a1 * (M_LO >>> 16);
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  rl = ((mid << 16) | (p00 & 0xffff)) >>> 0;
  const carry = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  rh = (carry + Math.imul(lo, M_HI) + Math.imul(hi, M_LO)) >>> 0;
}

/** MurmurHash64A of data[0, len) with a 32-bit seed; the result is left in `hashOut`. */
export function murmurHash64A(data: Uint8Array, len: number, seed: number): void {
  mulM(0, len);
  let hh = rh;
  let hl = (rl ^ seed) >>> 0;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    const kl = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
    const kh = (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)) >>> 0;
    mulM(kh, kl);
    // k ^= k >> 47; k *= m; h ^= k; h *= m
    mulM(rh, (rl ^ (rh >>> 15)) >>> 0);
    mulM((hh ^ rh) >>> 0, (hl ^ rl) >>> 0);
    hh = rh;
    hl = rl;
  }
  const rest = len & 7;
  if (rest > 0) {
    // The 1..7 trailing bytes, little endian, then one more multiplication.
    for (let j = rest - 1; j >= 4; j--) hh ^= data[blocks + j]! << (8 * (j - 4));
    for (let j = Math.min(rest, 4) - 1; j >= 0; j--) hl ^= data[blocks + j]! << (8 * j);
    mulM(hh >>> 0, hl >>> 0);
    hh = rh;
    hl = rl;
  }
  // h ^= h >> 47; h *= m; h ^= h >> 47
  mulM(hh, (hl ^ (hh >>> 15)) >>> 0);
  hashOut.hi = rh;
  hashOut.lo = (rl ^ (rh >>> 15)) >>> 0;
}
