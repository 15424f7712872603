/**
 * Finds which arguments of a command are keys, from its key specs (Redis 7's getKeysUsingKeySpecs):
 * used by COMMAND GETKEYS on the server and by the client's router and local cache.
 *
 * Returns the argument indexes in order, or null when the arguments are malformed for the spec
 * (e.g. numkeys larger than the keys given), which COMMAND GETKEYS reports as an error.
 */

import type { CommandSpec, KeyBegin } from './spec.js';

const NO_KEYS: readonly number[] = [];

function beginIndex(begin: KeyBegin, argv: readonly unknown[], argvText: (i: number) => string): number {
  if (typeof begin === 'number') return begin;
  const kw = begin.keyword.toLowerCase();
  if (begin.startFrom >= 0) {
    for (let i = begin.startFrom; i < argv.length; i++) if (argvText(i).toLowerCase() === kw) return i + 1;
  } else {
    for (let i = argv.length + begin.startFrom; i > 0; i--) if (argvText(i).toLowerCase() === kw) return i + 1;
  }
  return -1;
}

/**
 * `argv` holds the full command (argv[0] is the name). `argvText(i)` returns argument i as text,
 * so callers with Buffer arguments decode only the numkeys/keyword arguments they need.
 */
export function keyPositions(
  spec: CommandSpec,
  argv: readonly unknown[],
  argvText: (i: number) => string = (i) => String(argv[i]),
): readonly number[] | null {
  const specs = spec.keySpecs;
  if (specs.length === 0) return NO_KEYS;
  const argc = argv.length;
  const out: number[] = [];
  for (const ks of specs) {
    const first = beginIndex(ks.begin, argv, argvText);
    if (first < 0 || first >= argc) continue;
    if (ks.find === 'range') {
      let last: number;
      if (ks.lastKey >= 0) last = first + ks.lastKey;
      else if (ks.limit > 1) last = first + Math.floor((argc - first) / ks.limit) - 1;
      else last = argc + ks.lastKey;
      if (last >= argc) return null;
      for (let i = first; i <= last; i += ks.keyStep) out.push(i);
    } else {
      const nIdx = first + ks.keynumIdx;
      if (nIdx >= argc) return null;
      const text = argvText(nIdx);
      const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isInteger(n) || n < 0) return null;
      const start = first + ks.firstKey;
      const last = start + (n - 1) * ks.keyStep;
      if (n > 0 && last >= argc) return null;
      for (let i = 0; i < n; i++) out.push(start + i * ks.keyStep);
    }
  }
  return out;
}
