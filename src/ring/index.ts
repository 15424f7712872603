/** The consistent-hash ring: murmurhash3 key hashing with {hash tags}, immutable HashRing. */
export { HashRing } from './hash-ring.js';
export type { RingShard, RingArc, HashRingOptions } from './hash-ring.js';
export { keyHash, hashTag } from './key-hash.js';
