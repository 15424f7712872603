/**
 * Finds which arguments of a command are keys, from its key specs (Redis 7's getKeysUsingKeySpecs):
 * used by COMMAND GETKEYS on the server and by the client's router and local cache.
 *
 * Returns the argument indexes in order, or null when the arguments are malformed for the spec
 * (e.g. numkeys larger than the keys given), which COMMAND GETKEYS reports as an error. `specOf`,
 * when given, receives the index of the key spec each key came from (COMMAND GETKEYSANDFLAGS).
 */

import type { CommandSpec, KeyBegin } from './spec.js';

const NO_KEYS: readonly number[] = [];

type KeyProc = (argc: number, argvText: (i: number) => string) => readonly number[];

/**
 * SORT's STORE key (the last STORE, skipping LIMIT/GET/BY arguments) and MIGRATE's KEYS form,
 * which key specs cannot describe: found as Redis's sortGetKeys / migrateGetKeys find them.
 */
function sortKeys(argc: number, argvText: (i: number) => string): readonly number[] {
  const skip: Record<string, number> = { limit: 2, get: 1, by: 1 };
  let store = -1;
  for (let i = 2; i < argc; i++) {
    const a = argvText(i).toLowerCase();
    const n = skip[a];
    if (n !== undefined) i += n;
    else if (a === 'store' && i + 1 < argc) store = i + 1;
  }
  return store === -1 ? [1] : [1, store];
}

function migrateKeys(argc: number, argvText: (i: number) => string): readonly number[] {
  const skip: Record<string, number> = { copy: 0, replace: 0, auth: 1, auth2: 2 };
  for (let i = 6; i < argc; i++) {
    const a = argvText(i).toLowerCase();
    if (a === 'keys') {
      if (argvText(3).length > 0) return NO_KEYS;
      return Array.from({ length: argc - i - 1 }, (_, k) => i + 1 + k);
    }
    i += skip[a] ?? 0;
  }
  return argc > 3 ? [3] : NO_KEYS;
}

const KEY_PROCS = new Map<string, KeyProc>([
  ['sort', sortKeys],
  ['sort_ro', () => [1]],
  ['migrate', migrateKeys],
]);

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
  specOf?: number[],
): readonly number[] | null {
  const specs = spec.keySpecs;
  if (specs.length === 0) return NO_KEYS;
  const argc = argv.length;
  const out: number[] = [];
  const proc = KEY_PROCS.get(spec.fullName);
  if (proc !== undefined) {
    const keys = proc(argv.length, argvText);
    // SORT's second key is its STORE destination (the last spec); MIGRATE's keys share one spec.
    if (specOf !== undefined) for (let k = 0; k < keys.length; k++) specOf.push(k === 0 ? 0 : specs.length - 1);
    return keys;
  }
  for (let s = 0; s < specs.length; s++) {
    const ks = specs[s]!;
    const before = out.length;
    if (ks.find === 'unknown') continue;
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
    if (specOf !== undefined) for (let k = before; k < out.length; k++) specOf.push(s);
  }
  return out;
}
