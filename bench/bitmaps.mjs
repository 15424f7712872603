// Bitmap workloads against ringcache-server and redis-server in one run: BITCOUNT of a 1 MB value,
// BITOP AND of two 1 MB values, and for context SETBIT/GETBIT on a 128 KB bitmap (1M bits) and
// PFADD/PFCOUNT. Commands are pipelined BATCH at a time; the two servers run alternately for
// BENCH_ROUNDS rounds and the median ops/s of each is reported with our ratio to Redis.
import { randomBytes } from 'node:crypto';
import { compareServers } from './lib/pipelined.mjs';

const MB = 1 << 20;

const a1 = randomBytes(MB);
const a2 = randomBytes(MB);

const WORKLOADS = {
  'BITCOUNT 1 MB': { ops: 2000, setup: [['SET', 'b1', a1]], make: () => ['BITCOUNT', 'b1'] },
  'BITOP AND 2 x 1 MB': { ops: 2000, setup: [['SET', 'b1', a1], ['SET', 'b2', a2]], make: () => ['BITOP', 'AND', 'dest', 'b1', 'b2'] },
  'BITCOUNT 1 MB, BIT range': { ops: 2000, setup: [['SET', 'b1', a1]], make: () => ['BITCOUNT', 'b1', '3', '8388600', 'BIT'] },
  'SETBIT 128 KB bitmap': { ops: 20000, setup: [['SETBIT', 'm', String(8 * 128 * 1024 - 1), '1']], make: (i) => ['SETBIT', 'm', String((i * 7919) % (8 * 128 * 1024)), String(i & 1)] },
  'GETBIT 128 KB bitmap': { ops: 100000, setup: [['SETBIT', 'm', String(8 * 128 * 1024 - 1), '1']], make: (i) => ['GETBIT', 'm', String((i * 7919) % (8 * 128 * 1024))] },
  'PFADD 10 elements': { ops: 100000, setup: [], make: (i) => ['PFADD', 'hll', ...Array.from({ length: 10 }, (_, k) => `e${i * 10 + k}`)] },
  'PFCOUNT (after PFADD)': { ops: 20000, setup: [], make: (i) => (i % 2 === 0 ? ['PFADD', 'hll2', `x${i}`] : ['PFCOUNT', 'hll2']) },
};

await compareServers('bitmaps and HyperLogLog', WORKLOADS);
