/**
 * Differential test: seeded random sequences of SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD
 * and BITFIELD_RO (valid and invalid arguments, binary values, wrong types, extreme integers)
 * against ringcache-server and real redis-server, every reply compared byte for byte in RESP2 and
 * RESP3.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Differential, type Rng } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

const key = (rng: Rng): string => `k${rng.int(0, 4)}`;

function bytes(rng: Rng, max: number): string {
  const n = rng.int(0, max);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(rng.pick([0, 0xff, 0x0f, 0xf0, 0xaa, rng.int(0, 255)]));
  return s;
}

function value(rng: Rng): string {
  return rng.pick([bytes(rng, 12), bytes(rng, 70), '123', '-7', '', '\xff\xff\xff', 'foobar', bytes(rng, 3)]);
}

function index(rng: Rng): string {
  return rng.pick([String(rng.int(-40, 40)), String(rng.int(-600, 600)), '0', '-1', '9223372036854775807', '-9223372036854775808', 'x', '1.5']);
}

function offset(rng: Rng): string {
  return rng.pick([String(rng.int(0, 100)), String(rng.int(0, 700)), '0', '-1', 'abc', '4294967296', '#3', '9223372036854775808']);
}

const INT64 = ['9223372036854775807', '-9223372036854775808', '9223372036854775808', '0', '-1', '1', '255', '-128', '127', '65535', '4294967295'];

function fieldType(rng: Rng): string {
  if (rng.bool(0.05)) return rng.pick(['u64', 'i65', 'i0', 'x8', 'u', 'I8', 'i08']);
  return `${rng.pick(['i', 'u'])}${rng.pick([1, 2, 3, 5, 7, 8, 13, 16, 31, 32, 33, 48, 53, 60, 63, rng.int(1, 63)])}`;
}

function fieldOffset(rng: Rng): string {
  return rng.pick([String(rng.int(0, 90)), `#${rng.int(0, 8)}`, '0', '-3', '#-1', 'q']);
}

function bitfieldArgs(rng: Rng, readonly: boolean): string[] {
  const out: string[] = [];
  const n = rng.int(0, 4);
  for (let i = 0; i < n; i++) {
    const kind = readonly && rng.bool(0.9) ? 0 : rng.int(0, 4);
    if (kind === 0) out.push(rng.pick(['GET', 'get']), fieldType(rng), fieldOffset(rng));
    else if (kind === 1) out.push('SET', fieldType(rng), fieldOffset(rng), rng.bool(0.5) ? String(rng.int(-300, 300)) : rng.pick(INT64));
    else if (kind === 2) out.push('INCRBY', fieldType(rng), fieldOffset(rng), rng.bool(0.5) ? String(rng.int(-300, 300)) : rng.pick(INT64));
    else if (kind === 3) out.push('OVERFLOW', rng.pick(['WRAP', 'SAT', 'FAIL', 'fail', 'bad']));
    else out.push(rng.pick(['GET', 'SET', 'INCRBY', 'OVERFLOW', 'NOPE']));
  }
  return out;
}

function range(rng: Rng): string[] {
  switch (rng.int(0, 5)) {
    case 0:
      return [];
    case 1:
      return [index(rng)];
    case 2:
      return [index(rng), index(rng)];
    case 3:
    case 4:
      return [index(rng), index(rng), rng.pick(['BIT', 'BYTE', 'bit', 'byte', 'bits'])];
    default:
      return [index(rng), index(rng), 'BIT', 'extra'];
  }
}

function gen(rng: Rng): string[] {
  const k = key(rng);
  switch (rng.int(0, 17)) {
    case 0:
    case 1:
      return ['SET', k, value(rng)];
    case 2:
    case 3:
      return ['SETBIT', k, offset(rng), rng.pick(['0', '1', '1', '0', '2', '-1', 'x'])];
    case 4:
      return ['GETBIT', k, offset(rng)];
    case 5:
    case 6:
      return ['BITCOUNT', k, ...range(rng)];
    case 7:
    case 8: {
      const r = range(rng);
      return ['BITPOS', k, rng.pick(['0', '1', '1', '0', '2', 'x']), ...r];
    }
    case 9:
    case 10: {
      const op = rng.pick(['AND', 'OR', 'XOR', 'NOT', 'and', 'nand']);
      const n = op.toLowerCase() === 'not' ? (rng.bool(0.9) ? 1 : 2) : rng.int(1, 4);
      return ['BITOP', op, key(rng), ...Array.from({ length: n }, () => key(rng))];
    }
    case 11:
    case 12:
    case 13:
      return ['BITFIELD', k, ...bitfieldArgs(rng, false)];
    case 14:
      return ['BITFIELD_RO', k, ...bitfieldArgs(rng, true)];
    case 15:
      return rng.pick([['GET', k], ['STRLEN', k], ['DEL', k]]);
    case 16:
      return rng.pick([['LPUSH', k, 'x'], ['APPEND', k, value(rng)], ['SETRANGE', k, String(rng.int(0, 20)), value(rng)]]);
    default:
      return ['EXISTS', k];
  }
}

describe.skipIf(skip !== null)('differential: bitmaps and BITFIELD vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  for (const seed of (process.env.SWEEP ? Array.from({ length: 30 }, (_, i) => Number(process.env.SWEEP) + i) : [191, 192, 193])) {
    it(`RESP2, seed ${seed}`, async () => {
      await d.run(seed, 3000, gen);
    });
  }
  it('RESP3, seed 194', async () => {
    await d.run(194, 3000, gen, { proto: 3 });
  });
  it('big values cross the scratch window (BITCOUNT, BITPOS, BITOP over > 1 MiB)', async () => {
    const big = (rng: Rng, k: string): string[] => ['SETBIT', k, String(rng.int(0, 3 * 8 * 1024 * 1024)), '1'];
    const setup = [
      ['SETBIT', 'k0', String(8 * 1024 * 1024 * 2 + 5), '1'],
      ['SETBIT', 'k1', String(8 * 1024 * 1024 + 77), '1'],
      ['BITOP', 'NOT', 'k2', 'k1'],
    ];
    await d.run(
      195,
      150,
      (rng) => {
        const k = `k${rng.int(0, 2)}`;
        switch (rng.int(0, 5)) {
          case 0:
            return big(rng, k);
          case 1:
            return ['BITCOUNT', k, ...range(rng)];
          case 2:
            return ['BITPOS', k, rng.pick(['0', '1']), ...range(rng)];
          case 3:
            return ['BITOP', rng.pick(['AND', 'OR', 'XOR']), 'k3', 'k0', 'k1', 'k2'];
          case 4:
            return ['BITCOUNT', 'k3'];
          default:
            return ['BITFIELD', k, 'INCRBY', 'u8', `#${rng.int(0, 3 * 1024 * 1024)}`, '7', 'GET', 'i64', String(rng.int(0, 3 * 8 * 1024 * 1024))];
        }
      },
      { setup },
    );
  });
});
