/**
 * Redis's geohash (geohash.c and geohash_helper.c of Redis 7.0), reproduced operation for operation
 * so that scores, decoded coordinates, search boxes and distances are the same doubles Redis
 * computes:
 *
 * - A point is encoded at `step` bits per axis: each coordinate's offset in its range, scaled by
 *   2^step and truncated to an unsigned 32-bit integer; latitude takes the even bits, longitude the
 *   odd bits of the interleaved 64-bit value. Sorted-set scores are the 52-bit (step 26) hash.
 *   The latitude range is Web Mercator's ±85.05112878, not ±90.
 * - Decoding takes `(uint64_t)score` as x86-64 gcc converts a double (negative scores wrap, 2^64
 *   and above give 0), so members with scores that are no geohash decode as Redis decodes them.
 * - A search covers the centre's box at an estimated step plus its 8 neighbours (fewer near the
 *   search area's edges), each box being one contiguous score range.
 * - Distances are haversine on a sphere of Redis's radius (6372797.560856 m), with correctly
 *   rounded sin/cos/asin (util/cr-math.ts), which is what glibc returns for all but ~0.1% of
 *   arguments.
 *
 * Hashes that may need more than 53 bits (step 26 at the range's upper edge) are BigInts; the
 * per-point paths (encode for GEOADD, decode for every candidate) stay on 32-bit integer halves.
 */

import { crAsin, crCos, crSin } from '../util/cr-math.js';

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;
const TWO32 = 4294967296;
const U64 = 64;

export interface GeoRange {
  readonly min: number;
  readonly max: number;
}

const LONG_RANGE: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const LAT_RANGE: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

/** A geohash at `step` bits per axis (bits may exceed 2^53 at step 26). */
export interface HashBits {
  bits: bigint;
  step: number;
}

export interface GeoArea {
  lonMin: number;
  lonMax: number;
  latMin: number;
  latMax: number;
}

export function degRad(ang: number): number {
  return ang * D_R;
}

export function radDeg(ang: number): number {
  return ang / D_R;
}

/** Spreads the low 16 bits of x onto the even bits of a 32-bit word. */
function spread16(x: number): number {
  x &= 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  return (x | (x << 1)) & 0x55555555;
}

/** Gathers the even bits of a 32-bit word into 16 bits. */
function compact16(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  return (x | (x >>> 8)) & 0xffff;
}

/** Scratch for the interleaved halves (single-threaded). */
const HALVES = new Uint32Array(2);

/** interleave64(lat, lon): lat on the even bits, lon on the odd bits; result in HALVES [hi, lo]. */
function interleave(lat: number, lon: number): void {
  HALVES[1] = spread16(lat) | (spread16(lon) << 1);
  HALVES[0] = spread16(lat >>> 16) | (spread16(lon >>> 16) << 1);
}

/**
 * geohashEncode: false when the point is outside the ranges (or step is invalid); else HALVES holds
 * the hash at `step`.
 */
function encodeHalves(lonR: GeoRange, latR: GeoRange, lon: number, lat: number, step: number): boolean {
  if (step > 32 || step === 0) return false;
  if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN) return false;
  if (lat < latR.min || lat > latR.max || lon < lonR.min || lon > lonR.max) return false;
  let latOffset = (lat - latR.min) / (latR.max - latR.min);
  let lonOffset = (lon - lonR.min) / (lonR.max - lonR.min);
  const scale = 2 ** step;
  latOffset *= scale;
  lonOffset *= scale;
  interleave(latOffset >>> 0, lonOffset >>> 0);
  return true;
}

function halvesBig(): bigint {
  return (BigInt(HALVES[0]!) << 32n) | BigInt(HALVES[1]!);
}

/** The sorted-set score of a valid point (GEOADD): the step-26 hash as a double. */
export function geoScore(lon: number, lat: number): number {
  encodeHalves(LONG_RANGE, LAT_RANGE, lon, lat, GEO_STEP_MAX);
  return HALVES[0]! * TWO32 + HALVES[1]!;
}

