/**
 * The geo search over a sorted set (Redis geo.c membersOfAllNeighbors / geoGetPointsInRange /
 * geoWithinShape): the search boxes (geohash.ts) are scanned in Redis's order, each as the score
 * range [min, max) of the set, skipping a box equal to the last one scanned; every point decoded
 * from its score is kept when it lies in the circle (haversine distance ≤ radius) or in the
 * rectangle (north-south distance ≤ height/2, east-west distance at the point's latitude ≤
 * width/2). With a `limit` (COUNT … ANY) the scan stops as soon as that many points were kept.
 *
 * The result (GeoHits, column-wise: no object per point) keeps scan order; `sortPoints` orders its
 * index list by distance as Redis does: a stable sort
 * (glibc's qsort is a merge sort) when every point is returned, its partial quicksort otherwise.
 *
 * Distances are first computed with V8's trigonometry (`fastDistance`, with an error bound) and
 * made exact (`distance`, correctly rounded as glibc's) only where the difference could show: a
 * point near the radius or the box's edge, two points whose distances are within their bounds of
 * each other when sorting, a distance printed near a rounding midpoint or stored (`exactDist`).
 * So every decision and output is the exact one at the fast path's cost.
 */

import { pqsort } from '../util/pqsort.js';
import { boxScores, decodeScore, distance, fastDistance, fastTolerance, latDistance, searchBoxes, type GeoShape } from './geohash.js';
import { NIL } from './structures/skiplist.js';
import type { SortedSet } from './structures/sorted-set.js';

/**
 * The points a search kept, column-wise (no object per point): `n` points, point i's member,
 * score, decoded position, distance in metres from the centre and how far that distance may be
 * from the exact one (0 once exact). `order` lists point indices in reply order once sorted.
 */
export class GeoHits {
  n = 0;
  readonly members: string[] = [];
  readonly score: Float64Array;
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  readonly dist: Float64Array;
  readonly tol: Float64Array;
  /** Point indices in reply order: scan order, then sortPoints' (set by `done`). */
  order: number[] = [];

  /** `capacity`: at most this many points will be pushed (the scanned ranges' element count). */
  constructor(
    readonly shape: GeoShape,
    capacity: number,
  ) {
    this.score = new Float64Array(capacity);
    this.lon = new Float64Array(capacity);
    this.lat = new Float64Array(capacity);
    this.dist = new Float64Array(capacity);
    this.tol = new Float64Array(capacity);
  }

  push(member: string, score: number, lon: number, lat: number, dist: number, tol: number): void {
    const i = this.n++;
    this.members.push(member);
    this.score[i] = score;
    this.lon[i] = lon;
    this.lat[i] = lat;
    this.dist[i] = dist;
    this.tol[i] = tol;
  }

  /** The scan is over: `order` lists the points in scan order. */
  done(): this {
    const order = new Array<number>(this.n);
    for (let i = 0; i < this.n; i++) order[i] = i;
    this.order = order;
    return this;
  }
}

const XY = new Float64Array(2);
let tol = 0;

/** The distance for a comparison with `limit`: fast, or exact when it is too close to call. */
function decided(lon1: number, lat1: number, lon2: number, lat2: number, limit: number): number {
  const d = fastDistance(lon1, lat1, lon2, lat2);
  tol = fastTolerance;
  if (Math.abs(d - limit) > tol) return d;
  tol = 0;
  return distance(lon1, lat1, lon2, lat2);
}

/** geoWithinShape: the distance in metres (±tol) when the point (decoded into XY) is inside, else -1. */
function withinShape(s: GeoShape, score: number): number {
  decodeScore(score, XY);
  const x = XY[0]!;
  const y = XY[1]!;
  if (s.radius >= 0) {
    const d = decided(s.lon, s.lat, x, y, s.radius * s.conversion);
    return d > s.radius * s.conversion ? -1 : d;
  }
  const width = s.width * s.conversion;
  const height = s.height * s.conversion;
  if (latDistance(y, s.lat) > height / 2) return -1;
  if (decided(x, y, s.lon, y, width / 2) > width / 2) return -1;
  const d = fastDistance(s.lon, s.lat, x, y);
  tol = fastTolerance;
  return d;
}

