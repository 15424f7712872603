/**
 * DUMP and RESTORE (Redis cluster.c dumpCommand / restoreCommand) with Redis's own serialization
 * (persistence/rdb/): a payload from redis-server 7.0 restores here and ours restores there.
 *
 * RESTORE checks, in Redis's order: the options (REPLACE, ABSTTL, IDLETIME s | FREQ n), an
 * existing key without REPLACE (-BUSYKEY), the TTL, the payload's version and checksum, then
 * decodes it ("Bad data format"). A relative TTL propagates as an absolute one with ABSTTL; a TTL
 * already in the past (on a master that is not loading) creates nothing, and propagates DEL when
 * REPLACE deleted an old value.
 */

import { RdbFormatError } from '../../errors.js';
import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { isWord, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { lfuStampNow, lruStampIdle } from '../keyspace/access-stamp.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { createDumpPayload, readDumpPayload, verifyDumpPayload } from '../persistence/rdb/dump-payload.js';
import type { RdbLimits } from '../persistence/rdb/rdb-types.js';
import type { ServerConfig } from '../config.js';

export const BUSYKEY = 'BUSYKEY Target key name already exists.';

/** The encodings' configuration, read now (it may change at run time). */
export function rdbLimits(config: ServerConfig): RdbLimits {
  return {
    compress: config.bool('rdbcompression'),
    listMaxListpackSize: config.int('list-max-listpack-size'),
    hashMaxListpackEntries: config.int('hash-max-listpack-entries'),
    hashMaxListpackValue: config.int('hash-max-listpack-value'),
    setMaxIntsetEntries: config.int('set-max-intset-entries'),
    zsetMaxListpackEntries: config.int('zset-max-listpack-entries'),
    zsetMaxListpackValue: config.int('zset-max-listpack-value'),
  };
}

interface RestoreOptions {
  replace: boolean;
  absTtl: boolean;
  /** IDLETIME seconds, or -1. */
  idle: number;
  /** FREQ counter, or -1. */
  freq: number;
}

function refuse(c: ClientContext, text: string): null {
  c.reply.error(text);
  return null;
}

/** The options after the payload; null after replying with an error. */
function restoreOptions(c: ClientContext, argv: readonly string[]): RestoreOptions | null {
  const o: RestoreOptions = { replace: false, absTtl: false, idle: -1, freq: -1 };
  for (let j = 4; j < argv.length; j++) {
    const a = argv[j]!;
    const more = argv.length - j - 1;
    if (isWord(a, 'replace')) o.replace = true;
    else if (isWord(a, 'absttl')) o.absTtl = true;
    else if (isWord(a, 'idletime') && more >= 1 && o.freq === -1) {
      const n = parseInteger(argv[++j]!);
      if (n === null) return refuse(c, R.NOT_INTEGER);
      if (n < 0) return refuse(c, 'ERR Invalid IDLETIME value, must be >= 0');
      o.idle = n;
    } else if (isWord(a, 'freq') && more >= 1 && o.idle === -1) {
      const n = parseInteger(argv[++j]!);
      if (n === null) return refuse(c, R.NOT_INTEGER);
      if (n < 0 || n > 255) return refuse(c, 'ERR Invalid FREQ value, must be >= 0 and <= 255');
      o.freq = n;
    } else {
      return refuse(c, R.SYNTAX);
    }
  }
  return o;
}

function restore(c: ClientContext, argv: string[]): void {
  const o = restoreOptions(c, argv);
  if (o === null) return;
  const key = argv[1]!;
  if (!o.replace && c.db.lookupWrite(key) !== undefined) return c.reply.error(BUSYKEY);
  const ttl = parseInteger(argv[2]!);
  if (ttl === null) return c.reply.error(R.NOT_INTEGER);
  if (ttl < 0) return c.reply.error('ERR Invalid TTL value, must be >= 0');
  const payload = Buffer.from(argv[3]!, 'latin1');
  if (!verifyDumpPayload(payload)) return c.reply.error('ERR DUMP payload version or checksum are wrong');
  let decoded;
  try {
    decoded = readDumpPayload(payload, rdbLimits(c.server.config));
  } catch (err) {
    if (err instanceof RdbFormatError) return c.reply.error('ERR Bad data format');
    throw err;
  }
  const deleted = o.replace && c.db.delete(key);
  const now = c.server.keyspace.now;
  const at = ttl !== 0 && !o.absTtl ? ttl + now : ttl;
  if (ttl !== 0 && at <= now && c.server.role === 'master' && !c.server.loading) {
    if (deleted) {
      c.propagateAs = [['DEL', key]];
      c.server.keyspace.signalModified(c.db, key);
      notify(c, Notify.GENERIC, 'del', key);
      c.server.dirty++;
    }
    return c.reply.ok();
  }
  const e = c.db.add(key, decoded.type, decoded.value);
  if (ttl !== 0) {
    c.db.setExpire(e, at);
    if (!o.absTtl) c.propagateAs = [[...argv.slice(0, 2), String(at), ...argv.slice(3), 'ABSTTL']];
  }
  const lfu = c.server.config.maxmemoryPolicy.endsWith('-lfu');
  if (lfu && o.freq >= 0) e.access = lfuStampNow(now, o.freq);
  else if (!lfu && o.idle >= 0) e.access = lruStampIdle(now, o.idle * 1000);
  c.server.keyspace.signalModified(c.db, key);
  notify(c, Notify.GENERIC, 'restore', key);
  c.server.dirty++;
  c.reply.ok();
}

export const DUMP_HANDLERS: HandlerTable = {
  dump(c, argv) {
    const e = c.db.lookupRead(argv[1]!);
    if (e === undefined) return c.reply.nullBulk();
    let payload: Buffer;
    try {
      payload = createDumpPayload(e.type, e.value, rdbLimits(c.server.config));
    } catch (err) {
      // A value type without an RDB codec yet (see persistence/rdb/value-codec.ts).
      if (err instanceof RdbFormatError) return c.reply.error(`ERR ${err.message}`);
      throw err;
    }
    c.reply.bulk(payload.toString('latin1'));
  },
  restore,
};
