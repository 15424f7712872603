/**
 * XREAD and XREADGROUP (Redis 7.0 xreadCommand), served at once when any stream has entries past
 * the requested ID, else parked on the node's blocking machinery (../blocked-clients.ts) with
 * BLOCK: woken by XADD (any change that signals the key), by XGROUP DESTROY (-NOGROUP), by the key
 * being deleted, flushed or replaced by another type (XREADGROUP only: -UNBLOCKED; XREAD keeps
 * waiting), timed out with a null array, answered with a null array inside MULTI/EXEC.
 *
 * A blocked reader waits for entries past its own ID, so readers of one key are served
 * independently in arrival order; a group reader re-reads the group's last delivered ID when
 * woken. XREADGROUP is never propagated as sent: its effects go out as XCLAIM / XGROUP SETID /
 * XGROUP CREATECONSUMER (stream-reply.ts), so a replica or the AOF rebuilds the same PEL.
 */

import { ClientFlag, type ClientContext, type HandlerTable } from '../dispatch/context.js';
import * as R from '../dispatch/replies.js';
import { cString, isWord } from '../dispatch/args.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { ValueType } from '../keyspace/entry.js';
import { blockForKeys } from '../blocked-clients.js';
import { blockArg, idArg, intArg, streamOf } from './stream-args.js';
import { replyHistory, replyRange } from './stream-reply.js';
import type { Consumer, ConsumerGroup } from './structures/stream-cgroup.js';
import { MAX_ID, ZERO_ID, cmpId, isMaxId, nextId, type StreamId } from './structures/stream-id.js';
import type { Stream } from './structures/stream-value.js';

/** Redis XREAD_BLOCKED_DEFAULT_COUNT: a woken reader without COUNT gets at most this many. */
const BLOCKED_DEFAULT_COUNT = 1000;

interface ReadArgs {
  timeout: number;
  count: number;
  noack: boolean;
  group: string | null;
  consumer: string;
  keys: string[];
  /** Per key: the ID to read after; MAX_ID stands for `>`. */
  ids: StreamId[];
}

