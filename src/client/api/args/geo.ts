/**
 * Geo commands: option types and argument builders (GEOADD points and flags, GEOSEARCH /
 * GEOSEARCHSTORE centre, shape and ordering) and the decoders of their replies.
 *
 * A search starts from a member or a longitude/latitude, covers a radius or a box in one unit
 * (m, km, ft, mi), may be ordered by distance and limited (`any`: stop at the first `count`
 * matches, not the nearest ones). Coordinates and distances come back as numbers.
 */

import { InvalidArgumentError } from '../../../errors.js';
import type { Arg } from '../../transport/command.js';
import { double, doubleOrNull, int, text, type Decoder } from '../decode.js';

/** A distance unit: metres, kilometres, feet or miles. */
export type GeoUnit = 'm' | 'km' | 'ft' | 'mi';

/** A position on the globe, in degrees. */
export interface GeoPosition {
  /** Degrees east (-180 to 180). */
  longitude: number;
  /** Degrees north (about -85.05 to 85.05, the range Redis stores). */
  latitude: number;
}

/** A point to add: where, and which member. */
export interface GeoPointInput extends GeoPosition {
  /** The member placed at that position. */
  member: Arg;
}

/** GEOADD's flags (NX, XX, CH). */
export interface GeoAddOptions {
  /** Only add new members. */
  nx?: boolean;
  /** Only update existing members. */
  xx?: boolean;
  /** Count changed members, not only added ones. */
  ch?: boolean;
}

/** Where a search starts: at a member's position (FROMMEMBER) or at a longitude/latitude (FROMLONLAT). */
export type GeoFrom =
  | {
      /** The member whose position is the centre. */
      member: Arg;
    }
  | GeoPosition;

/** The area searched: a circle (BYRADIUS) or an axis-aligned box (BYBOX) around the centre. */
export type GeoShape =
  | {
      /** The circle's radius, in `unit`. */
      radius: number;
      /** The unit of the radius (and of the distances returned). */
      unit: GeoUnit;
    }
  | {
      /** The box's width, in `unit`. */
      width: number;
      /** The box's height, in `unit`. */
      height: number;
      /** The unit of the box (and of the distances returned). */
      unit: GeoUnit;
    };

/** GEOSEARCH's ordering and limit (ASC/DESC, COUNT [ANY]). */
export interface GeoSearchOptions {
  /** By distance from the centre. */
  order?: 'ASC' | 'DESC';
  /** At most this many results (the nearest ones, unless `any`). */
  count?: number;
  /** With `count`: return as soon as `count` matches are found. */
  any?: boolean;
}

/** geosearchWith's options: those of GEOSEARCH plus which fields each result carries. */
export interface GeoSearchWithOptions extends GeoSearchOptions {
  /** Include each match's distance from the centre (WITHDIST). */
  withDist?: boolean;
  /** Include each match's geohash score (WITHHASH). */
  withHash?: boolean;
  /** Include each match's position (WITHCOORD). */
  withCoord?: boolean;
}

/** One result of `geosearchWith`: the fields asked for are set. */
export interface GeoSearchResult {
  /** The matching member. */
  member: string;
  /** In the search's unit. */
  distance?: number;
  /** The 52-bit geohash score. */
  hash?: number;
  /** The member's position. */
  coordinates?: GeoPosition;
}

function finite(name: string, n: number): number {
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a finite number`);
  return n;
}

export function geoaddArgs(key: Arg, points: GeoPointInput | readonly GeoPointInput[], o: GeoAddOptions | undefined): Arg[] {
  const list = Array.isArray(points) ? (points as readonly GeoPointInput[]) : [points as GeoPointInput];
  if (list.length === 0) throw new InvalidArgumentError('geoadd needs at least one point');
  if (o?.nx === true && o.xx === true) throw new InvalidArgumentError('geoadd: nx and xx exclude each other');
  const argv: Arg[] = ['GEOADD', key];
  if (o?.nx === true) argv.push('NX');
  if (o?.xx === true) argv.push('XX');
  if (o?.ch === true) argv.push('CH');
  for (const p of list) argv.push(finite('longitude', p.longitude), finite('latitude', p.latitude), p.member);
  return argv;
}

/** The FROM…, BY… and ordering arguments shared by GEOSEARCH and GEOSEARCHSTORE. */
export function geoSearchTail(from: GeoFrom, shape: GeoShape, o: GeoSearchOptions | undefined): Arg[] {
  const argv: Arg[] = [];
  if ('member' in from) argv.push('FROMMEMBER', from.member);
  else argv.push('FROMLONLAT', finite('longitude', from.longitude), finite('latitude', from.latitude));
  if ('radius' in shape) argv.push('BYRADIUS', finite('radius', shape.radius), shape.unit);
  else argv.push('BYBOX', finite('width', shape.width), finite('height', shape.height), shape.unit);
  if (o?.order !== undefined) argv.push(o.order);
  if (o?.count !== undefined) {
    if (!Number.isInteger(o.count) || o.count <= 0) throw new InvalidArgumentError('count must be a positive integer');
    argv.push('COUNT', o.count);
    if (o.any === true) argv.push('ANY');
  } else if (o?.any === true) {
    throw new InvalidArgumentError('any needs count');
  }
  return argv;
}

/** GEOPOS's entries: `{ longitude, latitude }`, or null for a missing member. */
export const positions: Decoder<(GeoPosition | null)[]> = (v) =>
  Array.isArray(v) ? v.map((p) => (Array.isArray(p) ? { longitude: double(p[0]!), latitude: double(p[1]!) } : null)) : [];

export const distanceOrNull: Decoder<number | null> = doubleOrNull;

/** GEOSEARCH … WITH* results, in the fields' reply order (distance, hash, coordinates). */
export function searchResults(o: GeoSearchWithOptions): Decoder<GeoSearchResult[]> {
  return (v) => {
    if (!Array.isArray(v)) return [];
    return v.map((item) => {
      const parts = Array.isArray(item) ? item : [item];
      const r: GeoSearchResult = { member: text(parts[0]!) };
      let i = 1;
      if (o.withDist === true) r.distance = double(parts[i++]!);
      if (o.withHash === true) r.hash = int(parts[i++]!);
      if (o.withCoord === true) {
        const xy = parts[i++];
        if (Array.isArray(xy)) r.coordinates = { longitude: double(xy[0]!), latitude: double(xy[1]!) };
      }
      return r;
    });
  };
}
