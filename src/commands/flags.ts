/**
 * Command flags: Redis 7.0's flag names (as COMMAND prints them) mapped to bits, so guards and
 * routing test a flag with one AND. The bit order is ours; the names are Redis's.
 */

import { InvalidArgumentError } from '../errors.js';

export const FLAG_NAMES = [
  'write',
  'readonly',
  'denyoom',
  'admin',
  'pubsub',
  'noscript',
  'blocking',
  'loading',
  'stale',
  'skip_monitor',
  'skip_slowlog',
  'fast',
  'no_auth',
  'may_replicate',
  'no_mandatory_keys',
  'no_multi',
  'movablekeys',
  'allow_busy',
  'sentinel',
  'only_sentinel',
  'no_async_loading',
] as const;

export type FlagName = (typeof FLAG_NAMES)[number];

export const Flag = {
  WRITE: 1 << 0,
  READONLY: 1 << 1,
  DENYOOM: 1 << 2,
  ADMIN: 1 << 3,
  PUBSUB: 1 << 4,
  NOSCRIPT: 1 << 5,
  BLOCKING: 1 << 6,
  LOADING: 1 << 7,
  STALE: 1 << 8,
  SKIP_MONITOR: 1 << 9,
  SKIP_SLOWLOG: 1 << 10,
  FAST: 1 << 11,
  NO_AUTH: 1 << 12,
  MAY_REPLICATE: 1 << 13,
  NO_MANDATORY_KEYS: 1 << 14,
  NO_MULTI: 1 << 15,
  MOVABLEKEYS: 1 << 16,
  ALLOW_BUSY: 1 << 17,
  SENTINEL: 1 << 18,
  ONLY_SENTINEL: 1 << 19,
  NO_ASYNC_LOADING: 1 << 20,
} as const;

const BIT_BY_NAME = new Map<string, number>(FLAG_NAMES.map((n, i) => [n, 1 << i]));

export function parseFlags(text: string): { flags: number; names: FlagName[] } {
  let flags = 0;
  const names: FlagName[] = [];
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    const bit = BIT_BY_NAME.get(word);
    if (bit === undefined) throw new InvalidArgumentError(`unknown command flag '${word}'`);
    flags |= bit;
    names.push(word as FlagName);
  }
  return { flags, names };
}
