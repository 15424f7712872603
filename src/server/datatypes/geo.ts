/**
 * Geo commands (Redis geo.c) on sorted sets whose scores are 52-bit geohashes (geohash.ts):
 * GEOADD (NX XX CH), GEOPOS, GEODIST, GEOHASH, GEOSEARCH, GEOSEARCHSTORE and the deprecated
 * GEORADIUS, GEORADIUSBYMEMBER and their _RO forms.
 *
 * Arguments are checked in Redis's order with its texts (the source key's type first, then the
 * centre, then the options left to right). GEOADD propagates as the ZADD it amounts to, with the
 * exact integer scores Redis writes. Coordinates print as Redis prints long doubles ("%.17Lf",
 * trimmed), distances with four decimals.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { isWord, keyword, parseDouble, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { ValueType } from '../keyspace/entry.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { fixedPoint, humanLongDouble, printfFixed } from '../util/fixed-format.js';
import { exactDist, printedDist, printsExactly, searchPoints, sortPoints, type GeoHits } from './geo-search.js';
import { decodeScore, distance, fastDistance, fastTolerance, GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN, geoScore, geoScoreText, standardGeohash, type GeoShape } from './geohash.js';
import { storeResult, deleteDestination } from './store-result.js';
import { SortedSet } from './structures/sorted-set.js';
import { valueAs } from './typed-value.js';
import { fitListpack } from './zset.js';

const UNIT_ERROR = 'ERR unsupported unit provided. please use M, KM, FT, MI';
const MEMBER_ERROR = 'ERR could not decode requested zset member';

const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const RADIUS_NOSTORE = 4;
const GEOSEARCH = 8;
const GEOSEARCHSTORE = 16;

const XY = new Float64Array(2);

/** Replies with an error and returns false, for the parsers' early exits. */
function fail(c: ClientContext, text: string): false {
  c.reply.error(text);
  return false;
}

function zsetAt(c: ClientContext, key: string): SortedSet | null | undefined {
  return valueAs<SortedSet>(c, c.db.lookupRead(key), ValueType.ZSET);
}

/** extractUnitOrReply: metres per unit, or -1 after replying. */
function unitOrReply(c: ClientContext, unit: string): number {
  const u = keyword(unit);
  const m = u === 'm' ? 1 : u === 'km' ? 1000 : u === 'ft' ? 0.3048 : u === 'mi' ? 1609.34 : -1;
  if (m < 0) c.reply.error(UNIT_ERROR);
  return m;
}

/** extractLongLatOrReply: argv[i], argv[i + 1] as a valid longitude and latitude into `xy`. */
function lonLatOrReply(c: ClientContext, argv: readonly string[], i: number, xy: Float64Array): boolean {
  const lon = parseDouble(argv[i]!);
  if (lon === null) return fail(c, R.NOT_FLOAT);
  const lat = parseDouble(argv[i + 1]!);
  if (lat === null) return fail(c, R.NOT_FLOAT);
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    c.reply.error(`ERR invalid longitude,latitude pair ${printfFixed(lon, 6)},${printfFixed(lat, 6)}`);
    return false;
  }
  xy[0] = lon;
  xy[1] = lat;
  return true;
}

/** extractDistanceOrReply: `radius unit` at argv[i]. */
function radiusOrReply(c: ClientContext, argv: readonly string[], i: number, s: GeoShape): boolean {
  const d = parseDouble(argv[i]!);
  if (d === null) return fail(c, 'ERR need numeric radius');
  if (d < 0) return fail(c, 'ERR radius cannot be negative');
  const m = unitOrReply(c, argv[i + 1]!);
  if (m < 0) return false;
  s.radius = d;
  s.conversion = m;
  return true;
}

/** extractBoxOrReply: `width height unit` at argv[i]. */
function boxOrReply(c: ClientContext, argv: readonly string[], i: number, s: GeoShape): boolean {
  const w = parseDouble(argv[i]!);
  if (w === null) return fail(c, 'ERR need numeric width');
  const h = parseDouble(argv[i + 1]!);
  if (h === null) return fail(c, 'ERR need numeric height');
  if (h < 0 || w < 0) return fail(c, 'ERR height or width cannot be negative');
  const m = unitOrReply(c, argv[i + 2]!);
  if (m < 0) return false;
  s.radius = -1;
  s.width = w;
  s.height = h;
  s.conversion = m;
  return true;
}

