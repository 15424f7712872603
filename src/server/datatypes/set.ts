/**
 * Set commands (Redis t_set.c). Multi-key operations check every key's type before answering;
 * a missing key is an empty set; an emptied set deletes its key; STORE variants replace (or
 * delete) the destination. SPOP propagates as SREM of the members it removed. Encodings follow
 * Redis 7.0 (see SetValue): an intset answers SSCAN whole with cursor 0, a hashtable set pages by
 * stable slot so a full iteration meets every member present throughout it. SPOP of most of a set
 * rebuilds the set from the members that stay, as Redis does, so the survivors may become an
 * intset again.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { INT64_MAX, isWord, positiveOrReply, rangeOrReply } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { globMatch } from '../util/glob.js';
import { compareInt64Text, isInt64Text, SetValue } from './structures/set-value.js';
import { INVALID_CURSOR, parseScanCursor, parseScanOptions, replyEmptyScan, valueAs, writeRandomPicks } from './typed-value.js';

/** Redis SPOP_MOVE_STRATEGY_MUL: pop by rebuilding when fewer than count/5 members stay. */
const SPOP_MOVE_STRATEGY_MUL = 5;

function intsetMax(c: ClientContext): number {
  return c.server.config.int('set-max-intset-entries');
}

function setFor(c: ClientContext, e: Entry | undefined): SetValue | null | undefined {
  return valueAs<SetValue>(c, e, ValueType.SET);
}

function membersReply(c: ClientContext, members: readonly string[]): void {
  c.reply.set(members.length);
  for (const m of members) c.reply.bulk(m);
}

/** A whole set in reply order, written from its slots as it goes (an intset, small, sorted first). */
function writeSet(c: ClientContext, s: SetValue): void {
  if (s.isIntset) return membersReply(c, s.list());
  c.reply.set(s.size);
  for (let i = 0, end = s.slotCount; i < end; i++) {
    const m = s.memberAt(i);
    if (m !== undefined) c.reply.bulk(m);
  }
}

