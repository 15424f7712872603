/**
 * Key hashing for the ring: MurmurHash3 x86 32-bit (murmurhash3js-revisited, seed 0) over the key's
 * UTF-8 bytes, after Redis Cluster's {hash tag} rule: when the key holds a `{` followed later by a
 * `}` with at least one byte between them, only the bytes between the first `{` and the first `}`
 * after it are hashed, so `{user:1}:profile` and `{user:1}:cart` land on the same shard.
 *
 * Hot path: ASCII strings are copied into a reusable scratch buffer and hashed through a cached
 * exact-length view, so a lookup allocates nothing.
 */

import murmur from 'murmurhash3js-revisited';

// The library re-checks every byte of every input unless told not to; ours are always Uint8Arrays,
// whose elements are bytes by construction, so the check only costs time (it dominated lookups).
murmur.inputValidation = false;

const SCRATCH_SIZE = 512;
const scratch = new Uint8Array(SCRATCH_SIZE);
/** views[n] is scratch[0, n): exact-length inputs without a subarray per call. */
const views: Uint8Array[] = Array.from({ length: SCRATCH_SIZE + 1 }, (_, n) => scratch.subarray(0, n));
const encoder = new TextEncoder();

function hashBytes(bytes: Uint8Array): number {
  return murmur.x86.hash32(bytes, 0) >>> 0;
}

/** The [start, end) range of a string key that is hashed (the hash tag, or the whole key). */
function tagRange(key: string): [number, number] {
  const open = key.indexOf('{');
  if (open === -1) return [0, key.length];
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return [0, key.length];
  return [open + 1, close];
}

function hashString(key: string, start: number, end: number): number {
  const n = end - start;
  if (n <= SCRATCH_SIZE) {
    let ascii = true;
    for (let i = 0; i < n; i++) {
      const c = key.charCodeAt(start + i);
      if (c > 127) {
        ascii = false;
        break;
      }
      scratch[i] = c;
    }
    if (ascii) return hashBytes(views[n]!);
  }
  const part = start === 0 && end === key.length ? key : key.slice(start, end);
  return hashBytes(encoder.encode(part));
}

/** The hashed part of a Buffer key, under the same tag rule. */
function bufferPart(key: Uint8Array): Uint8Array {
  const open = key.indexOf(0x7b);
  if (open === -1) return key;
  const close = key.indexOf(0x7d, open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.subarray(open + 1, close);
}

/** The substring of a key that decides its shard (its hash tag, or itself). */
export function hashTag(key: string): string {
  const [s, e] = tagRange(key);
  return s === 0 && e === key.length ? key : key.slice(s, e);
}

/** Unsigned 32-bit ring position of a key (strings as UTF-8; Buffers as their bytes). */
export function keyHash(key: string | Uint8Array): number {
  if (typeof key === 'string') {
    const [s, e] = tagRange(key);
    return hashString(key, s, e);
  }
  return hashBytes(bufferPart(key));
}

/** Position of a virtual-node label (no hash-tag rule: labels are ours). */
export function labelHash(label: string): number {
  return hashBytes(encoder.encode(label));
}