/** longLatFromMember into the shape's centre; replies with Redis's error when the member is missing. */
function memberCentreOrReply(c: ClientContext, z: SortedSet, member: string, s: GeoShape): boolean {
  const score = z.score(member);
  if (score === undefined) return fail(c, MEMBER_ERROR);
  decodeScore(score, XY);
  s.lon = XY[0]!;
  s.lat = XY[1]!;
  return true;
}

function geoadd(c: ClientContext, argv: string[]): void {
  let nx = false;
  let xx = false;
  let ch = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const o = argv[i]!;
    if (isWord(o, 'nx')) nx = true;
    else if (isWord(o, 'xx')) xx = true;
    else if (isWord(o, 'ch')) ch = true;
    else break;
  }
  if ((argv.length - i) % 3 !== 0 || (xx && nx) || argv.length === i) return c.reply.error(R.SYNTAX);
  const zaddArgv = ['ZADD', ...argv.slice(1, i)];
  const points: [number, string][] = [];
  for (let j = i; j < argv.length; j += 3) {
    if (!lonLatOrReply(c, argv, j, XY)) return;
    points.push([geoScore(XY[0]!, XY[1]!), argv[j + 2]!]);
    zaddArgv.push(geoScoreText(XY[0]!, XY[1]!), argv[j + 2]!);
  }
  const key = argv[1]!;
  const e = c.db.lookupWrite(key);
  let z = valueAs<SortedSet>(c, e, ValueType.ZSET);
  if (z === undefined) return;
  if (z === null) {
    if (xx) return c.reply.integer(0);
    z = new SortedSet();
    c.db.add(key, ValueType.ZSET, z);
  }
  let added = 0;
  let changed = 0;
  for (const [score, member] of points) {
    const cur = z.score(member);
    if (cur === undefined) {
      if (xx) continue;
      z.set(member, score);
      added++;
    } else if (!nx && cur !== score) {
      z.set(member, score);
      changed++;
    }
  }
  if (added > 0) fitListpack(c, z);
  if (added + changed > 0) {
    c.server.keyspace.signalModified(c.db, key);
    notify(c, Notify.ZSET, 'zadd', key);
    c.server.dirty += added + changed;
    c.propagateAs = [zaddArgv];
  }
  c.reply.integer(ch ? added + changed : added);
}

function geopos(c: ClientContext, argv: string[]): void {
  const z = zsetAt(c, argv[1]!);
  if (z === undefined) return;
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = z?.score(argv[j]!);
    if (score === undefined) {
      c.reply.nullArray();
      continue;
    }
    decodeScore(score, XY);
    c.reply.array(2);
    c.reply.doubleText(humanLongDouble(XY[0]!));
    c.reply.doubleText(humanLongDouble(XY[1]!));
  }
}

function geodist(c: ClientContext, argv: string[]): void {
  let toMeter = 1;
  if (argv.length === 5) {
    toMeter = unitOrReply(c, argv[4]!);
    if (toMeter < 0) return;
  } else if (argv.length > 5) {
    return c.reply.error(R.SYNTAX);
  }
  const z = zsetAt(c, argv[1]!);
  if (z === undefined) return;
  const s1 = z?.score(argv[2]!);
  const s2 = z?.score(argv[3]!);
  if (s1 === undefined || s2 === undefined) return c.reply.nullBulk();
  decodeScore(s1, XY);
  const lon1 = XY[0]!;
  const lat1 = XY[1]!;
  decodeScore(s2, XY);
  let d = fastDistance(lon1, lat1, XY[0]!, XY[1]!);
  if (!printsExactly(d, fastTolerance, toMeter)) d = distance(lon1, lat1, XY[0]!, XY[1]!);
  c.reply.bulk(fixedPoint(d / toMeter, 4));
}

