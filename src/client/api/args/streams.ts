/**
 * Argument builders of the stream methods: XADD (NOMKSTREAM, MAXLEN/MINID trimming with `~`/`=`
 * and LIMIT), XTRIM, XREAD/XREADGROUP (COUNT, BLOCK, NOACK, the STREAMS key/ID lists), XCLAIM's
 * options, and entry field lists given as an object or as pairs. Invalid options throw
 * InvalidArgumentError before anything is sent.
 */

import { InvalidArgumentError } from '../../../errors.js';
import type { Arg } from '../../transport/command.js';

/** An entry's fields: an object, or pairs when order or repeated names matter. */
export type StreamFields = Record<string, Arg> | readonly (readonly [Arg, Arg])[];

/** MAXLEN (keep at most `threshold` entries) or MINID (drop entries below the `threshold` ID). */
export interface StreamTrim {
  /** MAXLEN: cap the length; MINID: drop entries with IDs below the threshold. */
  strategy: 'MAXLEN' | 'MINID';
  /** The length (MAXLEN) or the lowest ID kept (MINID). */
  threshold: number | string;
  /** `~`: trim whole nodes only (cheaper; the stream may keep a few more entries). */
  approximate?: boolean;
  /** With `approximate`: at most this many entries removed by the call. */
  limit?: number;
}

/** XADD's options (NOMKSTREAM, trimming). */
export interface XAddOptions {
  /** Do not create the stream when missing (the reply is then null). */
  nomkstream?: boolean;
  /** Trim the stream as part of the append (MAXLEN / MINID). */
  trim?: StreamTrim;
}

/** XREAD / XREADGROUP options. `block` in milliseconds (0: until data arrives). */
export interface XReadOptions {
  /** At most this many entries per stream (COUNT). */
  count?: number;
  /** Wait up to this many milliseconds for entries (BLOCK; 0: until data arrives); the read then runs on a leased connection. */
  block?: number;
}

/** XREADGROUP's options: those of XREAD plus NOACK. */
export interface XReadGroupOptions extends XReadOptions {
  /** Do not record the delivered entries in the PEL. */
  noack?: boolean;
}

/** Keys and the ID to read after, per stream: an object, or pairs (keys in order). */
export type StreamOffsets = Record<string, string> | readonly (readonly [Arg, string])[];

/** XCLAIM's options (IDLE, TIME, RETRYCOUNT, FORCE, LASTID). */
export interface XClaimOptions {
  /** Set the entries' idle time (ms) instead of resetting it. */
  idle?: number;
  /** Set the last delivery time (ms since the epoch). */
  time?: number;
  /** Set the entries' delivery counter to this value (RETRYCOUNT). */
  retryCount?: number;
  /** Create pending entries for IDs not pending yet. */
  force?: boolean;
  /** Move the group's last delivered ID forward to this one. */
  lastId?: string;
}

function nonNegative(name: string, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
}

export function fieldArgs(fields: StreamFields): Arg[] {
  const out: Arg[] = [];
  if (Array.isArray(fields)) {
    for (const [f, v] of fields as readonly (readonly [Arg, Arg])[]) out.push(f, v);
  } else {
    for (const [f, v] of Object.entries(fields as Record<string, Arg>)) out.push(f, v);
  }
  if (out.length === 0) throw new InvalidArgumentError('a stream entry needs at least one field');
  return out;
}

export function trimArgs(t: StreamTrim): Arg[] {
  const out: Arg[] = [t.strategy, t.approximate === true ? '~' : '=', t.threshold];
  if (t.limit !== undefined) {
    if (t.approximate !== true) throw new InvalidArgumentError('trim limit needs approximate: true');
    out.push('LIMIT', nonNegative('trim limit', t.limit));
  }
  return out;
}

export function xaddArgs(key: Arg, id: string, fields: StreamFields, o: XAddOptions = {}): Arg[] {
  const out: Arg[] = ['XADD', key];
  if (o.nomkstream === true) out.push('NOMKSTREAM');
  if (o.trim !== undefined) out.push(...trimArgs(o.trim));
  out.push(id, ...fieldArgs(fields));
  return out;
}

function offsets(streams: StreamOffsets): [Arg[], string[]] {
  const keys: Arg[] = [];
  const ids: string[] = [];
  const pairs = Array.isArray(streams) ? (streams as readonly (readonly [Arg, string])[]) : Object.entries(streams as Record<string, string>);
  for (const [k, id] of pairs) {
    keys.push(k);
    ids.push(id);
  }
  if (keys.length === 0) throw new InvalidArgumentError('XREAD needs at least one stream');
  return [keys, ids];
}

/** XREAD or XREADGROUP (with `group`): options, then STREAMS keys… ids…. */
export function xreadArgs(group: readonly [Arg, Arg] | null, streams: StreamOffsets, o: XReadGroupOptions = {}): Arg[] {
  const out: Arg[] = group === null ? ['XREAD'] : ['XREADGROUP', 'GROUP', group[0], group[1]];
  if (o.count !== undefined) out.push('COUNT', nonNegative('count', o.count));
  if (o.block !== undefined) out.push('BLOCK', nonNegative('block', o.block));
  if (o.noack === true) out.push('NOACK');
  const [keys, ids] = offsets(streams);
  out.push('STREAMS', ...keys, ...ids);
  return out;
}

export function xclaimArgs(key: Arg, group: Arg, consumer: Arg, minIdleMs: number, ids: readonly string[], o: XClaimOptions, justId: boolean): Arg[] {
  if (ids.length === 0) throw new InvalidArgumentError('XCLAIM needs at least one ID');
  const out: Arg[] = ['XCLAIM', key, group, consumer, nonNegative('minIdleMs', minIdleMs), ...ids];
  if (o.idle !== undefined) out.push('IDLE', nonNegative('idle', o.idle));
  if (o.time !== undefined) out.push('TIME', nonNegative('time', o.time));
  if (o.retryCount !== undefined) out.push('RETRYCOUNT', nonNegative('retryCount', o.retryCount));
  if (o.force === true) out.push('FORCE');
  if (justId) out.push('JUSTID');
  if (o.lastId !== undefined) out.push('LASTID', o.lastId);
  return out;
}
