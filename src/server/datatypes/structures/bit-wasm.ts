/**
 * The bitmap kernels' fast path: a tiny WebAssembly module (assembled below from its opcodes, no
 * build step) with hardware population count (i64.popcnt) and 128-bit SIMD AND/OR/XOR/NOT, the
 * instructions JavaScript has no way to reach. Used by bit-string.ts for BITCOUNT and BITOP.
 *
 * The kernels work in the module's own memory: two windows of WINDOW bytes (plus padding), OUT at
 * offset 0 and SRC at SRC_AT, so a value of any size is processed window by window and the
 * module's memory stays bounded (three 64 KiB pages, allocated at the first call). Windows of
 * 64 KiB stay in the CPU's L2 cache between the copy in, the kernel and the copy out, so main
 * memory sees each source read once and the result written once, as in Redis's own loop.
 *
 * Invariants: window lengths handed to the kernels are multiples of PAD (the callers zero-fill the
 * padding); views of the memory are taken after the one-time growth, so they never go stale.
 *
 * The module, in text form:
 *
 *   (memory (export "mem") 1)
 *   (func (export "popcnt") (param $p i32) (param $end i32) (result i32) (local $acc i64)
 *     block loop
 *       (br_if 1 (i32.ge_u (local.get $p) (local.get $end)))
 *       (local.set $acc (i64.add (local.get $acc) (i64.add
 *         (i64.add (i64.popcnt (i64.load offset=0 (local.get $p))) (i64.popcnt (i64.load offset=8 (local.get $p))))
 *         (i64.add (i64.popcnt (i64.load offset=16 (local.get $p))) (i64.popcnt (i64.load offset=24 (local.get $p)))))))
 *       (local.set $p (i32.add (local.get $p) (i32.const 32)))
 *       br 0
 *     end end
 *     (i32.wrap_i64 (local.get $acc)))
 *   (func (export "and") (param $d i32) (param $s i32) (param $n i32)   ;; also "or", "xor"
 *     block loop
 *       (br_if 1 (i32.eqz (local.get $n)))
 *       (v128.store (local.get $d) (v128.and (v128.load (local.get $d)) (v128.load (local.get $s))))
 *       $d += 16; $s += 16; $n -= 16
 *       br 0
 *     end end)
 *   (func (export "not") (param $d i32) (param $n i32)
 *     … (v128.store (local.get $d) (v128.not (v128.load (local.get $d)))) …)
 */

/** Bytes of each window in the module's memory (see the file header). */
export const WINDOW = 1 << 16;
/** Window lengths are rounded up to a multiple of this (the popcount loop's stride). */
export const PAD = 32;
/** Where the SRC window starts (OUT starts at 0). */
export const SRC_AT = WINDOW + PAD;

const OP = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i64Load: 0x29,
  i64Popcnt: 0x7b,
  i64Add: 0x7c,
  i32WrapI64: 0xa7,
  simd: 0xfd,
  void: 0x40,
} as const;
const SIMD = { load: 0x00, store: 0x0b, not: 0x4d, and: 0x4e, or: 0x50, xor: 0x51 } as const;
const I32 = 0x7f;
const I64 = 0x7e;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Buffer.from(s, 'latin1')];
}

const get = (i: number): number[] => [OP.localGet, i];
const set = (i: number): number[] => [OP.localSet, i];
const addConst = (i: number, k: number): number[] => [...get(i), OP.i32Const, ...uleb(k), OP.i32Add, ...set(i)];
const subConst = (i: number, k: number): number[] => [...get(i), OP.i32Const, ...uleb(k), OP.i32Sub, ...set(i)];
/** i64.popcnt of the word at local 0 + offset (memarg: align 2^3, offset). */
const popWord = (offset: number): number[] => [...get(0), OP.i64Load, 3, ...uleb(offset), OP.i64Popcnt];
const v128 = (op: number, ...memarg: number[]): number[] => [OP.simd, ...uleb(op), ...memarg];

function popcntBody(): number[] {
  return [
    ...vec([[1, I64]]),
    OP.block, OP.void, OP.loop, OP.void,
    ...get(0), ...get(1), OP.i32GeU, OP.brIf, 1,
    ...get(2), ...popWord(0), ...popWord(8), OP.i64Add, ...popWord(16), ...popWord(24), OP.i64Add, OP.i64Add, OP.i64Add, ...set(2),
    ...addConst(0, PAD),
    OP.br, 0, OP.end, OP.end,
    ...get(2), OP.i32WrapI64, OP.end,
  ];
}

