import { describe, expect, it } from 'vitest';
import { fixedPoint, humanLongDouble, printfFixed } from '../../../../src/server/util/fixed-format.js';

describe('printf-style fixed formatting (glibc rules)', () => {
  it('prints the exact binary value, ties to even', () => {
    expect(printfFixed(200, 6)).toBe('200.000000');
    expect(printfFixed(-0, 6)).toBe('-0.000000');
    expect(printfFixed(0.125, 2)).toBe('0.12'); // exact tie: even digit kept (toFixed would give 0.13)
    expect(printfFixed(0.375, 2)).toBe('0.38');
    expect(printfFixed(2.5, 0)).toBe('2');
    expect(printfFixed(1e300, 2)).toBe(`${BigInt(1e300).toString()}.00`);
    expect(printfFixed(Infinity, 6)).toBe('inf');
  });

  it('humanLongDouble is %.17Lf with the trailing zeros removed', () => {
    expect(humanLongDouble(13.361389338970184)).toBe('13.36138933897018433');
    expect(humanLongDouble(1)).toBe('1');
    expect(humanLongDouble(-1e-20)).toBe('0');
    expect(humanLongDouble(-180)).toBe('-180');
  });

  it('fixedPoint rounds the scaled value half to even (llrint)', () => {
    expect(fixedPoint(0, 4)).toBe('0.0000');
    expect(fixedPoint(166.27415156960038, 4)).toBe('166.2742');
    expect(fixedPoint(0.00005, 4)).toBe('0.0000'); // 0.5 after scaling (binary value slightly above or below)
    expect(fixedPoint(0.25, 0 + 1)).toBe('0.2');
    expect(fixedPoint(0.45, 1)).toBe('0.4'); // 4.5 after scaling: llrint gives 4
    expect(fixedPoint(0.35, 1)).toBe('0.4'); // 3.5 after scaling: llrint gives 4
    expect(fixedPoint(-2.5, 1)).toBe('-2.5');
  });
});
