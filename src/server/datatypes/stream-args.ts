/**
 * Argument parsing shared by the stream commands, with Redis 7.0's rules and error texts
 * (t_stream.c streamParse*IDOrReply, streamParseAddOrTrimArgsOrReply, getTimeoutFromObjectOrReply):
 * IDs (strict or with `-`/`+`, `(` exclusive bounds, `<ms>-*`), integers, the XADD/XTRIM trimming
 * options, and the lookup of a stream for reading or writing. Each function replies with the
 * error itself and returns null (or undefined) on failure, as Redis's *OrReply helpers do.
 */

import { ClientFlag, type ClientContext } from '../dispatch/context.js';
import { isWord, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { ZERO_ID, nextId, parseStreamId, prevId, type ParsedId, type StreamId } from './structures/stream-id.js';
import type { Stream, TrimArgs } from './structures/stream-value.js';

export const INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';

/** An ID argument; `strict` refuses `-` and `+`. */
export function idArg(c: ClientContext, text: string, missingSeq: 'min' | 'max', strict: boolean): StreamId | null {
  const p = parseStreamId(text, missingSeq, strict);
  if (p === null) {
    c.reply.error(INVALID_ID);
    return null;
  }
  return p.id;
}

/** XADD's ID argument: strict, `<ms>-*` allowed. */
export function xaddIdArg(c: ClientContext, text: string): ParsedId | null {
  const p = parseStreamId(text, 'min', true, true);
  if (p === null) c.reply.error(INVALID_ID);
  return p;
}

/**
 * A range bound (streamParseIntervalIDOrReply + the exclusive step): `(id` excludes id, so the
 * start moves to the next ID and the end to the previous one.
 */
export function boundArg(c: ClientContext, text: string, isStart: boolean): StreamId | null {
  const exclusive = text.length > 1 && text.charCodeAt(0) === 40;
  const id = idArg(c, exclusive ? text.slice(1) : text, isStart ? 'min' : 'max', exclusive);
  if (id === null || !exclusive) return id;
  const moved = isStart ? nextId(id) : prevId(id);
  if (moved === null) c.reply.error(isStart ? 'ERR invalid start ID for the interval' : 'ERR invalid end ID for the interval');
  return moved;
}

/** getLongLongFromObjectOrReply: an int64 argument, with `message` (or Redis's default) on error. */
export function intArg(c: ClientContext, text: string, message: string = R.NOT_INTEGER): number | null {
  const n = parseInteger(text);
  if (n === null) c.reply.error(message);
  return n;
}

/** The stream at key for reading: null when missing, undefined after replying WRONGTYPE. */
export function streamOf(c: ClientContext, e: Entry | undefined): Stream | null | undefined {
  if (e === undefined) return null;
  if (e.type !== ValueType.STREAM) {
    c.reply.error(R.WRONGTYPE);
    return undefined;
  }
  return e.value as Stream;
}

/** Redis mustObeyClient: commands from our master or from the AOF are never limited. */
export function mustObey(c: ClientContext): boolean {
  return (c.flags & ClientFlag.MASTER) !== 0 || c.server.loading;
}

export interface AddTrimArgs {
  trim: TrimArgs | null;
  /** Index of the MAXLEN count / MINID id argument (rewritten for propagation after `~`). */
  trimArgIndex: number;
  /** XADD: the ID argument's index, the parsed ID (null for `*`), NOMKSTREAM. */
  idIndex: number;
  id: ParsedId | null;
  noMkStream: boolean;
}

const SYNTAX_BOTH = 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible';

/** streamParseAddOrTrimArgsOrReply for XADD (`xadd`) or XTRIM; null after replying an error. */
export function parseAddTrim(c: ClientContext, argv: readonly string[], xadd: boolean): AddTrimArgs | null {
  const out: AddTrimArgs = { trim: null, trimArgIndex: -1, idIndex: argv.length, id: null, noMkStream: false };
  let strategy: 'maxlen' | 'minid' | null = null;
  let approx = false;
  let maxlen = 0;
  let minid: StreamId | null = null;
  let limit = 0;
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!;
    if (xadd && opt === '*') break;
    if ((isWord(opt, 'maxlen') || isWord(opt, 'minid')) && more > 0) {
      if (strategy !== null) return fail(c, SYNTAX_BOTH);
      const isMaxlen = isWord(opt, 'maxlen');
      approx = false;
      const next = argv[i + 1]!;
      if (more >= 2 && next === '~') {
        approx = true;
        i++;
      } else if (more >= 2 && next === '=') {
        i++;
      }
      if (isMaxlen) {
        const n = intArg(c, argv[i + 1]!);
        if (n === null) return null;
        if (n < 0) return fail(c, 'ERR The MAXLEN argument must be >= 0.');
        maxlen = n;
      } else {
        minid = idArg(c, argv[i + 1]!, 'min', true);
        if (minid === null) return null;
      }
      i++;
      strategy = isMaxlen ? 'maxlen' : 'minid';
      out.trimArgIndex = i;
    } else if (isWord(opt, 'limit') && more > 0) {
      const n = intArg(c, argv[i + 1]!);
      if (n === null) return null;
      if (n < 0) return fail(c, 'ERR The LIMIT argument must be >= 0.');
      limit = n;
      limitGiven = true;
      i++;
    } else if (xadd && isWord(opt, 'nomkstream')) {
      out.noMkStream = true;
    } else if (xadd) {
      const id = xaddIdArg(c, opt);
      if (id === null) return null;
      out.id = id;
      break;
    } else {
      return fail(c, R.SYNTAX);
    }
  }
  out.idIndex = i;
  if (limit !== 0 && strategy === null) return fail(c, 'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
  if (!xadd && strategy === null) return fail(c, 'ERR syntax error, XTRIM must be called with a trimming strategy');
  if (mustObey(c)) {
    limit = 0;
  } else if (limitGiven) {
    if (!approx) return fail(c, 'ERR syntax error, LIMIT cannot be used without the special ~ option');
  } else if (approx) {
    limit = 100 * c.server.config.int('stream-node-max-entries');
    if (limit <= 0) limit = 10000;
    if (limit > 1000000) limit = 1000000;
  } else {
    limit = 0;
  }
  if (strategy !== null) out.trim = { strategy, approx, limit, maxlen, minid: minid ?? ZERO_ID };
  return out;
}

function fail(c: ClientContext, text: string): null {
  c.reply.error(text);
  return null;
}

/** XREAD's BLOCK argument (getTimeoutFromObjectOrReply in ms): 0 waits forever. */
export function blockArg(c: ClientContext, text: string): number | null {
  const n = intArg(c, text, 'ERR timeout is not an integer or out of range');
  if (n === null) return null;
  if (n < 0) return fail(c, 'ERR timeout is negative');
  return n;
}
