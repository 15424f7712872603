/**
 * `client-output-buffer-limit` values: `<class> <hard> <soft> <soft-seconds>` groups for the
 * classes normal, replica (alias slave) and pubsub, sizes in redis.conf memory units.
 *
 * As in Redis, setting the parameter changes only the classes named; CONFIG GET shows every class
 * with sizes in bytes, replicas as `slave`. Pure functions: used by config validation and by the
 * client-limits module.
 */

import { parseMemory } from './memory-units.js';

export type OutputLimitClass = 'normal' | 'replica' | 'pubsub';

export interface OutputLimit {
  /** Bytes; 0 = no hard limit. */
  hard: number;
  /** Bytes; 0 = no soft limit. */
  soft: number;
  /** How long the soft limit may be exceeded continuously before the client is closed. */
  softSeconds: number;
}

export type OutputLimits = Record<OutputLimitClass, OutputLimit>;

const ORDER: readonly OutputLimitClass[] = ['normal', 'replica', 'pubsub'];

function className(word: string): OutputLimitClass | null {
  const w = word.toLowerCase();
  if (w === 'normal' || w === 'pubsub') return w;
  if (w === 'slave' || w === 'replica') return 'replica';
  return null;
}

/** Redis's error text for a malformed value, or null when `text` is valid. */
export function checkOutputLimits(text: string): string | null {
  const parts = text.trim().split(/\s+/);
  if (parts.length % 4 !== 0) return 'Wrong number of arguments in buffer limit configuration.';
  for (let i = 0; i < parts.length; i += 4) {
    if (className(parts[i]!) === null) return 'Invalid client class specified in buffer limit configuration.';
    for (let j = 1; j < 4; j++) {
      const n = parseMemory(parts[i + j]!);
      if (n === null || n < 0) return 'Error in hard, soft or soft_seconds setting in buffer limit configuration.';
    }
  }
  return null;
}

/** Applies the (valid) groups in `text` on top of `base`. */
export function applyOutputLimits(base: OutputLimits, text: string): OutputLimits {
  const out: OutputLimits = { normal: { ...base.normal }, replica: { ...base.replica }, pubsub: { ...base.pubsub } };
  const parts = text.trim().split(/\s+/);
  for (let i = 0; i + 3 < parts.length; i += 4) {
    const cls = className(parts[i]!);
    if (cls === null) continue;
    out[cls] = { hard: parseMemory(parts[i + 1]!) ?? 0, soft: parseMemory(parts[i + 2]!) ?? 0, softSeconds: parseMemory(parts[i + 3]!) ?? 0 };
  }
  return out;
}

/** CONFIG GET's text: every class, bytes, `slave` for replicas. */
export function formatOutputLimits(l: OutputLimits): string {
  return ORDER.map((cls) => `${cls === 'replica' ? 'slave' : cls} ${l[cls].hard} ${l[cls].soft} ${l[cls].softSeconds}`).join(' ');
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = {
  normal: { hard: 0, soft: 0, softSeconds: 0 },
  replica: { hard: 256 * 1024 * 1024, soft: 64 * 1024 * 1024, softSeconds: 60 },
  pubsub: { hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, softSeconds: 60 },
};

/** The full canonical text after setting `text` on top of the current value `previous`. */
export function mergeOutputLimits(previous: string, text: string): string {
  return formatOutputLimits(applyOutputLimits(applyOutputLimits(DEFAULT_OUTPUT_LIMITS, previous), text));
}
