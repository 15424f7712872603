/**
 * A command the server describes with COMMAND INFO, turned into a command-table entry
 * (CommandSpec), so the client routes a command its built-in table lacks (a newer server's
 * command, a module's) like a built-in one. Pure: no I/O.
 *
 * Input: one element of COMMAND INFO's reply, in RESP2's shape (maps as flat [k, v, …] arrays:
 * the client's parser gives RESP3 maps that shape too). Redis 7 elements are
 * [name, arity, flags, first key, last key, step, ACL categories, tips, key specs, subcommands];
 * older servers stop after the step (or the categories): their keys come from the legacy triple.
 *
 * Invariant: an entry whose keys only the server can find — a key spec whose begin_search or
 * find_keys is `unknown` or flagged INCOMPLETE, or `movablekeys` with nothing but fixed ranges
 * (a getkeys procedure, as modules declare with `getkeys-api`) — gets no key specs and
 * `keysFromServer`: the client asks COMMAND GETKEYS for each call's keys. Learned entries are
 * never cacheable (nothing says their reads are deterministic).
 */

import { FLAG_NAMES, type FlagName } from './flags.js';
import { LEARNED_COMMAND_ID, type CommandSpec, type KeyBegin, type KeySpec } from './spec.js';

const FLAG_BITS = new Map<string, number>(FLAG_NAMES.map((n, i) => [n, 1 << i]));

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

function num(v: unknown): number {
  const n = Number(typeof v === 'bigint' ? v : text(v));
  return Number.isFinite(n) ? n : 0;
}

function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A flat [k, v, …] array (or a Map) as a record of its fields. */
function fields(v: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (v instanceof Map) for (const [k, x] of v) out.set(text(k).toLowerCase(), x);
  else {
    const a = list(v);
    for (let i = 0; i + 1 < a.length; i += 2) out.set(text(a[i]).toLowerCase(), a[i + 1]);
  }
  return out;
}

interface Parsed {
  spec: KeySpec;
  /** The server must find this spec's keys (unknown search, or INCOMPLETE). */
  server: boolean;
}

function keySpecOf(raw: unknown): Parsed {
  const f = fields(raw);
  const flags = list(f.get('flags')).map(text);
  const begin = fields(f.get('begin_search'));
  const find = fields(f.get('find_keys'));
  const bs = fields(begin.get('spec'));
  const fs = fields(find.get('spec'));
  const incomplete = flags.some((x) => x.toUpperCase() === 'INCOMPLETE');
  let start: KeyBegin | null = null;
  const bt = text(begin.get('type') ?? 'unknown');
  if (bt === 'index') start = num(bs.get('index'));
  else if (bt === 'keyword') start = { keyword: text(bs.get('keyword') ?? ''), startFrom: num(bs.get('startfrom')) };
  const ft = text(find.get('type') ?? 'unknown');
  if (start === null || (ft !== 'range' && ft !== 'keynum')) {
    return { spec: { begin: 'unknown', find: 'unknown', flags, notes: text(f.get('notes') ?? '') }, server: true };
  }
  const spec: KeySpec =
    ft === 'range'
      ? { begin: start, find: 'range', lastKey: num(fs.get('lastkey')), keyStep: num(fs.get('keystep')) || 1, limit: num(fs.get('limit')), flags }
      : { begin: start, find: 'keynum', keynumIdx: num(fs.get('keynumidx')), firstKey: num(fs.get('firstkey')), keyStep: num(fs.get('keystep')) || 1, flags };
  return { spec, server: incomplete };
}

/** Key specs from the legacy [first, last, step] triple (servers before Redis 7). */
function legacyKeySpecs(first: number, last: number, step: number): KeySpec[] {
  if (first <= 0) return [];
  return [{ begin: first, find: 'range', lastKey: last < 0 ? last : last - first, keyStep: step > 0 ? step : 1, limit: 0, flags: [] }];
}

/**
 * The CommandSpec of one COMMAND INFO element, or null for the nil COMMAND INFO gives a command the
 * server does not know (or an element it cannot read).
 */
export function specFromCommandInfo(raw: unknown, parent: CommandSpec | null = null): CommandSpec | null {
  if (!Array.isArray(raw) || raw.length < 6) return null;
  const fullName = text(raw[0]).toLowerCase();
  let flags = 0;
  const flagNames: FlagName[] = [];
  for (const x of list(raw[2])) {
    const name = text(x).toLowerCase();
    const bit = FLAG_BITS.get(name);
    if (bit === undefined) continue; // a flag this table has no bit for (module, …): routing needs none
    flags |= bit;
    flagNames.push(name as FlagName);
  }
  const [first, last, step] = [num(raw[3]), num(raw[4]), num(raw[5])];
  let keySpecs: KeySpec[];
  let server: boolean;
  if (raw.length >= 9) {
    const parsed = list(raw[8]).map(keySpecOf);
    keySpecs = parsed.map((p) => p.spec);
    server = parsed.some((p) => p.server);
  } else {
    keySpecs = legacyKeySpecs(first, last, step);
    server = false;
  }
  const movable = (flags & (FLAG_BITS.get('movablekeys') ?? 0)) !== 0;
  // Movable keys that fixed ranges alone describe: a getkeys procedure finds them.
  if (movable && keySpecs.every((k) => typeof k.begin === 'number' && k.find === 'range')) server = true;
  const subs = new Map<string, CommandSpec>();
  const pipe = fullName.indexOf('|');
  const spec: CommandSpec = {
    id: LEARNED_COMMAND_ID,
    name: pipe === -1 ? fullName : fullName.slice(pipe + 1),
    fullName,
    arity: num(raw[1]),
    flags,
    flagNames,
    firstKey: first,
    lastKey: last,
    step,
    keySpecs: server ? [] : keySpecs,
    keysFromServer: server,
    tips: list(raw[7]).map(text),
    group: 'server',
    acl: raw.length >= 7 ? list(raw[6]).map(text) : null,
    since: '',
    summary: '',
    cacheable: false,
    subcommands: Array.isArray(raw[9]) && raw[9].length > 0 ? subs : null,
    parent,
  };
  for (const s of list(raw[9])) {
    const sub = specFromCommandInfo(s, spec);
    if (sub !== null) subs.set(sub.name, sub);
  }
  return spec;
}
