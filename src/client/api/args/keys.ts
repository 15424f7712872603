/**
 * Generic key commands: option types and argument builders (EXPIRE family conditions, COPY,
 * SCAN-family MATCH/COUNT/TYPE).
 */

import { InvalidArgumentError } from '../../../errors.js';
import type { Arg } from '../../transport/command.js';

/** EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT conditions (Redis 7): nx alone; xx may combine with gt or lt. */
export interface ExpireOptions {
  /** Only when the key has no TTL. */
  nx?: boolean;
  /** Only when the key has a TTL. */
  xx?: boolean;
  /** Only when the new TTL is greater than the current one. */
  gt?: boolean;
  /** Only when the new TTL is less than the current one. */
  lt?: boolean;
}

export function expireArgs(name: string, key: Arg, when: number, o: ExpireOptions | undefined): Arg[] {
  const argv: Arg[] = [name, key, when];
  if (o === undefined) return argv;
  if (o.nx === true) argv.push('NX');
  if (o.xx === true) argv.push('XX');
  if (o.gt === true) argv.push('GT');
  if (o.lt === true) argv.push('LT');
  if ((o.nx === true && argv.length > 4) || (o.gt === true && o.lt === true)) {
    throw new InvalidArgumentError(`${name.toLowerCase()}: nx excludes xx, gt and lt; gt excludes lt`);
  }
  return argv;
}

/** COPY's options. */
export interface CopyOptions {
  /** Overwrite the destination if it exists. */
  replace?: boolean;
}

/** SCAN-family options (SCAN, HSCAN, SSCAN, ZSCAN). */
export interface ScanOptions {
  /** Glob-style pattern (MATCH). */
  match?: string;
  /** Work hint per call (COUNT). */
  count?: number;
}

/** SCAN's options: those of the SCAN family plus TYPE. */
export interface KeyScanOptions extends ScanOptions {
  /** Only keys of this type (TYPE: string, list, hash, set, zset). */
  type?: string;
}

/** `SCAN cursor [MATCH p] [COUNT n] [TYPE t]` or `HSCAN key cursor …` (key given). */
export function scanArgs(name: string, key: Arg | null, cursor: Arg, o: KeyScanOptions | undefined): Arg[] {
  const argv: Arg[] = key === null ? [name, cursor] : [name, key, cursor];
  if (o === undefined) return argv;
  if (o.match !== undefined) argv.push('MATCH', o.match);
  if (o.count !== undefined) argv.push('COUNT', o.count);
  if (o.type !== undefined) argv.push('TYPE', o.type);
  return argv;
}
