/**
 * SORT and RESTORE: option types and argument builders.
 *
 * SORT's BY and GET patterns name other keys (`w_*`, `h_*->field`): the node reads them from its
 * own keyspace, so on a ring they must share the sorted key's shard ({hash tags} in both).
 */

import { InvalidArgumentError } from '../../../errors.js';
import type { Arg } from '../../transport/command.js';

/** SORT's options (BY, LIMIT, GET, ASC/DESC, ALPHA); STORE is sortStore. */
export interface SortOptions {
  /** A weight pattern (`w_*`, `h_*->field`), or a constant such as `nosort` to keep the stored order. */
  by?: Arg;
  /** Skip `offset` elements and return `count` (LIMIT). */
  limit?: {
    /** Elements to skip. */
    offset: number;
    /** Elements to return at most (-1: all the rest). */
    count: number;
  };
  /** Patterns to fetch per element (`#` is the element itself); a missing key gives null. */
  get?: readonly Arg[];
  /** Ascending (default) or descending. */
  order?: 'ASC' | 'DESC';
  /** Compare as strings rather than numbers. */
  alpha?: boolean;
}

/** RESTORE's options (REPLACE, ABSTTL, IDLETIME, FREQ) and the TTL. */
export interface RestoreOptions {
  /** Milliseconds to live (0 or absent: no expiry); an absolute Unix time in ms with `absTtl`. */
  ttl?: number;
  /** `ttl` is an absolute Unix time in milliseconds (ABSTTL). */
  absTtl?: boolean;
  /** Overwrite an existing key instead of failing with BUSYKEY. */
  replace?: boolean;
  /** Seconds since last access (LRU policies). */
  idleTime?: number;
  /** Access frequency 0–255 (LFU policies). */
  freq?: number;
}

function integer(name: string, n: number, min: number): number {
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
  return n;
}

export function sortArgs(name: 'SORT' | 'SORT_RO', key: Arg, o: SortOptions | undefined, destination?: Arg): Arg[] {
  const argv: Arg[] = [name, key];
  if (o?.by !== undefined) argv.push('BY', o.by);
  if (o?.limit !== undefined) argv.push('LIMIT', integer('limit.offset', o.limit.offset, 0), integer('limit.count', o.limit.count, -1));
  for (const g of o?.get ?? []) argv.push('GET', g);
  if (o?.order !== undefined) argv.push(o.order);
  if (o?.alpha === true) argv.push('ALPHA');
  if (destination !== undefined) argv.push('STORE', destination);
  return argv;
}

export function restoreArgs(key: Arg, payload: Arg, o: RestoreOptions | undefined): Arg[] {
  const argv: Arg[] = ['RESTORE', key, integer('ttl', o?.ttl ?? 0, 0), payload];
  if (o?.replace === true) argv.push('REPLACE');
  if (o?.absTtl === true) argv.push('ABSTTL');
  if (o?.idleTime !== undefined && o.freq !== undefined) throw new InvalidArgumentError('restore: idleTime and freq exclude each other');
  if (o?.idleTime !== undefined) argv.push('IDLETIME', integer('idleTime', o.idleTime, 0));
  if (o?.freq !== undefined) {
    if (o.freq > 255) throw new InvalidArgumentError('freq must be ≤ 255');
    argv.push('FREQ', integer('freq', o.freq, 0));
  }
  return argv;
}