/** d[0, n) = d op s (n a multiple of 16), 16 bytes at a time. */
function binaryBody(op: number): number[] {
  return [
    ...vec([]),
    OP.block, OP.void, OP.loop, OP.void,
    ...get(2), OP.i32Eqz, OP.brIf, 1,
    ...get(0), ...get(0), ...v128(SIMD.load, 4, 0), ...get(1), ...v128(SIMD.load, 4, 0), ...v128(op), ...v128(SIMD.store, 4, 0),
    ...addConst(0, 16), ...addConst(1, 16), ...subConst(2, 16),
    OP.br, 0, OP.end, OP.end, OP.end,
  ];
}

function notBody(): number[] {
  return [
    ...vec([]),
    OP.block, OP.void, OP.loop, OP.void,
    ...get(1), OP.i32Eqz, OP.brIf, 1,
    ...get(0), ...get(0), ...v128(SIMD.load, 4, 0), ...v128(SIMD.not), ...v128(SIMD.store, 4, 0),
    ...addConst(0, 16), ...subConst(1, 16),
    OP.br, 0, OP.end, OP.end, OP.end,
  ];
}

function assemble(): Uint8Array {
  const types = vec([
    [0x60, ...vec([[I32], [I32]]), ...vec([[I32]])], // (i32, i32) -> i32
    [0x60, ...vec([[I32], [I32], [I32]]), ...vec([])], // (i32, i32, i32) -> ()
    [0x60, ...vec([[I32], [I32]]), ...vec([])], // (i32, i32) -> ()
  ]);
  const funcs = vec([[0], [1], [1], [1], [2]]);
  const memory = vec([[0x00, 1]]);
  const exports = vec([
    [...name('mem'), 0x02, 0],
    [...name('popcnt'), 0x00, 0],
    [...name('and'), 0x00, 1],
    [...name('or'), 0x00, 2],
    [...name('xor'), 0x00, 3],
    [...name('not'), 0x00, 4],
  ]);
  const bodies = [popcntBody(), binaryBody(SIMD.and), binaryBody(SIMD.or), binaryBody(SIMD.xor), notBody()];
  const code = vec(bodies.map((b) => [...uleb(b.length), ...b]));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, types),
    ...section(3, funcs),
    ...section(5, memory),
    ...section(7, exports),
    ...section(10, code),
  ]);
}

export interface BitKernels {
  /** The module's memory as a Buffer: OUT window at 0, SRC window at SRC_AT. */
  readonly mem: Buffer;
  /** Set bits in mem[p, end) (end - p a multiple of PAD). */
  popcnt(p: number, end: number): number;
  /** mem[d, d + n) op= mem[s, s + n) for op 0 AND, 1 OR, 2 XOR (n a multiple of 16). */
  combine(op: number, d: number, s: number, n: number): void;
  /** mem[d, d + n) = ~mem[d, d + n) (n a multiple of 16). */
  not(d: number, n: number): void;
}

/** The slice of the WebAssembly API used here (the project's lib settings do not type it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

interface Exports {
  mem: { buffer: ArrayBuffer; grow(pages: number): number };
  popcnt(p: number, end: number): number;
  and(d: number, s: number, n: number): void;
  or(d: number, s: number, n: number): void;
  xor(d: number, s: number, n: number): void;
  not(d: number, n: number): void;
}

let kernels: BitKernels | null | undefined;

/** The kernels, instantiated at the first call; null where WebAssembly SIMD is unavailable. */
export function bitKernels(): BitKernels | null {
  if (kernels !== undefined) return kernels;
  const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return (kernels = null);
  try {
    const inst = new wasm.Instance(new wasm.Module(assemble()));
    const ex = inst.exports as unknown as Exports;
    const bytes = 2 * SRC_AT;
    ex.mem.grow(Math.ceil(bytes / 65536) - 1);
    const ops = [ex.and, ex.or, ex.xor];
    kernels = {
      mem: Buffer.from(ex.mem.buffer),
      popcnt: ex.popcnt,
      combine: (op, d, s, n) => ops[op]!(d, s, n),
      not: ex.not,
    };
  } catch {
    kernels = null;
  }
  return kernels;
}