function geohash(c: ClientContext, argv: string[]): void {
  const z = zsetAt(c, argv[1]!);
  if (z === undefined) return;
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = z?.score(argv[j]!);
    if (score === undefined) c.reply.nullBulk();
    else c.reply.bulk(standardGeohash(score));
  }
}

/** Options of a search, as georadiusGeneric collects them. */
interface SearchOptions {
  storeKey: string | null;
  storeDist: boolean;
  withDist: boolean;
  withHash: boolean;
  withCoord: boolean;
  fromMember: boolean;
  fromLoc: boolean;
  byRadius: boolean;
  byBox: boolean;
  /** 0 none, 1 ASC, 2 DESC. */
  sort: number;
  any: boolean;
  count: number;
}

/**
 * The options after the fixed arguments (georadiusGeneric's loop). FROMMEMBER is decoded as it
 * is met when the source exists. Returns null after replying with an error.
 */
function parseSearchOptions(c: ClientContext, argv: readonly string[], base: number, flags: number, z: SortedSet | null, s: GeoShape, o: SearchOptions): boolean {
  const remaining = argv.length - base;
  for (let i = 0; i < remaining; i++) {
    const arg = argv[base + i]!;
    const at = base + i + 1;
    if (isWord(arg, 'withdist')) o.withDist = true;
    else if (isWord(arg, 'withhash')) o.withHash = true;
    else if (isWord(arg, 'withcoord')) o.withCoord = true;
    else if (isWord(arg, 'any')) o.any = true;
    else if (isWord(arg, 'asc')) o.sort = 1;
    else if (isWord(arg, 'desc')) o.sort = 2;
    else if (isWord(arg, 'count') && i + 1 < remaining) {
      const n = parseInteger(argv[at]!);
      if (n === null) return fail(c, R.NOT_INTEGER);
      if (n <= 0) return fail(c, 'ERR COUNT must be > 0');
      o.count = n;
      i++;
    } else if ((isWord(arg, 'store') || isWord(arg, 'storedist')) && i + 1 < remaining && !(flags & (RADIUS_NOSTORE | GEOSEARCH))) {
      o.storeKey = argv[at]!;
      o.storeDist = isWord(arg, 'storedist');
      i++;
    } else if (isWord(arg, 'storedist') && flags & GEOSEARCH && flags & GEOSEARCHSTORE) {
      o.storeDist = true;
    } else if (isWord(arg, 'frommember') && i + 1 < remaining && flags & GEOSEARCH && !o.fromLoc) {
      if (z !== null && !memberCentreOrReply(c, z, argv[at]!, s)) return false;
      o.fromMember = true;
      i++;
    } else if (isWord(arg, 'fromlonlat') && i + 2 < remaining && flags & GEOSEARCH && !o.fromMember) {
      if (!lonLatOrReply(c, argv, at, XY)) return false;
      s.lon = XY[0]!;
      s.lat = XY[1]!;
      o.fromLoc = true;
      i += 2;
    } else if (isWord(arg, 'byradius') && i + 2 < remaining && flags & GEOSEARCH && !o.byBox) {
      if (!radiusOrReply(c, argv, at, s)) return false;
      o.byRadius = true;
      i += 2;
    } else if (isWord(arg, 'bybox') && i + 3 < remaining && flags & GEOSEARCH && !o.byRadius) {
      if (!boxOrReply(c, argv, at, s)) return false;
      o.byBox = true;
      i += 3;
    } else {
      return fail(c, R.SYNTAX);
    }
  }
  return true;
}

