/**
 * List commands: option types, argument builders and the decoders of keyed pops (BLPOP, LMPOP).
 */

import type { Arg } from '../../transport/command.js';
import { bufList, strList, text, type Decoder } from '../decode.js';

/** Which end of a list. */
export type ListEnd = 'left' | 'right';

/** LPOS's options (RANK, MAXLEN). */
export interface LPosOptions {
  /** Start at the rank-th match (negative: search from the tail). */
  rank?: number;
  /** Compare at most this many elements. */
  maxlen?: number;
}

/** An optional COUNT: how many elements at most. */
export interface CountOption {
  /** At most this many elements (COUNT); the server's default (1) when absent. */
  count?: number;
}

export function end(e: ListEnd): string {
  return e === 'left' ? 'LEFT' : 'RIGHT';
}

export function lposArgs(key: Arg, element: Arg, o: LPosOptions | undefined, count: number | undefined): Arg[] {
  const argv: Arg[] = ['LPOS', key, element];
  if (o?.rank !== undefined) argv.push('RANK', o.rank);
  if (count !== undefined) argv.push('COUNT', count);
  if (o?.maxlen !== undefined) argv.push('MAXLEN', o.maxlen);
  return argv;
}

/** `LMPOP numkeys key… LEFT|RIGHT [COUNT n]`, or BLMPOP with its timeout first. */
export function lmpopArgs(timeout: number | null, keys: readonly Arg[], from: ListEnd, o: CountOption | undefined): Arg[] {
  const argv: Arg[] = timeout === null ? ['LMPOP'] : ['BLMPOP', timeout];
  argv.push(keys.length, ...keys, end(from));
  if (o?.count !== undefined) argv.push('COUNT', o.count);
  return argv;
}

/** What BLPOP/BRPOP popped: the key it came from and the element. */
export interface PoppedElement<V = string> {
  /** The key the element was popped from. */
  key: string;
  /** The element popped. */
  element: V;
}

/** What LMPOP/BLMPOP popped: the key they came from and the elements. */
export interface PoppedElements<V = string> {
  /** The key the elements were popped from. */
  key: string;
  /** The elements popped, in pop order. */
  elements: V[];
}

/** BLPOP/BRPOP: [key, element] or null (timeout). */
export const popped: Decoder<PoppedElement | null> = (v) =>
  Array.isArray(v) && v.length >= 2 ? { key: text(v[0]!), element: text(v[1]!) } : null;

export const poppedBuf: Decoder<PoppedElement<Buffer> | null> = (v) =>
  Array.isArray(v) && v.length >= 2 ? { key: text(v[0]!), element: Buffer.isBuffer(v[1]) ? v[1] : Buffer.from(text(v[1]!)) } : null;

/** LMPOP/BLMPOP: [key, [element…]] or null. */
export const mpopped: Decoder<PoppedElements | null> = (v) =>
  Array.isArray(v) && v.length >= 2 ? { key: text(v[0]!), elements: strList(v[1]!) } : null;

export const mpoppedBuf: Decoder<PoppedElements<Buffer> | null> = (v) =>
  Array.isArray(v) && v.length >= 2 ? { key: text(v[0]!), elements: bufList(v[1]!) } : null;