/** Reads every key as a set (null = missing); undefined after replying WRONGTYPE. */
function readSets(c: ClientContext, keys: readonly string[]): (SetValue | null)[] | undefined {
  const out: (SetValue | null)[] = [];
  for (const k of keys) {
    const s = setFor(c, c.db.lookupRead(k));
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

type Op = 'inter' | 'union' | 'diff';

/** Calls `fn` for every member of `s` in slot order. */
function eachMember(s: SetValue, fn: (m: string) => void): void {
  for (let i = 0, end = s.slotCount; i < end; i++) {
    const m = s.memberAt(i);
    if (m !== undefined) fn(m);
  }
}

/**
 * The members of SINTER/SUNION/SDIFF, in the order a set built from them would list them: numeric
 * when they would make an intset (all integers, at most `max`), else the order met. Only
 * references are collected; a union skips a member an earlier set already gave.
 */
function combineMembers(op: Op, sets: readonly (SetValue | null)[], max: number): string[] {
  const out: string[] = [];
  if (op === 'inter') {
    if (sets.some((s) => s === null || s.size === 0)) return out;
    const sorted = [...(sets as SetValue[])].sort((a, b) => a.size - b.size);
    eachMember(sorted[0]!, (m) => {
      for (let i = 1; i < sorted.length; i++) if (!sorted[i]!.has(m)) return;
      out.push(m);
    });
  } else if (op === 'union') {
    sets.forEach((s, i) => {
      if (s === null) return;
      eachMember(s, (m) => {
        for (let j = 0; j < i; j++) if (sets[j]?.has(m) === true) return;
        out.push(m);
      });
    });
  } else {
    const first = sets[0];
    if (first === null || first === undefined) return out;
    eachMember(first, (m) => {
      for (let i = 1; i < sets.length; i++) if (sets[i]?.has(m) === true) return;
      out.push(m);
    });
  }
  if (out.length <= max && out.every(isInt64Text)) out.sort(compareInt64Text);
  return out;
}

/** The result of an operation as a new set (the STORE commands). */
function compute(op: Op, sets: readonly (SetValue | null)[], max: number): SetValue {
  const out = new SetValue();
  for (const m of combineMembers(op, sets, max)) out.add(m, max);
  return out;
}

function combine(c: ClientContext, argv: string[], op: Op): void {
  const sets = readSets(c, argv.slice(1));
  if (sets !== undefined) membersReply(c, combineMembers(op, sets, intsetMax(c)));
}

function store(c: ClientContext, argv: string[], op: Op): void {
  const dst = argv[1]!;
  const sets = readSets(c, argv.slice(2));
  if (sets === undefined) return;
  const result = compute(op, sets, intsetMax(c));
  const existing = c.db.lookupWrite(dst);
  if (existing !== undefined) c.db.remove(existing);
  if (result.size > 0) c.db.add(dst, ValueType.SET, result);
  if (existing !== undefined || result.size > 0) {
    c.server.keyspace.signalModified(c.db, dst);
    notify(c, result.size > 0 ? Notify.SET : Notify.GENERIC, result.size > 0 ? `s${op}store` : 'del', dst);
    c.server.dirty++;
  }
  c.reply.integer(result.size);
}

function removeIfEmpty(c: ClientContext, key: string, s: SetValue, e: Entry | undefined, event: string): void {
  if (s.size === 0 && e !== undefined) c.db.remove(e);
  c.server.keyspace.signalModified(c.db, key);
  notify(c, Notify.SET, event, key);
  if (!c.db.dict.has(key)) notify(c, Notify.GENERIC, 'del', key);
}

function spop(c: ClientContext, argv: string[]): void {
  if (argv.length > 3) return c.reply.error(R.SYNTAX);
  let count = -1;
  if (argv.length === 3) {
    const n = positiveOrReply(c, argv[2]!);
    if (n === null) return;
    count = n;
  }
  const key = argv[1]!;
  const e = c.db.lookupWrite(key);
  const s = setFor(c, e);
  if (s === undefined) return;
  if (s === null) return count === -1 ? c.reply.nullBulk() : c.reply.set(0);
  if (count === 0) return c.reply.set(0);
  const remaining = s.size - count;
  let popped: string[];
  if (count > 0 && remaining > 0 && remaining * SPOP_MOVE_STRATEGY_MUL <= count) {
    popped = keepRandom(c, s, e!, remaining);
  } else {
    popped = [];
    const n = count === -1 ? 1 : Math.min(count, s.size);
    for (let i = 0; i < n; i++) {
      const m = s.random()!;
      s.delete(m);
      popped.push(m);
    }
  }
  removeIfEmpty(c, key, s, e, 'spop');
  c.server.dirty += popped.length;
  c.propagateAs = [['SREM', key, ...popped]];
  if (count === -1) c.reply.bulk(popped[0]!);
  else membersReply(c, popped);
}

/**
 * SPOP of most of a set (Redis spopWithCountCommand case 3): moves `keep` random members into a
 * new set that replaces the old one, and returns the members left behind, in the old set's order.
 */
function keepRandom(c: ClientContext, s: SetValue, e: Entry, keep: number): string[] {
  const kept = new SetValue();
  const max = intsetMax(c);
  for (let i = 0; i < keep; i++) {
    const m = s.random()!;
    s.delete(m);
    kept.add(m, max);
  }
  const popped = s.list();
  c.db.replace(e, ValueType.SET, kept);
  return popped;
}

/** Redis SRANDMEMBER_SUB_STRATEGY_MUL: below size/3 picks, draw at random until enough are distinct. */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;

function srandmember(c: ClientContext, argv: string[]): void {
  if (argv.length > 3) return c.reply.error(R.SYNTAX);
  if (argv.length === 2) {
    const s = setFor(c, c.db.lookupRead(argv[1]!));
    if (s !== undefined) c.reply.bulkOrNull(s?.random());
    return;
  }
  const count = rangeOrReply(c, argv[2]!, -INT64_MAX, INT64_MAX);
  if (count === null) return;
  const s = setFor(c, c.db.lookupRead(argv[1]!));
  if (s === undefined) return;
  if (s === null || count === 0) return c.reply.array(0);
  if (count < 0 || count === 1) return writeRandomPicks(c, argv[2]!, 1, () => c.reply.bulk(s.random()!));
  if (count >= s.size) return c.reply.bulkArray(s.list());
  c.reply.bulkArray(distinctMembers(s, count));
}

/** `count` (< size) distinct random members: a partial shuffle of all when that is a large share, else random draws. */
function distinctMembers(s: SetValue, count: number): string[] {
  if (count * SRANDMEMBER_SUB_STRATEGY_MUL > s.size) {
    const all = s.list();
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (all.length - i));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    all.length = count;
    return all;
  }
  const picked = new Set<string>();
  while (picked.size < count) picked.add(s.random()!);
  return [...picked];
}

function sintercard(c: ClientContext, argv: string[]): void {
  const numkeys = rangeOrReply(c, argv[1]!, 1n, INT64_MAX, 'numkeys should be greater than 0');
  if (numkeys === null) return;
  if (numkeys > argv.length - 2) return c.reply.error("ERR Number of keys can't be greater than number of args");
  let limit = 0;
  for (let i = 2 + numkeys; i < argv.length; i++) {
    if (isWord(argv[i]!, 'limit') && i + 1 < argv.length) {
      const n = positiveOrReply(c, argv[++i]!, "LIMIT can't be negative");
      if (n === null) return;
      limit = n;
    } else return c.reply.error(R.SYNTAX);
  }
  const sets = readSets(c, argv.slice(2, 2 + numkeys));
  if (sets === undefined) return;
  const n = combineMembers('inter', sets, intsetMax(c)).length;
  c.reply.integer(limit > 0 ? Math.min(limit, n) : n);
}

function sscan(c: ClientContext, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]!);
  if (cursor === null) return c.reply.error(INVALID_CURSOR);
  const s = setFor(c, c.db.lookupRead(argv[1]!));
  if (s === undefined) return;
  if (s === null) return replyEmptyScan(c);
  const opts = parseScanOptions(c, argv, 3);
  if (opts === null) return;
  let members: string[];
  let next = 0;
  if (s.isIntset) {
    members = s.list();
  } else {
    members = [];
    next = s.scan(cursor, opts.count, members);
  }
  const pattern = opts.pattern;
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.bulkArray(pattern === null ? members : members.filter((m) => globMatch(pattern, m)));
}

