/** Types for the untyped `murmurhash3js-revisited` package (only what ringcache uses). */
declare module 'murmurhash3js-revisited' {
  interface X86 {
    /** MurmurHash3 x86 32-bit over bytes; unsigned result. */
    hash32(bytes: Uint8Array | number[], seed?: number): number;
  }
  const murmur: { x86: X86; inputValidation: boolean };
  export default murmur;
}
