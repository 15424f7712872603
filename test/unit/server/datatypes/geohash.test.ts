import { describe, expect, it } from 'vitest';
import { decodeScore, geoScore, geoScoreText, standardGeohash } from '../../../../src/server/datatypes/geohash.js';

/** Values printed by redis-server 7.0.15. */
describe('geohash (Redis geohash.c)', () => {
  it('encodes points to Redis scores', () => {
    expect(geoScore(13.361389, 38.115556)).toBe(3479099956230698);
    expect(geoScore(15.087269, 37.502669)).toBe(3479447370796909);
    expect(geoScore(-180, -85.05112878)).toBe(0);
  });

  it('keeps the exact 54-bit integer at the upper edge of both ranges for propagation', () => {
    // Both offsets are 2^26: latitude's bit lands on bit 52, longitude's on bit 53.
    expect(geoScoreText(180, 85.05112878)).toBe(String(2n ** 53n + 2n ** 52n));
  });

  it('decodes scores to the centre of their box', () => {
    const xy = new Float64Array(2);
    decodeScore(3479099956230698, xy);
    expect(xy[0]).toBeCloseTo(13.36138933897018433, 14);
    expect(xy[1]).toBeCloseTo(38.11555639549629859, 14);
    decodeScore(-1, xy); // wraps to 2^64 - 1, then clamps
    expect([xy[0], xy[1]]).toEqual([180, 85.05112878]);
  });

  it('prints the standard 11-character geohash', () => {
    expect(standardGeohash(3479099956230698)).toBe('sqc8b49rny0');
    expect(standardGeohash(3479447370796909)).toBe('sqdtr74hyu0');
  });
});
