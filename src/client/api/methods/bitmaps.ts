/**
 * Typed bitmap commands (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO). A bitmap
 * is a string value, so `getBuffer` reads it and `set` writes it back. BITOP with keys on
 * different shards is refused before sending (CrossShardError).
 */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import { bitcountArgs, bitfieldArgs, bitopArgs, bitposArgs, type BitFieldOp, type BitOpName, type BitRange } from '../args/bitmaps.js';
import { SortedSetCommands } from './zsets.js';

export abstract class BitmapCommands extends SortedSetCommands {
  /** SETBIT: sets or clears the bit at `offset` (growing the string); resolves the bit's previous value. */
  setbit(key: Arg, offset: number, value: 0 | 1): Promise<0 | 1> {
    return this.run(['SETBIT', key, offset, value], D.int) as Promise<0 | 1>;
  }

  /** GETBIT: the bit at `offset` (0 beyond the end of the value or when the key does not exist). */
  getbit(key: Arg, offset: number): Promise<0 | 1> {
    return this.run(['GETBIT', key, offset], D.int) as Promise<0 | 1>;
  }

  /** BITCOUNT: the number of set bits of the value, or of a byte (or bit) range of it; 0 when the key does not exist. */
  bitcount(key: Arg, range?: BitRange): Promise<number> {
    return this.build(() => bitcountArgs(key, range), D.int);
  }

  /** BITPOS: the position of the first bit equal to `bit` (in the range, if given); -1 when there is none (searching for 0 with no `end`, the bits past the value count as clear). */
  bitpos(key: Arg, bit: 0 | 1, range?: BitRange): Promise<number> {
    return this.build(() => bitposArgs(key, bit, range), D.int);
  }

  /** BITOP: stores the bitwise `op` of the sources into `dest` (all on one shard); resolves the result's length in bytes. */
  bitop(op: BitOpName, dest: Arg, sources: readonly Arg[]): Promise<number> {
    return this.build(() => bitopArgs(op, dest, sources), D.int);
  }

  /**
   * BITFIELD: runs the operations in order; one result per GET/SET/INCRBY (null when an OVERFLOW FAIL
   * write was skipped). 64-bit fields beyond 2^53 come back as bigint.
   */
  bitfield(key: Arg, ops: readonly BitFieldOp[]): Promise<(number | bigint | null)[]> {
    return this.build(() => bitfieldArgs(key, ops, false), D.exactIntOrNullList);
  }

  /** BITFIELD_RO: GET operations only (may be served by a replica or the local cache). */
  bitfieldRo(key: Arg, ops: readonly BitFieldOp[]): Promise<(number | bigint)[]> {
    return this.build(() => bitfieldArgs(key, ops, true), D.exactIntOrNullList) as Promise<(number | bigint)[]>;
  }
}
