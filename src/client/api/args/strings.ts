/**
 * String commands: option types and argument builders (SET, GETEX, LCS IDX). Pure data → argv;
 * validation that the server would only report vaguely is done here with InvalidArgumentError.
 */

import { InvalidArgumentError } from '../../../errors.js';
import type { Arg } from '../../transport/command.js';

/** SET's options: at most one expiry (`ex`, `px`, `exat`, `pxat` or `keepttl`), `nx` or `xx`, and `get`. */
export interface SetOptions {
  /** Expire after this many seconds. */
  ex?: number;
  /** Expire after this many milliseconds. */
  px?: number;
  /** Expire at this Unix time (seconds). */
  exat?: number;
  /** Expire at this Unix time (milliseconds). */
  pxat?: number;
  /** Only set if the key does not exist. */
  nx?: boolean;
  /** Only set if the key exists. */
  xx?: boolean;
  /** Keep the key's current TTL. */
  keepttl?: boolean;
  /** Return the previous value (SET … GET). */
  get?: boolean;
}

/** GETEX's options: at most one of `ex`, `px`, `exat`, `pxat`, `persist`. */
export interface GetExOptions {
  /** Expire after this many seconds. */
  ex?: number;
  /** Expire after this many milliseconds. */
  px?: number;
  /** Expire at this Unix time (seconds). */
  exat?: number;
  /** Expire at this Unix time (milliseconds). */
  pxat?: number;
  /** Remove the key's TTL. */
  persist?: boolean;
}

/** Counts the expiry options given, so exclusive ones can be refused before sending. */
function ttlCount(o: { ex?: number; px?: number; exat?: number; pxat?: number }): number {
  return (o.ex !== undefined ? 1 : 0) + (o.px !== undefined ? 1 : 0) + (o.exat !== undefined ? 1 : 0) + (o.pxat !== undefined ? 1 : 0);
}

function pushTtl(argv: Arg[], o: { ex?: number; px?: number; exat?: number; pxat?: number }): void {
  if (o.ex !== undefined) argv.push('EX', o.ex);
  if (o.px !== undefined) argv.push('PX', o.px);
  if (o.exat !== undefined) argv.push('EXAT', o.exat);
  if (o.pxat !== undefined) argv.push('PXAT', o.pxat);
}

export function setArgs(key: Arg, value: Arg, o: SetOptions | undefined): Arg[] {
  if (o === undefined) return ['SET', key, value];
  const argv: Arg[] = ['SET', key, value];
  const ttl = ttlCount(o);
  if (ttl > 1 || (ttl === 1 && o.keepttl === true)) throw new InvalidArgumentError('set: give at most one of ex, px, exat, pxat, keepttl');
  if (o.nx === true && o.xx === true) throw new InvalidArgumentError('set: nx and xx are exclusive');
  pushTtl(argv, o);
  if (o.keepttl === true) argv.push('KEEPTTL');
  if (o.nx === true) argv.push('NX');
  if (o.xx === true) argv.push('XX');
  if (o.get === true) argv.push('GET');
  return argv;
}

export function getexArgs(key: Arg, o: GetExOptions | undefined): Arg[] {
  const argv: Arg[] = ['GETEX', key];
  if (o === undefined) return argv;
  const ttl = ttlCount(o);
  if (ttl > 1 || (ttl === 1 && o.persist === true)) throw new InvalidArgumentError('getex: give at most one of ex, px, exat, pxat, persist');
  pushTtl(argv, o);
  if (o.persist === true) argv.push('PERSIST');
  return argv;
}

/** MSET/MSETNX entries: an object or [key, value] pairs. */
export type Entries = Record<string, Arg> | readonly (readonly [Arg, Arg])[] | ReadonlyMap<Arg, Arg>;

function isPairList(e: Entries): e is readonly (readonly [Arg, Arg])[] {
  return Array.isArray(e);
}

function isMap(e: Entries): e is ReadonlyMap<Arg, Arg> {
  return e instanceof Map;
}

/** Appends key/value (or field/value) pairs from an object, a Map or a pair list. */
export function pushEntries(argv: Arg[], entries: Entries): void {
  if (isMap(entries) || isPairList(entries)) {
    for (const [k, v] of entries) argv.push(k, v);
  } else {
    for (const k of Object.keys(entries)) argv.push(k, entries[k]!);
  }
}

export function entryArgs(name: string, entries: Entries): Arg[] {
  const argv: Arg[] = [name];
  pushEntries(argv, entries);
  if (argv.length === 1) throw new InvalidArgumentError(`${name.toLowerCase()}: give at least one entry`);
  return argv;
}

/** LCS … IDX options. */
export interface LcsIdxOptions {
  /** Only matches at least this long. */
  minMatchLen?: number;
  /** Report each match's length. */
  withMatchLen?: boolean;
}

export function lcsIdxArgs(key1: Arg, key2: Arg, o: LcsIdxOptions | undefined): Arg[] {
  const argv: Arg[] = ['LCS', key1, key2, 'IDX'];
  if (o?.minMatchLen !== undefined) argv.push('MINMATCHLEN', o.minMatchLen);
  if (o?.withMatchLen === true) argv.push('WITHMATCHLEN');
  return argv;
}