/** The checks georadiusGeneric makes after the loop; false after replying. */
function checkSearchOptions(c: ClientContext, argv: readonly string[], flags: number, o: SearchOptions): boolean {
  if (o.storeKey !== null && (o.withDist || o.withHash || o.withCoord)) {
    const what = flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    return fail(c, `ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
  }
  if (flags & GEOSEARCH && !(o.fromMember || o.fromLoc)) {
    return fail(c, `ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]!}`);
  }
  if (flags & GEOSEARCH && !(o.byRadius || o.byBox)) {
    return fail(c, `ERR exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]!}`);
  }
  if (o.any && o.count === 0) return fail(c, 'ERR the ANY argument requires COUNT argument');
  return true;
}

function replyPoints(c: ClientContext, h: GeoHits, returned: number, conversion: number, o: SearchOptions): void {
  const extra = (o.withDist ? 1 : 0) + (o.withCoord ? 1 : 0) + (o.withHash ? 1 : 0);
  const r = c.reply;
  r.array(returned);
  for (let k = 0; k < returned; k++) {
    const i = h.order[k]!;
    if (extra > 0) r.array(extra + 1);
    r.bulk(h.members[i]!);
    if (o.withDist) r.bulk(fixedPoint(printedDist(h, i, conversion), 4));
    if (o.withHash) {
      const score = h.score[i]!;
      if (Number.isSafeInteger(score)) r.integer(score);
      else r.bigInteger(BigInt(Math.trunc(score)));
    }
    if (o.withCoord) {
      r.array(2);
      r.doubleText(humanLongDouble(h.lon[i]!));
      r.doubleText(humanLongDouble(h.lat[i]!));
    }
  }
}

function storePoints(c: ClientContext, h: GeoHits, returned: number, conversion: number, flags: number, o: SearchOptions): void {
  const z = new SortedSet();
  for (let k = 0; k < returned; k++) {
    const i = h.order[k]!;
    z.set(h.members[i]!, o.storeDist ? exactDist(h, i) / conversion : h.score[i]!);
  }
  fitListpack(c, z);
  storeResult(c, o.storeKey!, ValueType.ZSET, z, returned, { type: Notify.ZSET, event: flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore' });
  c.reply.integer(returned);
}

/** georadiusGeneric: every search command. */
function search(c: ClientContext, argv: string[], srcIndex: number, flags: number): void {
  const z = zsetAt(c, argv[srcIndex]!);
  if (z === undefined) return;
  const s: GeoShape = { lon: 0, lat: 0, conversion: 1, radius: -1, width: 0, height: 0 };
  const o: SearchOptions = {
    storeKey: null, storeDist: false, withDist: false, withHash: false, withCoord: false,
    fromMember: false, fromLoc: false, byRadius: false, byBox: false, sort: 0, any: false, count: 0,
  };
  let base = 2;
  if (flags & RADIUS_COORDS) {
    base = 6;
    if (!lonLatOrReply(c, argv, 2, XY)) return;
    s.lon = XY[0]!;
    s.lat = XY[1]!;
    if (!radiusOrReply(c, argv, base - 2, s)) return;
  } else if (flags & RADIUS_MEMBER) {
    base = 5;
    if (z !== null && (!memberCentreOrReply(c, z, argv[2]!, s) || !radiusOrReply(c, argv, base - 2, s))) return;
  } else if (flags & GEOSEARCHSTORE) {
    base = 3;
    o.storeKey = argv[1]!;
  }
  if (!parseSearchOptions(c, argv, base, flags, z, s, o) || !checkSearchOptions(c, argv, flags, o)) return;
  if (z === null) {
    if (o.storeKey === null) return c.reply.array(0);
    deleteDestination(c, o.storeKey);
    return c.reply.integer(0);
  }
  if (o.count !== 0 && o.sort === 0 && !o.any) o.sort = 1;
  const points = searchPoints(z, s, o.any ? o.count : 0);
  if (points.n === 0 && o.storeKey === null) return c.reply.array(0);
  const returned = o.count === 0 || points.n < o.count ? points.n : o.count;
  if (o.sort !== 0) sortPoints(points, o.sort === 2, returned);
  if (o.storeKey === null) replyPoints(c, points, returned, s.conversion, o);
  else storePoints(c, points, returned, s.conversion, flags, o);
}

export const GEO_HANDLERS: HandlerTable = {
  geoadd,
  geopos,
  geodist,
  geohash,
  georadius: (c, argv) => search(c, argv, 1, RADIUS_COORDS),
  georadius_ro: (c, argv) => search(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE),
  georadiusbymember: (c, argv) => search(c, argv, 1, RADIUS_MEMBER),
  georadiusbymember_ro: (c, argv) => search(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE),
  geosearch: (c, argv) => search(c, argv, 1, GEOSEARCH),
  geosearchstore: (c, argv) => search(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE),
};