/** The exact 52-bit (or wider at the edge) hash of a valid point as decimal text (ZADD's argument). */
export function geoScoreText(lon: number, lat: number): string {
  const score = geoScore(lon, lat);
  return score <= Number.MAX_SAFE_INTEGER ? String(score) : halvesBig().toString();
}

/** Encodes a point at `step` with the given ranges, or null outside them. */
export function encode(lonR: GeoRange, latR: GeoRange, lon: number, lat: number, step: number): HashBits | null {
  if (!encodeHalves(lonR, latR, lon, lat, step)) return null;
  return { bits: halvesBig(), step };
}

/** `(uint64_t)score` as x86-64 code computes it, split into HALVES [hi, lo]. */
function scoreHalves(score: number): void {
  if (score >= 0 && score < 2 ** 64) {
    const t = Math.trunc(score);
    const hi = Math.floor(t / TWO32);
    HALVES[0] = hi;
    HALVES[1] = t - hi * TWO32;
  } else if (score < 0 && score > -(2 ** 63)) {
    const v = BigInt.asUintN(U64, BigInt(Math.trunc(score)));
    HALVES[0] = Number(v >> 32n);
    HALVES[1] = Number(v & 0xffffffffn);
  } else if (score >= 2 ** 64) {
    HALVES[0] = 0;
    HALVES[1] = 0;
  } else {
    HALVES[0] = 0x80000000;
    HALVES[1] = 0;
  }
}

/** geohashDecode into `out` from the deinterleaved integer offsets. */
function decodeOffsets(ilato: number, ilono: number, step: number, lonR: GeoRange, latR: GeoRange, out: GeoArea): void {
  const latScale = latR.max - latR.min;
  const lonScale = lonR.max - lonR.min;
  const div = 2 ** step;
  out.latMin = latR.min + ((ilato * 1.0) / div) * latScale;
  out.latMax = latR.min + ((((ilato + 1) >>> 0) * 1.0) / div) * latScale;
  out.lonMin = lonR.min + ((ilono * 1.0) / div) * lonScale;
  out.lonMax = lonR.min + ((((ilono + 1) >>> 0) * 1.0) / div) * lonScale;
}

/** geohashDecode of a hash (a zero hash at step 0 decodes to nothing, as in Redis). */
export function decodeArea(h: HashBits, out: GeoArea, lonR: GeoRange = LONG_RANGE, latR: GeoRange = LAT_RANGE): boolean {
  if (h.bits === 0n && h.step === 0) return false;
  HALVES[0] = Number((h.bits >> 32n) & 0xffffffffn);
  HALVES[1] = Number(h.bits & 0xffffffffn);
  decodeHalves(h.step, lonR, latR, out);
  return true;
}