/** Point i's exact distance (metres), computed once. */
export function exactDist(h: GeoHits, i: number): number {
  if (h.tol[i] !== 0) {
    h.dist[i] = distance(h.shape.lon, h.shape.lat, h.lon[i]!, h.lat[i]!);
    h.tol[i] = 0;
  }
  return h.dist[i]!;
}

/** True when a distance known within ±tol metres prints (4 decimals, in the unit) as the exact one would. */
export function printsExactly(dist: number, tol: number, conversion: number): boolean {
  if (tol === 0) return true;
  const scaled = (dist / conversion) * 1e4;
  const margin = (tol / conversion) * 1e4 + 1e-6;
  // llrint's rounding boundaries are the half-integers.
  return Math.abs(scaled - Math.floor(scaled) - 0.5) > margin;
}

/** Point i's distance as printed (4 decimals, in the unit): exact unless the fast one is far from a midpoint. */
export function printedDist(h: GeoHits, i: number, conversion: number): number {
  if (!printsExactly(h.dist[i]!, h.tol[i]!, conversion)) exactDist(h, i);
  return h.dist[i]! / conversion;
}

/** geoGetPointsInRange: the points with min ≤ score < max inside the shape, appended to `out`. */
function pointsInRange(z: SortedSet, min: number, max: number, s: GeoShape, out: GeoHits, limit: number): void {
  const list = z.list;
  for (let n = list.firstInRange({ min, max, minex: false, maxex: true }); n !== NIL; n = list.next(n)) {
    const score = list.score(n);
    if (!(score < max)) break;
    const d = withinShape(s, score);
    if (d >= 0) out.push(list.member(n), score, XY[0]!, XY[1]!, d, tol);
    if (limit > 0 && out.n >= limit) break;
  }
}

/** Every point of `z` inside the shape, in scan order; at most `limit` of them when limit > 0 (ANY). */
export function searchPoints(z: SortedSet, s: GeoShape, limit: number): GeoHits {
  const boxes = searchBoxes(s);
  // The score ranges to scan, in Redis's order; a box equal to the last one scanned is skipped
  // (as in Redis, index 0 doubles as "nothing scanned yet": a box is never compared with the centre).
  const ranges: number[] = [];
  let capacity = 0;
  let last = 0;
  for (let i = 0; i < boxes.length; i++) {
    const box = boxes[i];
    if (box === null || box === undefined) continue;
    const prev = last !== 0 ? boxes[last] : null;
    if (prev !== null && prev !== undefined && prev.bits === box.bits && prev.step === box.step) continue;
    const [min, max] = boxScores(box);
    ranges.push(min, max);
    capacity += z.list.countInRange({ min, max, minex: false, maxex: true });
    last = i;
  }
  const out = new GeoHits(s, limit > 0 ? Math.min(limit, capacity) : capacity);
  for (let i = 0; i < ranges.length; i += 2) {
    if (limit > 0 && out.n >= limit) break;
    pointsInRange(z, ranges[i]!, ranges[i + 1]!, s, out, limit);
  }
  return out.done();
}

/** The hits being sorted (the comparators read their columns; sorting is never re-entered). */
let sorting: GeoHits | null = null;

/**
 * Redis's sort_gp_asc on exact distances (refined only for pairs too close to call; the same
 * point twice is the same distance either way).
 */
function ascending(a: number, b: number): number {
  const h = sorting!;
  const dist = h.dist;
  const tol = h.tol;
  if (Math.abs(dist[a]! - dist[b]!) <= tol[a]! + tol[b]! && (h.lon[a] !== h.lon[b] || h.lat[a] !== h.lat[b])) {
    exactDist(h, a);
    exactDist(h, b);
  }
  const da = dist[a]!;
  const db = dist[b]!;
  return da > db ? 1 : da === db ? 0 : -1;
}

function descending(a: number, b: number): number {
  return -ascending(a, b);
}

/** Orders `h.order` by distance so its first `returned` are Redis's answer. */
export function sortPoints(h: GeoHits, desc: boolean, returned: number): void {
  const cmp = desc ? descending : ascending;
  sorting = h;
  try {
    if (returned === h.n) h.order.sort(cmp);
    else pqsort(h.order, cmp, 0, returned - 1);
  } finally {
    sorting = null;
  }
}
