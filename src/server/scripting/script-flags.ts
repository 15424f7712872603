/**
 * Script flags (Redis script.c): the `#!lua flags=…` shebang of EVAL scripts and the `flags` of
 * functions, and how they turn into the command flags the dispatcher's guards use for EVAL/FCALL
 * (scriptFlagsToCmdFlags). A script without a shebang runs in compatibility mode: its command
 * keeps EVAL's own flags and each redis.call is checked instead.
 */

import { Flag } from '../../commands/flags.js';

export const ScriptFlag = {
  NO_WRITES: 1,
  ALLOW_OOM: 2,
  ALLOW_STALE: 4,
  NO_CLUSTER: 8,
  ALLOW_CROSS_SLOT: 16,
  /** No shebang: an EVAL script in Redis 6 compatibility mode. */
  EVAL_COMPAT: 1 << 10,
} as const;

/** Flag names in Redis's order (FUNCTION LIST prints them in this order). */
export const SCRIPT_FLAG_NAMES: readonly (readonly [string, number])[] = [
  ['no-writes', ScriptFlag.NO_WRITES],
  ['allow-oom', ScriptFlag.ALLOW_OOM],
  ['allow-stale', ScriptFlag.ALLOW_STALE],
  ['no-cluster', ScriptFlag.NO_CLUSTER],
  ['allow-cross-slot-keys', ScriptFlag.ALLOW_CROSS_SLOT],
];

/** The command flags of EVAL/FCALL of a script with these (non-compat) flags. */
export function scriptCommandFlags(cmdFlags: number, scriptFlags: number): number {
  let f = cmdFlags & ~(Flag.STALE | Flag.DENYOOM | Flag.WRITE | Flag.MAY_REPLICATE);
  if (!(scriptFlags & (ScriptFlag.ALLOW_OOM | ScriptFlag.NO_WRITES))) f |= Flag.DENYOOM;
  if (!(scriptFlags & ScriptFlag.NO_WRITES)) f |= Flag.WRITE;
  if (scriptFlags & ScriptFlag.ALLOW_STALE) f |= Flag.STALE;
  return f;
}

const SPACE = /[ \t\r\n\v\f]/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

/**
 * Splits a shebang line into words as Redis's sdssplitargs does: "double quotes" with \n \r \t
 * \b \a \xHH escapes, 'single quotes' with \' only; null for unbalanced quotes or a closing
 * quote not followed by a space.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && SPACE.test(line[i]!)) i++;
    if (i >= n) return out;
    let word = '';
    let quote: '"' | "'" | null = null;
    for (;;) {
      if (i >= n) {
        if (quote !== null) return null;
        break;
      }
      const ch = line[i]!;
      if (quote === '"') {
        if (ch === '\\' && i + 3 < n && line[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          word += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 4;
          continue;
        }
        if (ch === '\\' && i + 1 < n) {
          word += ESCAPES[line[i + 1]!] ?? line[i + 1]!;
          i += 2;
          continue;
        }
        if (ch === '"') {
          if (i + 1 < n && !SPACE.test(line[i + 1]!)) return null;
          quote = null;
          i++;
          break;
        }
        word += ch;
      } else if (quote === "'") {
        if (ch === '\\' && line[i + 1] === "'") {
          word += "'";
          i += 2;
          continue;
        }
        if (ch === "'") {
          if (i + 1 < n && !SPACE.test(line[i + 1]!)) return null;
          quote = null;
          i++;
          break;
        }
        word += ch;
      } else {
        if (SPACE.test(ch)) break;
        if (ch === '"' || ch === "'") quote = ch;
        else word += ch;
      }
      i++;
    }
    out.push(word);
  }
}

export interface Shebang {
  /** The flags (EVAL_COMPAT when there is no shebang). */
  readonly flags: number;
  /** Length of the shebang line (without its line feed, kept for line numbers). */
  readonly length: number;
}

/** Parses an EVAL script's shebang (evalExtractShebangFlags); a string is Redis's error text. */
export function parseEvalShebang(body: string): Shebang | string {
  if (!body.startsWith('#!')) return { flags: ScriptFlag.EVAL_COMPAT, length: 0 };
  const end = body.indexOf('\n');
  if (end === -1) return 'ERR Invalid script shebang';
  const parts = splitArgs(body.slice(0, end));
  if (parts === null || parts.length === 0) return 'ERR Invalid engine in script shebang';
  if (parts[0] !== '#!lua') return `ERR Unexpected engine in script shebang: ${parts[0]}`;
  let flags = 0;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (!p.startsWith('flags=')) return `ERR Unknown lua shebang option: ${p}`;
    const list = p.slice(6);
    if (list === '') continue;
    for (const name of list.split(',')) {
      const entry = SCRIPT_FLAG_NAMES.find(([n]) => n === name);
      if (entry === undefined) return `ERR Unexpected flag in script shebang: ${name}`;
      flags |= entry[1];
    }
  }
  return { flags, length: end };
}

export interface LibraryHeader {
  readonly engine: string;
  readonly name: string;
  /** The code after the shebang line (starting at its line feed). */
  readonly code: string;
}

/** Parses a library's `#!<engine> name=<name>` line (functionExtractLibMetaData). */
export function parseLibraryHeader(payload: string): LibraryHeader | string {
  if (!payload.startsWith('#!')) return 'ERR Missing library metadata';
  const end = payload.indexOf('\n');
  if (end === -1) return 'ERR Invalid library metadata';
  const parts = splitArgs(payload.slice(0, end));
  if (parts === null || parts.length === 0) return 'ERR Invalid library metadata';
  const engine = parts[0]!.slice(2);
  let name: string | null = null;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.slice(0, 5).toLowerCase() !== 'name=') return `ERR Invalid metadata value given: ${p}`;
    if (name !== null) return 'ERR Invalid metadata value, name argument was given multiple times';
    name = p.slice(5);
  }
  if (name === null) return 'ERR Library name was not given';
  return { engine, name, code: payload.slice(end) };
}
