/**
 * Hash commands (Redis t_hash.c). Fields come back in insertion order, which is what Redis's
 * listpack encoding returns for small hashes; an emptied hash deletes its key. HSCAN returns the
 * whole hash in one reply with cursor 0 (as Redis does for listpack hashes): COUNT is only a hint,
 * so the SCAN guarantee holds trivially.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { INT64_MAX, INT64_MIN, parseDouble, parseInt64, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { globMatch } from '../util/glob.js';
import { incrByFloat } from '../util/decimal.js';
import { HashValue } from './structures/hash-value.js';
import { parseScanOptions, valueAs } from './typed-value.js';

function hashFor(c: ClientContext, e: Entry | undefined): HashValue | null | undefined {
  return valueAs<HashValue>(c, e, ValueType.HASH);
}

/** The hash at key for writing, created when missing (undefined after replying WRONGTYPE). */
function writable(c: ClientContext, key: string): { h: HashValue; e: Entry } | undefined {
  const e = c.db.lookupWrite(key);
  const h = hashFor(c, e);
  if (h === undefined) return undefined;
  if (h === null) {
    const nh = new HashValue();
    return { h: nh, e: c.db.add(key, ValueType.HASH, nh) };
  }
  return { h, e: e! };
}

/** Replies with an error after writable() may have created an empty hash, removing it again. */
function fail(c: ClientContext, w: { h: HashValue; e: Entry }, text: string): void {
  if (w.h.size === 0) c.db.remove(w.e);
  c.reply.error(text);
}

function touched(c: ClientContext, key: string, n = 1): void {
  c.server.keyspace.signalModified(c.db, key);
  c.server.dirty += n;
}

function readHash(c: ClientContext, key: string): HashValue | null | undefined {
  return hashFor(c, c.db.lookupRead(key));
}

function hset(c: ClientContext, argv: string[], name: string): number | null {
  if (argv.length % 2 === 1) {
    c.reply.error(R.WRONG_ARGS(name));
    return null;
  }
  const w = writable(c, argv[1]!);
  if (w === undefined) return null;
  let added = 0;
  for (let i = 2; i < argv.length; i += 2) if (w.h.set(argv[i]!, argv[i + 1]!)) added++;
  touched(c, argv[1]!, (argv.length - 2) / 2);
  return added;
}

function pairs(c: ClientContext, h: HashValue | null, keys: boolean, vals: boolean): void {
  const n = h === null ? 0 : h.size;
  if (keys && vals) c.reply.map(n);
  else c.reply.array(n);
  if (h === null) return;
  for (const [f, v] of h.map) {
    if (keys) c.reply.bulk(f);
    if (vals) c.reply.bulk(v);
  }
}

function hrandfield(c: ClientContext, argv: string[]): void {
  if (argv.length > 4 || (argv.length === 4 && argv[3]!.toLowerCase() !== 'withvalues')) return c.reply.error(R.SYNTAX);
  const withValues = argv.length === 4;
  let count: number | null = null;
  if (argv.length >= 3) {
    count = parseInteger(argv[2]!);
    if (count === null) return c.reply.error(R.NOT_INTEGER);
  }
  const h = readHash(c, argv[1]!);
  if (h === undefined) return;
  if (count === null) {
    if (h === null) return c.reply.nullBulk();
    const fields = [...h.map.keys()];
    return c.reply.bulk(fields[Math.floor(Math.random() * fields.length)]!);
  }
  if (h === null || count === 0) return c.reply.array(0);
  const entries = [...h.map];
  let picked: [string, string][];
  if (count < 0) {
    picked = Array.from({ length: -count }, () => entries[Math.floor(Math.random() * entries.length)]!);
  } else {
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    picked = entries.slice(0, Math.min(count, entries.length));
  }
  if (withValues && c.reply.proto === 3) {
    c.reply.array(picked.length);
    for (const [f, v] of picked) {
      c.reply.array(2);
      c.reply.bulk(f);
      c.reply.bulk(v);
    }
    return;
  }
  c.reply.array(picked.length * (withValues ? 2 : 1));
  for (const [f, v] of picked) {
    c.reply.bulk(f);
    if (withValues) c.reply.bulk(v);
  }
}

