/**
 * Reads real redis-server's own description of its commands (COMMAND DOCS: the argument grammar;
 * COMMAND INFO: arity and flags) into typed trees, and our server's list of implemented (sub)commands.
 * Test generators walk these trees, so a command family that lands in our table is covered as soon
 * as our COMMAND DOCS lists it, with no test change.
 *
 * Invariant: every name is lower-case; a subcommand's full name is `parent|sub` as in Redis.
 */

import { ReplyParser } from '../../src/protocol/reply-parser.js';
import type { RespValue } from '../../src/protocol/resp-types.js';
import { ReplyError } from '../../src/errors.js';
import { HarnessError } from './harness-error.js';
import type { RawClient } from './raw-client.js';

/** One argument of a command, as Redis 7 documents it. */
export interface ArgDoc {
  readonly name: string;
  /** key, string, integer, double, pattern, unix-time, pure-token, oneof, block. */
  readonly type: string;
  readonly token: string | null;
  readonly optional: boolean;
  readonly multiple: boolean;
  /** The token is repeated before each value of a `multiple` argument. */
  readonly multipleToken: boolean;
  readonly args: readonly ArgDoc[];
}

export interface CommandDoc {
  /** `zrange`, or `client|list`. */
  readonly fullName: string;
  /** The words that name it on the wire: `['ZRANGE']` or `['CLIENT', 'LIST']`. */
  readonly words: readonly string[];
  readonly group: string;
  readonly arity: number;
  readonly flags: ReadonlySet<string>;
  readonly args: readonly ArgDoc[];
}

/** Parses one complete RESP frame. */
export function decodeFrame(frame: Buffer): RespValue {
  let out: RespValue | undefined;
  const parser = new ReplyParser({
    onReply: (v) => (out = v),
    onPush: (v) => (out = v),
    onError: (e) => {
      throw e;
    },
  });
  parser.feed(frame);
  if (out === undefined) throw new HarnessError('incomplete RESP frame');
  return out;
}

/** A RESP2 map (flat key/value array) or RESP3 map as a JS Map with string keys. */
function asMap(v: RespValue | undefined): Map<string, RespValue> {
  const m = new Map<string, RespValue>();
  if (v instanceof Map) {
    for (const [k, val] of v) m.set(String(k), val);
  } else if (Array.isArray(v)) {
    for (let i = 0; i + 1 < v.length; i += 2) m.set(String(v[i]), v[i + 1]!);
  }
  return m;
}

function asArray(v: RespValue | undefined): RespValue[] {
  return Array.isArray(v) ? v : [];
}

function parseArg(v: RespValue): ArgDoc {
  const m = asMap(v);
  const flags = asArray(m.get('flags')).map(String);
  const token = m.get('token');
  return {
    name: String(m.get('name') ?? ''),
    type: String(m.get('type') ?? 'string'),
    token: typeof token === 'string' ? token : null,
    optional: flags.includes('optional'),
    multiple: flags.includes('multiple'),
    multipleToken: flags.includes('multiple_token'),
    args: asArray(m.get('arguments')).map(parseArg),
  };
}

async function command(client: RawClient, ...args: string[]): Promise<RespValue> {
  client.send(args);
  const v = decodeFrame(await client.next(30_000));
  if (v instanceof ReplyError) throw new HarnessError(`${args.join(' ')}: ${v.message}`);
  return v;
}

/** Arity and flags of every command and subcommand, from COMMAND INFO. */
async function commandInfo(client: RawClient): Promise<Map<string, { arity: number; flags: Set<string> }>> {
  const out = new Map<string, { arity: number; flags: Set<string> }>();
  const walk = (entry: RespValue): void => {
    const e = asArray(entry);
    if (e.length < 3) return;
    out.set(String(e[0]).toLowerCase(), { arity: Number(e[1]), flags: new Set(asArray(e[2]).map((f) => String(f).toLowerCase())) });
    for (const sub of asArray(e[9])) walk(sub);
  };
  for (const entry of asArray(await command(client, 'COMMAND', 'INFO'))) walk(entry);
  return out;
}

/** Every command and subcommand real Redis documents, keyed by full name. */
export async function redisCommandDocs(client: RawClient): Promise<Map<string, CommandDoc>> {
  const info = await commandInfo(client);
  const out = new Map<string, CommandDoc>();
  const add = (fullName: string, doc: Map<string, RespValue>): void => {
    const subs = asMap(doc.get('subcommands'));
    for (const [name, sub] of subs) add(name.toLowerCase(), asMap(sub));
    const i = info.get(fullName);
    if (i === undefined) return;
    out.set(fullName, {
      fullName,
      words: fullName.split('|').map((w) => w.toUpperCase()),
      group: String(doc.get('group') ?? ''),
      arity: i.arity,
      flags: i.flags,
      args: asArray(doc.get('arguments')).map(parseArg),
    });
  };
  for (const [name, doc] of asMap(await command(client, 'COMMAND', 'DOCS'))) add(name.toLowerCase(), asMap(doc));
  return out;
}

/**
 * The (sub)commands a server implements, from its COMMAND DOCS: container commands are listed
 * through their subcommands only (and by their own name, for unknown-subcommand checks).
 */
export async function implementedCommands(client: RawClient): Promise<Set<string>> {
  const out = new Set<string>();
  for (const [name, doc] of asMap(await command(client, 'COMMAND', 'DOCS'))) {
    out.add(name.toLowerCase());
    for (const sub of asMap(asMap(doc).get('subcommands')).keys()) out.add(sub.toLowerCase());
  }
  return out;
}