function decodeHalves(step: number, lonR: GeoRange, latR: GeoRange, out: GeoArea): void {
  const hi = HALVES[0]!;
  const lo = HALVES[1]!;
  const ilato = (compact16(lo) | (compact16(hi) << 16)) >>> 0;
  const ilono = (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0;
  decodeOffsets(ilato, ilono, step, lonR, latR, out);
}

const STEP_MAX_DIV = 2 ** GEO_STEP_MAX;
const LAT_SCALE = GEO_LAT_MAX - GEO_LAT_MIN;
const LON_SCALE = GEO_LONG_MAX - GEO_LONG_MIN;

/**
 * The centre of a score's step-26 box, clamped to the ranges (decodeGeohash): [lon, lat] in `xy`.
 * The same operations as decodeOffsets with the step-26 constants folded (the per-point path).
 */
export function decodeScore(score: number, xy: Float64Array): void {
  let hi: number;
  let lo: number;
  if (score >= 0 && score <= Number.MAX_SAFE_INTEGER) {
    const t = Math.trunc(score);
    hi = Math.floor(t / TWO32);
    lo = t - hi * TWO32;
  } else {
    scoreHalves(score);
    hi = HALVES[0]!;
    lo = HALVES[1]!;
  }
  const ilato = (compact16(lo) | (compact16(hi) << 16)) >>> 0;
  const ilono = (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0;
  const latMin = GEO_LAT_MIN + ((ilato * 1.0) / STEP_MAX_DIV) * LAT_SCALE;
  const latMax = GEO_LAT_MIN + ((((ilato + 1) >>> 0) * 1.0) / STEP_MAX_DIV) * LAT_SCALE;
  const lonMin = GEO_LONG_MIN + ((ilono * 1.0) / STEP_MAX_DIV) * LON_SCALE;
  const lonMax = GEO_LONG_MIN + ((((ilono + 1) >>> 0) * 1.0) / STEP_MAX_DIV) * LON_SCALE;
  let lon = (lonMin + lonMax) / 2;
  if (lon > GEO_LONG_MAX) lon = GEO_LONG_MAX;
  if (lon < GEO_LONG_MIN) lon = GEO_LONG_MIN;
  let lat = (latMin + latMax) / 2;
  if (lat > GEO_LAT_MAX) lat = GEO_LAT_MAX;
  if (lat < GEO_LAT_MIN) lat = GEO_LAT_MIN;
  xy[0] = lon;
  xy[1] = lat;
}

const ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';
const STANDARD_LONG: GeoRange = { min: -180, max: 180 };
const STANDARD_LAT: GeoRange = { min: -90, max: 90 };

/** GEOHASH's 11-character standard geohash of a score (re-encoded with latitude ±90). */
export function standardGeohash(score: number): string {
  const xy = new Float64Array(2);
  decodeScore(score, xy);
  const h = encode(STANDARD_LONG, STANDARD_LAT, xy[0]!, xy[1]!, GEO_STEP_MAX);
  const bits = h === null ? 0n : h.bits;
  let out = '';
  for (let i = 0; i < 11; i++) {
    const idx = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    out += ALPHABET[idx];
  }
  return out;
}

const EVEN = 0x5555555555555555n;
const ODD = 0xaaaaaaaaaaaaaaaan;

/** geohash_move_x / geohash_move_y: one box east/west (lon, odd bits) or north/south (lat, even bits). */
function move(h: HashBits, d: number, lonAxis: boolean): HashBits {
  if (d === 0) return h;
  const shift = BigInt(U64 - h.step * 2);
  const own = lonAxis ? ODD : EVEN;
  const other = lonAxis ? EVEN : ODD;
  let v = h.bits & own;
  const keep = h.bits & other;
  const zz = other >> shift;
  if (d > 0) v = BigInt.asUintN(U64, v + (zz + 1n));
  else v = BigInt.asUintN(U64, (v | zz) - (zz + 1n));
  v &= own >> shift;
  return { bits: v | keep, step: h.step };
}

function moved(h: HashBits, dx: number, dy: number): HashBits {
  return move(move(h, dx, true), dy, false);
}

/** The search boxes in Redis's order: centre, N, S, E, W, NE, NW, SE, SW; null = excluded. */
export type SearchBoxes = (HashBits | null)[];

/** The search shape: centre, size (in the unit) and the unit's metres. */
export interface GeoShape {
  lon: number;
  lat: number;
  /** Metres per unit (m 1, km 1000, ft 0.3048, mi 1609.34). */
  conversion: number;
  /** BYRADIUS radius, or -1 for a box. */
  radius: number;
  width: number;
  height: number;
}

/** geohashEstimateStepsByRadius. */
export function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** geohashBoundingBox: [minLon, minLat, maxLon, maxLat]. */
export function boundingBox(s: GeoShape): [number, number, number, number] {
  const circle = s.radius >= 0;
  const height = s.conversion * (circle ? s.radius : s.height / 2);
  const width = s.conversion * (circle ? s.radius : s.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / crCos(degRad(s.lat + latDelta)));
  const lonDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / crCos(degRad(s.lat - latDelta)));
  const south = s.lat < 0;
  return [
    south ? s.lon - lonDeltaBottom : s.lon - lonDeltaTop,
    s.lat - latDelta,
    south ? s.lon + lonDeltaBottom : s.lon + lonDeltaTop,
    s.lat + latDelta,
  ];
}

function neighbours(h: HashBits): SearchBoxes {
  return [h, moved(h, 0, 1), moved(h, 0, -1), moved(h, 1, 0), moved(h, -1, 0), moved(h, 1, 1), moved(h, -1, 1), moved(h, 1, -1), moved(h, -1, -1)];
}

/** geohashCalculateAreasByShapeWGS84: the boxes to scan for a search. */
export function searchBoxes(s: GeoShape): SearchBoxes {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(s);
  const radiusMeters = (s.radius >= 0 ? s.radius : Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2))) * s.conversion;
  let steps = estimateSteps(radiusMeters, s.lat);
  let hash = encode(LONG_RANGE, LAT_RANGE, s.lon, s.lat, steps) ?? { bits: 0n, step: steps };
  let boxes = neighbours(hash);
  const area: GeoArea = { lonMin: 0, lonMax: 0, latMin: 0, latMax: 0 };
  const probe: GeoArea = { lonMin: 0, lonMax: 0, latMin: 0, latMax: 0 };
  let decrease = false;
  if (decodeArea(boxes[1]!, probe) && probe.latMax < maxLat) decrease = true;
  if (decodeArea(boxes[2]!, probe) && probe.latMin > minLat) decrease = true;
  if (decodeArea(boxes[3]!, probe) && probe.lonMax < maxLon) decrease = true;
  if (decodeArea(boxes[4]!, probe) && probe.lonMin > minLon) decrease = true;
  if (steps > 1 && decrease) {
    steps--;
    hash = encode(LONG_RANGE, LAT_RANGE, s.lon, s.lat, steps) ?? { bits: 0n, step: steps };
    boxes = neighbours(hash);
  }
  decodeArea(hash, area);
  if (steps >= 2) {
    if (area.latMin < minLat) boxes[2] = boxes[7] = boxes[8] = null;
    if (area.latMax > maxLat) boxes[1] = boxes[5] = boxes[6] = null;
    if (area.lonMin < minLon) boxes[4] = boxes[8] = boxes[6] = null;
    if (area.lonMax > maxLon) boxes[3] = boxes[7] = boxes[5] = null;
  }
  return boxes;
}

