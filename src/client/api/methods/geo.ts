/**
 * Typed geo commands (GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH, GEOSEARCHSTORE): points are
 * `{ longitude, latitude, member }`, positions `{ longitude, latitude }` (null for a missing
 * member), distances numbers in the unit asked. The deprecated GEORADIUS forms are reachable with
 * `call()`. GEOSEARCHSTORE's two keys must live on one shard ({hash tags}).
 */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import {
  distanceOrNull,
  geoaddArgs,
  geoSearchTail,
  positions,
  searchResults,
  type GeoAddOptions,
  type GeoFrom,
  type GeoPointInput,
  type GeoPosition,
  type GeoSearchOptions,
  type GeoSearchResult,
  type GeoSearchWithOptions,
  type GeoShape,
  type GeoUnit,
} from '../args/geo.js';
import { HyperLogLogCommands } from './hyperloglog.js';

export abstract class GeoCommands extends HyperLogLogCommands {
  /** GEOADD: adds or moves points (stored in a sorted set); resolves how many were added (changed too, with `ch`). */
  geoadd(key: Arg, points: GeoPointInput | readonly GeoPointInput[], options?: GeoAddOptions): Promise<number> {
    return this.build(() => geoaddArgs(key, points, options), D.int);
  }

  /** GEOPOS: each member's position as `{ longitude, latitude }`, in order (null for a missing member). */
  geopos(key: Arg, members: readonly Arg[]): Promise<(GeoPosition | null)[]> {
    return this.build(() => ['GEOPOS', key, ...members], positions);
  }

  /** GEODIST: the distance between two members (metres unless `unit`), or null when one is missing. */
  geodist(key: Arg, member1: Arg, member2: Arg, unit?: GeoUnit): Promise<number | null> {
    return this.run(unit === undefined ? ['GEODIST', key, member1, member2] : ['GEODIST', key, member1, member2, unit], distanceOrNull);
  }

  /** GEOHASH: each member's 11-character standard geohash, in order (null for a missing member). */
  geohash(key: Arg, members: readonly Arg[]): Promise<(string | null)[]> {
    return this.build(() => ['GEOHASH', key, ...members], D.strOrNullList);
  }

  /** GEOSEARCH: the members within the shape (radius or box) around the centre (a member or a longitude/latitude). */
  geosearch(key: Arg, from: GeoFrom, shape: GeoShape, options?: GeoSearchOptions): Promise<string[]> {
    return this.build(() => ['GEOSEARCH', key, ...geoSearchTail(from, shape, options)], D.strList);
  }

  /** GEOSEARCH … WITHDIST/WITHHASH/WITHCOORD: the matches as objects with the fields asked for. */
  geosearchWith(key: Arg, from: GeoFrom, shape: GeoShape, options: GeoSearchWithOptions): Promise<GeoSearchResult[]> {
    return this.build(() => {
      const argv: Arg[] = ['GEOSEARCH', key, ...geoSearchTail(from, shape, options)];
      if (options.withDist === true) argv.push('WITHDIST');
      if (options.withHash === true) argv.push('WITHHASH');
      if (options.withCoord === true) argv.push('WITHCOORD');
      return argv;
    }, (r) => searchResults(options)(r));
  }

  /** GEOSEARCHSTORE: stores the matches (geohash scores, or distances with `storeDist`) in `destination` (same shard); resolves their count. */
  geosearchstore(destination: Arg, source: Arg, from: GeoFrom, shape: GeoShape, options?: GeoSearchOptions & { storeDist?: boolean }): Promise<number> {
    return this.build(() => {
      const argv: Arg[] = ['GEOSEARCHSTORE', destination, source, ...geoSearchTail(from, shape, options)];
      if (options?.storeDist === true) argv.push('STOREDIST');
      return argv;
    }, D.int);
  }
}