/** Options, then per key its ID (and group); null after replying an error. */
function parseRead(c: ClientContext, argv: readonly string[], xreadgroup: boolean): ReadArgs | null {
  const a: ReadArgs = { timeout: -1, count: 0, noack: false, group: null, consumer: '', keys: [], ids: [] };
  let streamsArg = 0;
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const o = argv[i]!;
    if (isWord(o, 'block') && more > 0) {
      // Redis keeps this special case for scripts (elsewhere a client that cannot block gets null).
      if (c.flags & ClientFlag.SCRIPT) return fail(c, `ERR ${argv[0]} command is not allowed with BLOCK option from scripts`);
      const t = blockArg(c, argv[++i]!);
      if (t === null) return null;
      a.timeout = t;
    } else if (isWord(o, 'count') && more > 0) {
      const n = intArg(c, argv[++i]!);
      if (n === null) return null;
      a.count = n < 0 ? 0 : n;
    } else if (isWord(o, 'streams') && more > 0) {
      streamsArg = i + 1;
      if ((argv.length - streamsArg) % 2 !== 0) {
        return fail(c, "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
      }
      break;
    } else if (isWord(o, 'group') && more >= 2) {
      if (!xreadgroup) return fail(c, 'ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
      a.group = argv[i + 1]!;
      a.consumer = argv[i + 2]!;
      i += 2;
    } else if (isWord(o, 'noack')) {
      if (!xreadgroup) return fail(c, 'ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
      a.noack = true;
    } else {
      return fail(c, R.SYNTAX);
    }
  }
  if (streamsArg === 0) return fail(c, R.SYNTAX);
  if (xreadgroup && a.group === null) return fail(c, 'ERR Missing GROUP option for XREADGROUP');
  const n = (argv.length - streamsArg) / 2;
  for (let k = 0; k < n; k++) {
    const key = argv[streamsArg + k]!;
    const idText = argv[streamsArg + n + k]!;
    const s = streamOf(c, c.db.lookupRead(key));
    if (s === undefined) return null;
    if (a.group !== null && (s === null || s.lookupGroup(a.group) === undefined)) {
      return fail(c, `NOGROUP No such key '${cString(key)}' or consumer group '${cString(a.group)}' in XREADGROUP with GROUP option`);
    }
    let id: StreamId | null;
    if (idText === '$') {
      if (xreadgroup) {
        return fail(
          c,
          'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
        );
      }
      id = s === null ? ZERO_ID : s.lastId;
    } else if (idText === '>') {
      if (!xreadgroup) return fail(c, 'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
      id = MAX_ID;
    } else {
      id = idArg(c, idText, 'min', true);
      if (id === null) return null;
    }
    a.keys.push(key);
    a.ids.push(id);
  }
  return a;
}

function fail(c: ClientContext, text: string): null {
  c.reply.error(text);
  return null;
}

/** The group's consumer, created (counted, notified and, with NOACK, propagated) when missing. */
function consumerFor(c: ClientContext, key: string, g: ConsumerGroup, a: ReadArgs, propagate: string[][]): Consumer {
  const now = c.server.keyspace.now;
  const found = g.lookupConsumer(a.consumer, now);
  if (found !== undefined) return found;
  const created = g.createConsumer(a.consumer, now)!;
  c.server.dirty++;
  notify(c, Notify.STREAM, 'xgroup-createconsumer', key);
  if (a.noack) propagate.push(['XGROUP', 'CREATECONSUMER', key, g.name, a.consumer]);
  return created;
}

/** One stream's part of the reply (`[key, entries]`, or a map entry in RESP3) for a group read or a plain one. */
function serveKey(c: ClientContext, key: string, s: Stream, after: StreamId, history: boolean, count: number, a: ReadArgs, g: ConsumerGroup | null, propagate: string[][]): void {
  if (c.reply.proto === 2) c.reply.array(2);
  c.reply.bulk(key);
  const start = nextId(after) ?? ZERO_ID;
  if (g === null) {
    replyRange(c, s, start, null, count, false);
    return;
  }
  const consumer = consumerFor(c, key, g, a, propagate);
  if (history) replyHistory(c, s, start, count, consumer);
  else replyRange(c, s, start, null, count, false, { key, group: g, consumer, noack: a.noack, propagate });
  s.groupsChanged();
  c.server.keyspace.signalStateChanged(c.db, key);
}

function xreadGeneric(c: ClientContext, argv: string[], xreadgroup: boolean): void {
  const a = parseRead(c, argv, xreadgroup);
  // Nothing an XREAD/XREADGROUP does is propagated as sent (Redis preventCommandPropagation).
  const propagate: string[][] = [];
  c.propagateAs = propagate;
  if (a === null) return;
  const reply = c.reply;
  const mark = reply.mark();
  let served = 0;
  for (let i = 0; i < a.keys.length; i++) {
    const key = a.keys[i]!;
    const s = streamOf(c, c.db.lookupRead(key));
    if (s === undefined || s === null) continue;
    let after = a.ids[i]!;
    let history = false;
    let now = false;
    const g = a.group === null ? null : (s.lookupGroup(a.group) ?? null);
    if (g !== null) {
      if (!isMaxId(after)) {
        now = true;
        history = true;
      } else if (s.length > 0 && cmpId(s.lastValidId(), g.lastId) > 0) {
        now = true;
        after = g.lastId;
      }
    } else if (s.length > 0 && cmpId(s.lastValidId(), after) > 0) {
      now = true;
    }
    if (!now) continue;
    served++;
    serveKey(c, key, s, after, history, a.count, a, g, propagate);
    if (g !== null) c.server.dirty++;
  }
  if (served > 0) {
    if (reply.proto === 2) reply.insertArray(mark, served);
    else reply.insertMap(mark, served);
    return;
  }
  if (a.timeout === -1) return reply.nullArray();
  if (c.flags & ClientFlag.IN_EXEC) return reply.nullArray();
  block(c, a);
}

/** Parks the reader on its keys; each key serves it once it has entries past the reader's ID. */
function block(c: ClientContext, a: ReadArgs): void {
  const after = new Map<string, StreamId>();
  for (let i = 0; i < a.keys.length; i++) if (!after.has(a.keys[i]!)) after.set(a.keys[i]!, a.ids[i]!);
  const count = a.count !== 0 ? a.count : BLOCKED_DEFAULT_COUNT;
  const serve = (cl: ClientContext, key: string): boolean => {
    const s = cl.db.peek(key)!.value as Stream;
    let gt = after.get(key)!;
    let g: ConsumerGroup | null = null;
    if (a.group !== null) {
      g = s.lookupGroup(a.group) ?? null;
      if (g === null) {
        cl.reply.error('NOGROUP the consumer group this client was blocked on no longer exists');
        return true;
      }
      gt = g.lastId;
    }
    if (cmpId(s.lastId, gt) <= 0) return false;
    const propagate: string[][] = [];
    if (cl.reply.proto === 2) {
      cl.reply.array(1);
    } else {
      cl.reply.map(1);
    }
    serveKey(cl, key, s, gt, false, count, a, g, propagate);
    if (propagate.length > 0) cl.server.dirty++;
    cl.propagateAs = propagate;
    return true;
  };
  const onGone =
    a.group === null
      ? undefined
      : (cl: ClientContext): boolean => {
          cl.reply.error('UNBLOCKED the stream key no longer exists');
          return true;
        };
  blockForKeys(c, a.keys, a.timeout, serve, ValueType.STREAM, { independent: true, onGone });
}

export const STREAM_READ_HANDLERS: HandlerTable = {
  xread: (c, argv) => xreadGeneric(c, argv, false),
  xreadgroup: (c, argv) => xreadGeneric(c, argv, true),
};