/** scoresOfGeoHashBox: the score range [min, max) holding every point of the box. */
export function boxScores(h: HashBits): [number, number] {
  const shift = BigInt(52 - h.step * 2);
  const min = BigInt.asUintN(U64, h.bits << shift);
  const max = BigInt.asUintN(U64, (h.bits + 1n) << shift);
  return [Number(min), Number(max)];
}

/** geohashGetLatDistance. */
export function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/**
 * How far `fastDistance`'s last answer may be from `distance`'s (metres). V8's sin/cos/asin are
 * within 1 ulp of the correctly rounded values, so u, v and the cosines differ by at most 2 ulps,
 * `a` by a few, and asin amplifies that by 1/√(1 − a): generous for nearly antipodal points.
 */
export let fastTolerance = 0;

/** The haversine distance with V8's sin/cos/asin: fast, within `fastTolerance` of `distance`. */
export function fastDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  if (v === 0.0) {
    fastTolerance = 0;
    return latDistance(lat1d, lat2d);
  }
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  const x = Math.sqrt(a);
  const y = Math.asin(x);
  fastTolerance = 2 * EARTH_RADIUS_IN_METERS * (1e-14 * x / Math.sqrt(Math.max(1 - a, 1e-300)) + 1e-14 * y) + 1e-9;
  return 2.0 * EARTH_RADIUS_IN_METERS * y;
}

/** geohashGetDistance: haversine great-circle distance in metres, as glibc's libm computes it. */
export function distance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = crSin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = crSin((lat2r - lat1r) / 2);
  const a = u * u + crCos(lat1r) * crCos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * crAsin(Math.sqrt(a));
}