export const SET_HANDLERS: HandlerTable = {
  sadd(c, argv) {
    const key = argv[1]!;
    const e = c.db.lookupWrite(key);
    let s = setFor(c, e);
    if (s === undefined) return;
    if (s === null) {
      s = new SetValue();
      c.db.add(key, ValueType.SET, s);
    }
    let n = 0;
    const max = intsetMax(c);
    for (let i = 2; i < argv.length; i++) if (s.add(argv[i]!, max)) n++;
    if (n > 0) {
      c.server.keyspace.signalModified(c.db, key);
      notify(c, Notify.SET, 'sadd', key);
      c.server.dirty += n;
    }
    c.reply.integer(n);
  },

  srem(c, argv) {
    const key = argv[1]!;
    const e = c.db.lookupWrite(key);
    const s = setFor(c, e);
    if (s === undefined) return;
    if (s === null) return c.reply.integer(0);
    let n = 0;
    for (let i = 2; i < argv.length; i++) if (s.delete(argv[i]!)) n++;
    if (n > 0) {
      removeIfEmpty(c, key, s, e, 'srem');
      c.server.dirty += n;
    }
    c.reply.integer(n);
  },

  smembers(c, argv) {
    const s = setFor(c, c.db.lookupRead(argv[1]!));
    if (s === undefined) return;
    if (s === null) return c.reply.set(0);
    writeSet(c, s);
  },

  sismember(c, argv) {
    const s = setFor(c, c.db.lookupRead(argv[1]!));
    if (s !== undefined) c.reply.integer(s?.has(argv[2]!) === true ? 1 : 0);
  },

  smismember(c, argv) {
    const s = setFor(c, c.db.lookupRead(argv[1]!));
    if (s === undefined) return;
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) c.reply.integer(s?.has(argv[i]!) === true ? 1 : 0);
  },

  scard(c, argv) {
    const s = setFor(c, c.db.lookupRead(argv[1]!));
    if (s !== undefined) c.reply.integer(s === null ? 0 : s.size);
  },

  spop,
  srandmember,

  smove(c, argv) {
    const [, src, dst, m] = argv as [string, string, string, string];
    const se = c.db.lookupWrite(src);
    const de = c.db.lookupWrite(dst);
    if (se === undefined) return c.reply.integer(0);
    const ss = setFor(c, se);
    if (ss === undefined || ss === null) return;
    const ds = setFor(c, de);
    if (ds === undefined) return;
    if (se === de) return c.reply.integer(ss.has(m) ? 1 : 0);
    if (!ss.delete(m)) return c.reply.integer(0);
    removeIfEmpty(c, src, ss, se, 'srem');
    let target = ds;
    if (target === null) {
      target = new SetValue();
      c.db.add(dst, ValueType.SET, target);
    }
    target.add(m, intsetMax(c));
    c.server.keyspace.signalModified(c.db, dst);
    notify(c, Notify.SET, 'sadd', dst);
    c.server.dirty++;
    c.reply.integer(1);
  },

  sinter: (c, argv) => combine(c, argv, 'inter'),
  sunion: (c, argv) => combine(c, argv, 'union'),
  sdiff: (c, argv) => combine(c, argv, 'diff'),
  sinterstore: (c, argv) => store(c, argv, 'inter'),
  sunionstore: (c, argv) => store(c, argv, 'union'),
  sdiffstore: (c, argv) => store(c, argv, 'diff'),
  sintercard,
  sscan,
};
