/**
 * The geo search over a sorted set (Redis geo.c membersOfAllNeighbors / geoGetPointsInRange /
 * geoWithinShape): the search boxes (geohash.ts) are scanned in Redis's order, each as the score
 * range [min, max) of the set, skipping a box equal to the last one scanned; every point decoded
 * from its score is kept when it lies in the circle (haversine distance ≤ radius) or in the
 * rectangle (north-south distance ≤ height/2, east-west distance at the point's latitude ≤
 * width/2). With a `limit` (COUNT … ANY) the scan stops as soon as that many points were kept.
 *
 * The result keeps scan order; `sortPoints` orders it by distance as Redis does: a stable sort
 * (glibc's qsort is a merge sort) when every point is returned, its partial quicksort otherwise.
 */

import { pqsort } from '../util/pqsort.js';
import { boxScores, decodeScore, distance, latDistance, searchBoxes, type GeoShape } from './geohash.js';
import { NIL } from './structures/skiplist.js';
import type { SortedSet } from './structures/sorted-set.js';

export interface GeoPoint {
  readonly member: string;
  readonly score: number;
  readonly lon: number;
  readonly lat: number;
  /** Metres from the centre (divided by the unit's metres before replying). */
  dist: number;
}

const XY = new Float64Array(2);

/** geoWithinShape: the distance in metres when the point (decoded into XY) is inside, else -1. */
function withinShape(s: GeoShape, score: number): number {
  decodeScore(score, XY);
  const x = XY[0]!;
  const y = XY[1]!;
  if (s.radius >= 0) {
    const d = distance(s.lon, s.lat, x, y);
    return d > s.radius * s.conversion ? -1 : d;
  }
  const width = s.width * s.conversion;
  const height = s.height * s.conversion;
  if (latDistance(y, s.lat) > height / 2) return -1;
  if (distance(x, y, s.lon, y) > width / 2) return -1;
  return distance(s.lon, s.lat, x, y);
}

/** geoGetPointsInRange: the points with min ≤ score < max inside the shape, appended to `out`. */
function pointsInRange(z: SortedSet, min: number, max: number, s: GeoShape, out: GeoPoint[], limit: number): void {
  const list = z.list;
  for (let n = list.firstInRange({ min, max, minex: false, maxex: true }); n !== NIL; n = list.next(n)) {
    const score = list.score(n);
    if (!(score < max)) break;
    const d = withinShape(s, score);
    if (d >= 0) out.push({ member: list.member(n), score, lon: XY[0]!, lat: XY[1]!, dist: d });
    if (limit > 0 && out.length >= limit) break;
  }
}

/** Every point of `z` inside the shape, in scan order; at most `limit` of them when limit > 0 (ANY). */
export function searchPoints(z: SortedSet, s: GeoShape, limit: number): GeoPoint[] {
  const boxes = searchBoxes(s);
  const out: GeoPoint[] = [];
  // As in Redis, index 0 doubles as "nothing scanned yet": a box is never compared with the centre.
  let last = 0;
  for (let i = 0; i < boxes.length; i++) {
    const box = boxes[i];
    if (box === null || box === undefined) continue;
    const prev = last !== 0 ? boxes[last] : null;
    if (prev !== null && prev !== undefined && prev.bits === box.bits && prev.step === box.step) continue;
    if (limit > 0 && out.length >= limit) break;
    const [min, max] = boxScores(box);
    pointsInRange(z, min, max, s, out, limit);
    last = i;
  }
  return out;
}

function ascending(a: GeoPoint, b: GeoPoint): number {
  return a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1;
}

function descending(a: GeoPoint, b: GeoPoint): number {
  return -ascending(a, b);
}

/** Orders points by distance so the first `returned` are Redis's answer. */
export function sortPoints(points: GeoPoint[], desc: boolean, returned: number): void {
  const cmp = desc ? descending : ascending;
  if (returned === points.length) points.sort(cmp);
  else pqsort(points, cmp, 0, returned - 1);
}