function hscan(c: ClientContext, argv: string[]): void {
  if (!/^\d+$/.test(argv[2]!)) return c.reply.error('ERR invalid cursor');
  const h = readHash(c, argv[1]!);
  if (h === undefined) return;
  if (h === null) {
    // A missing key answers an empty scan before the options are even read (Redis emptyscan).
    c.reply.array(2);
    c.reply.bulk('0');
    return c.reply.array(0);
  }
  const opts = parseScanOptions(c, argv, 3);
  if (opts === null) return;
  const pattern = opts.pattern;
  const out: string[] = [];
  for (const [f, v] of h.map) if (pattern === null || globMatch(pattern, f)) out.push(f, v);
  c.reply.array(2);
  c.reply.bulk('0');
  c.reply.bulkArray(out);
}

export const HASH_HANDLERS: HandlerTable = {
  hset(c, argv) {
    const n = hset(c, argv, 'hset');
    if (n !== null) c.reply.integer(n);
  },

  hmset(c, argv) {
    if (hset(c, argv, 'hmset') !== null) c.reply.ok();
  },

  hsetnx(c, argv) {
    const w = writable(c, argv[1]!);
    if (w === undefined) return;
    if (w.h.get(argv[2]!) !== undefined) return c.reply.integer(0);
    w.h.set(argv[2]!, argv[3]!);
    touched(c, argv[1]!);
    c.reply.integer(1);
  },

  hget(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) c.reply.bulkOrNull(h?.get(argv[2]!));
  },

  hmget(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h === undefined) return;
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) c.reply.bulkOrNull(h?.get(argv[i]!));
  },

  hgetall(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) pairs(c, h, true, true);
  },

  hkeys(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) pairs(c, h, true, false);
  },

  hvals(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) pairs(c, h, false, true);
  },

  hdel(c, argv) {
    const key = argv[1]!;
    const e = c.db.lookupWrite(key);
    const h = hashFor(c, e);
    if (h === undefined) return;
    if (h === null) return c.reply.integer(0);
    let n = 0;
    for (let i = 2; i < argv.length; i++) if (h.delete(argv[i]!)) n++;
    if (n > 0) {
      if (h.size === 0) c.db.remove(e!);
      touched(c, key, n);
    }
    c.reply.integer(n);
  },

  hexists(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) c.reply.integer(h?.get(argv[2]!) !== undefined ? 1 : 0);
  },

  hlen(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) c.reply.integer(h === null ? 0 : h.size);
  },

  hstrlen(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h !== undefined) c.reply.integer(h?.get(argv[2]!)?.length ?? 0);
  },

  hincrby(c, argv) {
    const by = parseInt64(argv[3]!);
    if (by === null) return c.reply.error(R.NOT_INTEGER);
    const w = writable(c, argv[1]!);
    if (w === undefined) return;
    const cur = w.h.get(argv[2]!);
    const base = cur === undefined ? 0n : parseInt64(cur);
    if (base === null) return fail(c, w, 'ERR hash value is not an integer');
    const next = base + by;
    if (next > INT64_MAX || next < INT64_MIN) return fail(c, w, R.OVERFLOW);
    w.h.set(argv[2]!, next.toString());
    touched(c, argv[1]!);
    if (next >= BigInt(Number.MIN_SAFE_INTEGER) && next <= BigInt(Number.MAX_SAFE_INTEGER)) c.reply.integer(Number(next));
    else c.reply.bigInteger(next);
  },

  hincrbyfloat(c, argv) {
    const by = parseDouble(argv[3]!);
    if (by === null) return c.reply.error(R.NOT_FLOAT);
    if (!Number.isFinite(by) && !/^[+-]?\d/.test(argv[3]!)) return c.reply.error('ERR value is NaN or Infinity');
    const w = writable(c, argv[1]!);
    if (w === undefined) return;
    const cur = w.h.get(argv[2]!);
    if (cur !== undefined && parseDouble(cur) === null) return fail(c, w, 'ERR hash value is not a float');
    const text = incrByFloat(cur ?? '0', argv[3]!);
    if (text === null || text === 'overflow') return fail(c, w, 'ERR increment would produce NaN or Infinity');
    w.h.set(argv[2]!, text);
    touched(c, argv[1]!);
    c.propagateAs = [['HSET', argv[1]!, argv[2]!, text]];
    c.reply.bulk(text);
  },

  hrandfield,
  hscan,
};
