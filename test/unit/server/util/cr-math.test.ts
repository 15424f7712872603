import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crAsin, crCos, crSin } from '../../../../src/server/util/cr-math.js';

function ulpsApart(a: number, b: number): number {
  const buf = new DataView(new ArrayBuffer(16));
  buf.setFloat64(0, a);
  buf.setFloat64(8, b);
  return Number(buf.getBigInt64(0) - buf.getBigInt64(8));
}

/** Values correctly rounded by mpmath at 200 bits, where both glibc 2.36 and V8 are one ulp off. */
describe('correctly rounded sin/cos/asin', () => {
  it('matches mpmath where glibc and V8 do not', () => {
    expect(crSin(-2.4771692484994667)).toBe(-0.6166052979663282);
    expect(Math.sin(-2.4771692484994667)).not.toBe(-0.6166052979663282);
    expect(crCos(0.6920825242996216)).toBe(0.7699187393949939);
    expect(crAsin(0.9406125850428492)).toBe(1.2244302883726477);
  });

  it('stays within one ulp of V8 (fdlibm) everywhere in the geo range', () => {
    fc.assert(
      fc.property(fc.double({ min: -4, max: 4, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (x, y) => {
        expect(Math.abs(ulpsApart(crSin(x), Math.sin(x)))).toBeLessThanOrEqual(1);
        expect(Math.abs(ulpsApart(crCos(x), Math.cos(x)))).toBeLessThanOrEqual(1);
        expect(Math.abs(ulpsApart(crAsin(y), Math.asin(y)))).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
    expect(crSin(0)).toBe(0);
    expect(crAsin(1)).toBe(Math.PI / 2);
  });
});
