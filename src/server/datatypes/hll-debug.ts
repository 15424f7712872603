/**
 * PFDEBUG GETREG|DECODE|ENCODING|TODENSE key and PFSELFTEST (Redis hyperloglog.c), the commands
 * Redis's test suite uses to look inside HyperLogLog values.
 *
 * PFDEBUG's conversions to dense count as changes for propagation (dirty) without signalling the
 * key, as in Redis. PFSELFTEST checks the dense register accessors on random values, then adds
 * ten million distinct 8-byte elements to a dense and a sparse HLL side by side, checking that
 * small cardinalities stay sparse, that both encodings estimate the same, and that the error
 * stays within six standard errors at every power of ten.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { HLL_DENSE_SIZE, HLL_HDR_SIZE, HLL_REGISTERS, HLL_REGISTER_MAX, HLL_SPARSE, HllValue, denseGet, denseSet, denseSetReg, hllCreate, hllFromString, hllToString, patLen } from './structures/hll.js';
import { hllAddPat, hllCount } from './structures/hll-ops.js';
import { sparseDecode, sparseToDense } from './structures/hll-sparse.js';
import { INVALID_HLL, hllString, sparseMaxBytes } from './hyperloglog.js';

function pfdebug(c: ClientContext, argv: string[]): void {
  const sub = argv[1]!.toLowerCase();
  const key = argv[2]!;
  const e = c.db.lookupWrite(key);
  if (e === undefined) return c.reply.error('ERR The specified key does not exist');
  const s = hllString(c, e);
  if (s === null) return;
  const h = hllFromString(s, 0);
  let converted = false;
  if ((sub === 'getreg' || sub === 'todense') && h.encoding === HLL_SPARSE) {
    if (!sparseToDense(h)) return c.reply.error(INVALID_HLL);
    e.value = hllToString(h);
    c.db.remeasure(e);
    c.server.dirty++;
    converted = true;
  }
  if (sub === 'getreg') {
    c.reply.array(HLL_REGISTERS);
    for (let i = 0; i < HLL_REGISTERS; i++) c.reply.integer(denseGet(h.buf, HLL_HDR_SIZE, i));
  } else if (sub === 'decode') {
    if (h.encoding !== HLL_SPARSE) return c.reply.error('ERR HLL encoding is not sparse');
    c.reply.bulk(sparseDecode(h));
  } else if (sub === 'encoding') {
    c.reply.simple(h.encoding === HLL_SPARSE ? 'sparse' : 'dense');
  } else if (sub === 'todense') {
    c.reply.integer(converted ? 1 : 0);
  } else {
    c.reply.error(`ERR Unknown PFDEBUG subcommand '${argv[1]!}'`);
  }
}

/** Test 1: every dense register keeps its own value and leaves its neighbours alone. */
function registersTest(): string | null {
  const regs = Buffer.alloc(HLL_DENSE_SIZE + 1);
  const expected = new Uint8Array(HLL_REGISTERS);
  for (let cycle = 0; cycle < 1000; cycle++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = Math.floor(Math.random() * 65536) & HLL_REGISTER_MAX;
      expected[i] = r;
      denseSetReg(regs, HLL_HDR_SIZE, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(regs, HLL_HDR_SIZE, i);
      if (v !== expected[i]) return `TESTFAILED Register ${i} should be ${expected[i]} but is ${v}`;
    }
  }
  return null;
}

/** Test 2: approximation error, dense and sparse side by side. */
function errorTest(maxBytes: number): string | null {
  const dense = new HllValue(Buffer.alloc(HLL_DENSE_SIZE + 1), HLL_DENSE_SIZE);
  const sparse = hllCreate();
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  const seedLo = Math.floor(Math.random() * 2 ** 32);
  const seedHi = Math.floor(Math.random() * 2 ** 32);
  const ele = new Uint8Array(8);
  const view = new DataView(ele.buffer);
  let checkpoint = 1;
  for (let j = 1; j <= 10_000_000; j++) {
    view.setUint32(0, (j ^ seedLo) >>> 0, true);
    view.setUint32(4, seedHi, true);
    const pat = patLen(ele, 8);
    denseSet(dense.buf, Math.floor(pat / 64), pat % 64);
    hllAddPat(sparse, pat, maxBytes);
    if (j !== checkpoint) continue;
    if (j < maxBytes / 2 && sparse.encoding !== HLL_SPARSE) return 'TESTFAILED sparse encoding not used';
    const card = hllCount(dense);
    if (card !== hllCount(sparse)) return 'TESTFAILED dense/sparse disagree';
    const abserr = Math.abs(checkpoint - card);
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    if (abserr > maxerr) return `TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`;
    checkpoint *= 10;
  }
  return null;
}

function pfselftest(c: ClientContext): void {
  const failed = registersTest() ?? errorTest(sparseMaxBytes(c));
  if (failed !== null) c.reply.error(failed);
  else c.reply.ok();
}

export const HLL_DEBUG_HANDLERS: HandlerTable = { pfdebug, pfselftest };
