/**
 * Bitmap commands: option types and argument builders (BITCOUNT, BITPOS, BITOP, BITFIELD). Pure
 * data → argv; arguments the server would refuse only vaguely are refused here with
 * InvalidArgumentError, before anything is sent.
 */

import { InvalidArgumentError } from '../../../errors.js';
import type { Arg } from '../../transport/command.js';

/** A BITCOUNT/BITPOS range: byte indexes by default, bit indexes with `unit: 'BIT'`; negative from the end. */
export interface BitRange {
  /** First index of the range (negative: from the end). */
  start: number;
  /** Required by BITCOUNT; BITPOS without it searches to the end of the value. */
  end?: number;
  /** What the indexes count: bytes (default) or bits. */
  unit?: 'BYTE' | 'BIT';
}

/** BITOP's operation; NOT takes exactly one source. */
export type BitOpName = 'AND' | 'OR' | 'XOR' | 'NOT';

/** A BITFIELD field type: `i1`…`i64` (signed) or `u1`…`u63` (unsigned). */
export type BitFieldType = `${'i' | 'u'}${number}`;

/** A bit offset, or `#n` for the n-th field of the type's width. */
export type BitFieldOffset = number | `#${number}`;

/** One BITFIELD operation: GET a field, SET it, INCRBY it, or set the OVERFLOW behaviour of the writes that follow. */
export type BitFieldOp =
  | {
      /** GET: read the field of this type. */
      get: BitFieldType;
      /** Where the field starts. */
      offset: BitFieldOffset;
    }
  | {
      /** SET: write the field of this type (the result is its old value). */
      set: BitFieldType;
      /** Where the field starts. */
      offset: BitFieldOffset;
      /** The value written. */
      value: number | bigint;
    }
  | {
      /** INCRBY: add to the field of this type (the result is its new value). */
      incrby: BitFieldType;
      /** Where the field starts. */
      offset: BitFieldOffset;
      /** The amount added (negative to subtract). */
      increment: number | bigint;
    }
  | {
      /** OVERFLOW for the SET/INCRBY that follow: wrap around, saturate, or fail (null result, nothing written). */
      overflow: 'WRAP' | 'SAT' | 'FAIL';
    };

function checkType(t: string): string {
  const m = /^([iu])(\d+)$/.exec(t);
  const bits = m === null ? 0 : Number(m[2]);
  if (m === null || bits < 1 || bits > (m[1] === 'i' ? 64 : 63)) throw new InvalidArgumentError(`bitfield: bad field type '${t}' (i1..i64 or u1..u63)`);
  return t;
}

function pushRange(name: string, argv: Arg[], r: BitRange, needEnd: boolean): void {
  argv.push(r.start);
  if (r.end === undefined) {
    if (needEnd || r.unit !== undefined) throw new InvalidArgumentError(`${name}: a range with a unit needs an end`);
    return;
  }
  argv.push(r.end);
  if (r.unit !== undefined) argv.push(r.unit);
}

export function bitcountArgs(key: Arg, range: BitRange | undefined): Arg[] {
  const argv: Arg[] = ['BITCOUNT', key];
  if (range !== undefined) pushRange('bitcount', argv, range, true);
  return argv;
}

export function bitposArgs(key: Arg, bit: 0 | 1, range: BitRange | undefined): Arg[] {
  const argv: Arg[] = ['BITPOS', key, bit];
  if (range !== undefined) pushRange('bitpos', argv, range, false);
  return argv;
}

export function bitopArgs(op: BitOpName, dest: Arg, sources: readonly Arg[]): Arg[] {
  if (sources.length === 0) throw new InvalidArgumentError('bitop: give at least one source key');
  if (op === 'NOT' && sources.length !== 1) throw new InvalidArgumentError('bitop: NOT takes exactly one source key');
  return ['BITOP', op, dest, ...sources];
}

/** BITFIELD / BITFIELD_RO argv; `readonly` allows GET only. */
export function bitfieldArgs(key: Arg, ops: readonly BitFieldOp[], readonly: boolean): Arg[] {
  const argv: Arg[] = [readonly ? 'BITFIELD_RO' : 'BITFIELD', key];
  for (const op of ops) {
    if ('overflow' in op) argv.push('OVERFLOW', op.overflow);
    else if ('get' in op) argv.push('GET', checkType(op.get), op.offset);
    else if (readonly) throw new InvalidArgumentError('bitfieldRo: only GET operations');
    else if ('set' in op) argv.push('SET', checkType(op.set), op.offset, String(op.value));
    else argv.push('INCRBY', checkType(op.incrby), op.offset, String(op.increment));
  }
  return argv;
}
