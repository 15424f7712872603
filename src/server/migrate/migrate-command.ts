/**
 * MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS k…]
 * (Redis cluster.c migrateCommand), and the feature that owns its connection cache.
 *
 * As in Redis, the command blocks the server while it runs (migrate-link.ts): it sends AUTH, a
 * SELECT when the cached connection has another database selected, and one RESTORE per live key
 * (the DUMP payload, the remaining TTL, REPLACE when asked) in one write, then reads one reply per
 * command. Each acknowledged key is deleted here (unless COPY) and the command propagates as a
 * DEL of those keys. A failure on a cached connection that may just have been closed by the
 * target is retried once on a new connection, unless it was a timeout. Replies: +OK, +NOKEY when
 * no key exists, `-IOERR error or timeout connecting to the client` / `… writing to target
 * instance` / `… reading to target instance`, `-ERR Target instance replied with error: …`.
 * INFO's `migrate_cached_sockets` counts the cached connections.
 */

import { ExtKey, getExt, setExt, type ClientContext, type HandlerTable } from '../dispatch/context.js';
import { isWord, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import type { Entry } from '../keyspace/entry.js';
import { notify, Notify } from '../pubsub/keyspace-events.js';
import { createDumpPayload } from '../persistence/rdb/dump-payload.js';
import { rdbLimits } from '../handlers/dump.js';
import { MigrateLink } from './migrate-link.js';

const LINK = new ExtKey<MigrateLink>('migrate.link');
const CACHED_SOCKETS = 'migrate.cachedSockets';

interface MigrateOptions {
  copy: boolean;
  replace: boolean;
  username: string | null;
  password: string | null;
  firstKey: number;
  numKeys: number;
}

function parseOptions(c: ClientContext, argv: readonly string[]): MigrateOptions | null {
  const o: MigrateOptions = { copy: false, replace: false, username: null, password: null, firstKey: 3, numKeys: 1 };
  for (let j = 6; j < argv.length; j++) {
    const a = argv[j]!;
    const more = argv.length - 1 - j;
    if (isWord(a, 'copy')) o.copy = true;
    else if (isWord(a, 'replace')) o.replace = true;
    else if (isWord(a, 'auth') && more >= 1) {
      // MONITOR and SLOWLOG never show the credentials (Redis redacts them too).
      c.server.dispatcher.redact(j + 1);
      o.password = argv[++j]!;
    } else if (isWord(a, 'auth2') && more >= 2) {
      c.server.dispatcher.redact(j + 1);
      c.server.dispatcher.redact(j + 2);
      o.username = argv[++j]!;
      o.password = argv[++j]!;
    } else if (isWord(a, 'keys')) {
      if (argv[3]!.length !== 0) {
        c.reply.error('ERR When using MIGRATE KEYS option, the key argument must be set to the empty string');
        return null;
      }
      o.firstKey = j + 1;
      o.numKeys = argv.length - j - 1;
      break;
    } else {
      c.reply.error(R.SYNTAX);
      return null;
    }
  }
  return o;
}

function bulk(parts: Buffer[], s: string | Buffer): void {
  const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
  parts.push(Buffer.from(`$${b.length}\r\n`, 'latin1'), b, Buffer.from('\r\n', 'latin1'));
}

function command(parts: Buffer[], args: readonly (string | Buffer)[]): void {
  parts.push(Buffer.from(`*${args.length}\r\n`, 'latin1'));
  for (const a of args) bulk(parts, a);
}

interface Batch {
  bytes: Buffer;
  select: boolean;
  keys: Entry[];
}

/** The AUTH, SELECT and RESTORE commands for the keys still alive (TTLs as of now). */
function buildBatch(c: ClientContext, o: MigrateOptions, entries: readonly Entry[], dbid: number, lastDbid: number): Batch {
  const parts: Buffer[] = [];
  if (o.password !== null) command(parts, o.username !== null ? ['AUTH', o.username, o.password] : ['AUTH', o.password]);
  const select = lastDbid !== dbid;
  if (select) command(parts, ['SELECT', String(dbid)]);
  const now = c.server.keyspace.now;
  const limits = rdbLimits(c.server.config);
  const keys: Entry[] = [];
  for (const e of entries) {
    let ttl = 0;
    if (e.expireAt !== -1) {
      ttl = e.expireAt - now;
      if (ttl < 0) continue;
      if (ttl < 1) ttl = 1;
    }
    keys.push(e);
    const payload = createDumpPayload(e.type, e.value, limits);
    command(parts, o.replace ? ['RESTORE', e.key, String(ttl), payload, 'REPLACE'] : ['RESTORE', e.key, String(ttl), payload]);
  }
  return { bytes: Buffer.concat(parts), select, keys };
}

function ioError(c: ClientContext, writing: boolean): void {
  c.reply.error(`IOERR error or timeout ${writing ? 'writing' : 'reading'} to target instance`);
}

/** One attempt; 'retry' when Redis would try again on a fresh connection. */
function attempt(c: ClientContext, link: MigrateLink, argv: readonly string[], o: MigrateOptions, entries: readonly Entry[], dbid: number, timeout: number, mayRetry: boolean): 'done' | 'retry' {
  const name = `${argv[1]!}:${argv[2]!}`;
  const target = link.target(name, Date.now());
  const batch = buildBatch(c, o, entries, dbid, target.lastDbid);
  const pre = (o.password !== null ? 1 : 0) + (batch.select ? 1 : 0);
  const r = link.exchange(name, argv[1]!, parseInt(argv[2]!, 10) || 0, timeout, batch.bytes, pre + batch.keys.length);
  if (r.failed === 'connect') {
    c.reply.error('IOERR error or timeout connecting to the client');
    return 'done';
  }
  const retryOr = (writing: boolean): 'done' | 'retry' => {
    link.close(name);
    if (!r.timedOut && mayRetry) return 'retry';
    ioError(c, writing);
    return 'done';
  };
  if (r.failed === 'write' || r.lines.length < pre) return retryOr(r.failed === 'write');
  const authErr = o.password !== null && r.lines[0]!.startsWith('-') ? r.lines[0]! : null;
  const selectErr = batch.select && r.lines[pre - 1]!.startsWith('-') ? r.lines[pre - 1]! : null;
  let targetError = false;
  const moved: string[] = [];
  let j = 0;
  for (; j < batch.keys.length; j++) {
    const line = r.lines[pre + j];
    if (line === undefined) break;
    if (authErr !== null || selectErr !== null || line.startsWith('-')) {
      if (!targetError) {
        target.lastDbid = -1;
        targetError = true;
        c.reply.error(`ERR Target instance replied with error: ${(authErr ?? selectErr ?? line).slice(1)}`);
      }
    } else if (!o.copy) {
      const key = batch.keys[j]!.key;
      c.db.delete(key);
      c.server.keyspace.signalModified(c.db, key);
      notify(c, Notify.GENERIC, 'del', key);
      c.server.dirty++;
      moved.push(key);
    }
  }
  const socketError = j < batch.keys.length;
  if (!targetError && socketError && j === 0 && mayRetry && !r.timedOut) return retryOr(false);
  if (socketError) link.close(name);
  if (moved.length > 0) c.propagateAs = [['DEL', ...moved]];
  if (!targetError && socketError) {
    ioError(c, false);
    return 'done';
  }
  if (!targetError) {
    target.lastDbid = dbid;
    c.reply.ok();
  }
  return 'done';
}

function migrate(c: ClientContext, argv: string[]): void {
  const o = parseOptions(c, argv);
  if (o === null) return;
  let timeout = parseInteger(argv[5]!);
  const dbid = timeout === null ? null : parseInteger(argv[4]!);
  if (timeout === null || dbid === null) return c.reply.error(R.NOT_INTEGER);
  if (timeout <= 0) timeout = 1000;
  const entries: Entry[] = [];
  for (let j = 0; j < o.numKeys; j++) {
    const e = c.db.lookupRead(argv[o.firstKey + j]!);
    if (e !== undefined) entries.push(e);
  }
  if (entries.length === 0) return c.reply.simple('NOKEY');
  const link = getExt(c.server.ext, LINK)!;
  let mayRetry = true;
  while (attempt(c, link, argv, o, entries, dbid, timeout, mayRetry) === 'retry') mayRetry = false;
  c.server.ext.set(CACHED_SOCKETS, link.cache.size);
}

export const MIGRATE_HANDLERS: HandlerTable = { migrate };

export const MIGRATE_FEATURE: ServerFeature = {
  name: 'migrate',
  install(server: FeatureHost) {
    const link = new MigrateLink();
    setExt(server.ext, LINK, link);
    server.ext.set(CACHED_SOCKETS, 0);
    server.onCron(() => {
      if (link.cache.size === 0) return;
      link.closeIdle(Date.now());
      server.ext.set(CACHED_SOCKETS, link.cache.size);
    });
    server.onShutdown(() => link.shutdown());
  },
};
