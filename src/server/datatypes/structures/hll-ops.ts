/**
 * HyperLogLog operations on a working copy (HllValue), dispatching on its encoding: add an
 * element, count (histogram + estimate, with corruption detection), and merge into a register
 * array. Shared by the commands (datatypes/hyperloglog.ts) and the debug commands (datatypes/hll-debug.ts).
 */

import { HLL_DENSE, HLL_HDR_SIZE, HLL_REGISTERS, HLL_SPARSE, HllValue, denseGet, denseHistogram, denseSet, estimate, patLen } from './hll.js';
import { forEachRun, sparseHistogram, sparseSet } from './hll-sparse.js';

/** hllAdd of an element already reduced to patLen's packed (index, count): 1, 0 or -1 (corrupted). */
export function hllAddPat(h: HllValue, pat: number, maxBytes: number): number {
  const index = Math.floor(pat / 64);
  const count = pat % 64;
  if (h.encoding === HLL_DENSE) return denseSet(h.buf, index, count);
  if (h.encoding === HLL_SPARSE) return sparseSet(h, index, count, maxBytes);
  return -1;
}

/** hllAdd of raw element bytes. */
export function hllAdd(h: HllValue, ele: Uint8Array, len: number, maxBytes: number): number {
  return hllAddPat(h, patLen(ele, len), maxBytes);
}

const histo = new Int32Array(64);

/** hllCount: the estimate, or -1 when a sparse value is corrupted. */
export function hllCount(h: HllValue): number {
  histo.fill(0);
  if (h.encoding === HLL_DENSE) denseHistogram(h.buf, HLL_HDR_SIZE, histo);
  else if (!sparseHistogram(h, histo)) return -1;
  return estimate(histo);
}

/** The estimate of raw registers (one byte each), for PFCOUNT of several keys. */
export function rawCount(registers: Uint8Array): number {
  histo.fill(0);
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const v = registers[i]!;
    histo[v] = histo[v]! + 1;
  }
  return estimate(histo);
}

/** hllMerge: max[i] = max(max[i], register i); false when a sparse value is corrupted. */
export function hllMerge(max: Uint8Array, h: HllValue): boolean {
  if (h.encoding === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(h.buf, HLL_HDR_SIZE, i);
      if (v > max[i]!) max[i] = v;
    }
    return true;
  }
  const covered = forEachRun(h, (first, n, v) => {
    if (v !== 0) for (let i = first; i < first + n; i++) if (v > max[i]!) max[i] = v;
  });
  return covered === HLL_REGISTERS;
}
