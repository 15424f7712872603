/**
 * CLIENT subcommands (Redis networking.c clientCommand): ID, SETNAME, GETNAME, LIST, INFO, KILL,
 * REPLY, NO-EVICT, PAUSE, UNPAUSE, UNBLOCK, SETINFO, HELP. Tracking subcommands live with client
 * tracking; the pause itself in client-pause.ts.
 *
 * CLIENT KILL spares the caller by default (SKIPME yes); killing the caller closes it after the
 * reply, as Redis does.
 */

import { aclUsers } from '../acl/users-view.js';
import { ClientFlag, type ClientContext, type HandlerTable } from '../dispatch/context.js';
import { cString, INT64_MAX, isWord, keyword, longOrReply, parseInteger, rangeOrReply, timeoutOrReply } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { unblockClient } from '../blocked-clients.js';
import { helpReply } from './help.js';
import { PauseMode, isPostponed, pauseClients, unpauseClients } from '../client-pause.js';

/** Names may hold printable ASCII without spaces ('!' … '~'). */
export function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

function clientType(c: ClientContext): 'normal' | 'master' | 'replica' | 'pubsub' {
  if (c.flags & ClientFlag.MASTER) return 'master';
  if (c.flags & ClientFlag.REPLICA) return 'replica';
  if (c.flags & ClientFlag.PUBSUB) return 'pubsub';
  return 'normal';
}

function flagLetters(c: ClientContext): string {
  let f = '';
  if (c.flags & ClientFlag.MONITOR) f += 'O';
  if (c.flags & ClientFlag.REPLICA) f += 'S';
  if (c.flags & ClientFlag.MASTER) f += 'M';
  if (c.flags & ClientFlag.PUBSUB) f += 'P';
  if (c.flags & ClientFlag.MULTI) f += 'x';
  if (c.flags & ClientFlag.BLOCKED) f += 'b';
  if (c.flags & ClientFlag.TRACKING) f += 't';
  if (c.flags & ClientFlag.TRACKING_BROKEN_REDIR) f += 'R';
  if (c.flags & ClientFlag.TRACKING_BCAST) f += 'B';
  if (c.flags & ClientFlag.DIRTY_CAS) f += 'd';
  if (c.flags & ClientFlag.CLOSE_AFTER_REPLY) f += 'c';
  if (c.flags & ClientFlag.CLOSE_ASAP) f += 'A';
  if (c.flags & ClientFlag.UNIX_SOCKET) f += 'U';
  if (c.flags & ClientFlag.NO_EVICT) f += 'e';
  return f === '' ? 'N' : f;
}

/** One CLIENT LIST line, fields in Redis 7.0's order. */
export function describeClient(c: ClientContext, now: number): string {
  const sub = (c.ext.get('pubsub.counts') as { sub: number; psub: number; ssub: number } | undefined) ?? { sub: 0, psub: 0, ssub: 0 };
  const multi = (c.ext.get('multi.queued') as number | undefined) ?? -1;
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.fd} name=${c.name} age=${Math.floor((now - c.createdAt) / 1000)} ` +
    `idle=${Math.floor((now - c.lastInteraction) / 1000)} flags=${flagLetters(c)} db=${c.db.id} sub=${sub.sub} psub=${sub.psub} ` +
    `ssub=${sub.ssub} multi=${c.flags & ClientFlag.MULTI ? Math.max(0, multi) : -1} qbuf=${c.queryBufferBytes} qbuf-free=0 argv-mem=0 multi-mem=0 ` +
    `rbs=1024 rbp=0 obl=0 oll=0 omem=${c.outputBufferBytes} tot-mem=${c.queryBufferBytes + c.outputBufferBytes} events=r ` +
    `cmd=${c.spec?.fullName ?? 'NULL'} user=${c.user?.name ?? '(superuser)'} redir=${(c.ext.get('tracking.redirect') as number | undefined) ?? -1} resp=${c.reply.proto}`
  );
}

/** Redis addReplySubcommandSyntaxError. */
function subcommandSyntax(c: ClientContext, argv: string[]): void {
  c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try CLIENT HELP.`);
}

const TYPES = new Set(['normal', 'master', 'replica', 'slave', 'pubsub']);

interface KillFilter {
  id: number | null;
  type: string | null;
  addr: string | null;
  laddr: string | null;
  user: string | null;
  skipme: boolean;
  maxage: number | null;
}

/** Parses CLIENT KILL's filter form; replies with the error and returns null when malformed. */
function parseKillFilter(c: ClientContext, argv: string[]): KillFilter | null {
  const f: KillFilter = { id: null, type: null, addr: null, laddr: null, user: null, skipme: true, maxage: null };
  // Options in order, as Redis reads them: a bad value fails before a missing one later.
  for (let i = 2; i < argv.length; i += 2) {
    const opt = i + 1 < argv.length ? keyword(argv[i]!) : '';
    const v = argv[i + 1] ?? '';
    if (opt === 'id') {
      const n = rangeOrReply(c, v, 1n, INT64_MAX, 'client-id should be greater than 0');
      if (n === null) return null;
      f.id = n;
    } else if (opt === 'type') {
      const t = keyword(v);
      if (!TYPES.has(t)) {
        c.reply.error(`ERR Unknown client type '${cString(v)}'`);
        return null;
      }
      f.type = t === 'slave' ? 'replica' : t;
    } else if (opt === 'addr') f.addr = cString(v);
    else if (opt === 'laddr') f.laddr = cString(v);
    else if (opt === 'user') {
      if (aclUsers(c.server)?.get(v) === undefined && v !== 'default') {
        c.reply.error(`ERR No such user '${cString(v)}'`);
        return null;
      }
      f.user = v;
    }
    else if (opt === 'skipme') {
      const t = keyword(v);
      if (t !== 'yes' && t !== 'no') {
        c.reply.error(R.SYNTAX);
        return null;
      }
      f.skipme = t === 'yes';
    } else if (opt === 'maxage') {
      const n = parseInteger(v);
      if (n === null) {
        c.reply.error(R.NOT_INTEGER);
        return null;
      }
      f.maxage = n;
    } else {
      c.reply.error(R.SYNTAX);
      return null;
    }
  }
  return f;
}

function matches(f: KillFilter, t: ClientContext, self: ClientContext, now: number): boolean {
  if (f.id !== null && t.id !== f.id) return false;
  if (f.type !== null && clientType(t) !== f.type) return false;
  if (f.addr !== null && t.addr !== f.addr) return false;
  if (f.laddr !== null && t.laddr !== f.laddr) return false;
  if (f.user !== null && t.user?.name !== f.user) return false;
  if (f.skipme && t === self) return false;
  if (f.maxage !== null && (now - t.createdAt) / 1000 < f.maxage) return false;
  return true;
}

function kill(c: ClientContext, argv: string[]): void {
  const now = Date.now();
  if (argv.length === 3) {
    for (const t of c.server.clients.values()) {
      if (t.addr === argv[2]) {
        t.close(t === c);
        return c.reply.ok();
      }
    }
    return c.reply.error('ERR No such client');
  }
  const f = parseKillFilter(c, argv);
  if (f === null) return;
  let n = 0;
  for (const t of [...c.server.clients.values()]) {
    if (!matches(f, t, c, now)) continue;
    n++;
    if (t === c) c.flags |= ClientFlag.CLOSE_AFTER_REPLY;
    else t.close(false);
  }
  c.reply.integer(n);
}

/** Redis 7.0's CLIENT HELP lines (SETINFO, a 7.2 subcommand, is accepted but not listed). */
const HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

export const CLIENT_HANDLERS: HandlerTable = {
  'client|id'(c) {
    c.reply.integer(c.id);
  },

  'client|setname'(c, argv) {
    const name = argv[2]!;
    if (!validClientName(name)) return c.reply.error('ERR Client names cannot contain spaces, newlines or special characters.');
    c.name = name;
    c.reply.ok();
  },

  'client|getname'(c) {
    if (c.name === '') c.reply.nullBulk();
    else c.reply.bulk(c.name);
  },

  'client|list'(c, argv) {
    let type: string | null = null;
    let ids: Set<number> | null = null;
    if (argv.length === 4 && isWord(argv[2]!, 'type')) {
      type = keyword(argv[3]!);
      if (!TYPES.has(type)) return c.reply.error(`ERR Unknown client type '${cString(argv[3]!)}'`);
      if (type === 'slave') type = 'replica';
    } else if (argv.length >= 4 && isWord(argv[2]!, 'id')) {
      ids = new Set();
      for (let i = 3; i < argv.length; i++) {
        const n = longOrReply(c, argv[i]!, 'Invalid client ID');
        if (n === null) return;
        ids.add(n);
      }
    } else if (argv.length !== 2) {
      return c.reply.error(R.SYNTAX);
    }
    const now = Date.now();
    let out = '';
    for (const t of c.server.clients.values()) {
      if (type !== null && clientType(t) !== type) continue;
      if (ids !== null && !ids.has(t.id)) continue;
      out += describeClient(t, now) + '\n';
    }
    c.reply.verbatim(out);
  },

  'client|info'(c) {
    c.reply.verbatim(describeClient(c, Date.now()) + '\n');
  },

  'client|kill': kill,

  'client|reply'(c, argv) {
    const mode = keyword(argv[2]!);
    if (mode === 'on') {
      c.flags &= ~(ClientFlag.REPLY_OFF | ClientFlag.REPLY_SKIP);
      c.reply.ok();
    } else if (mode === 'off') {
      c.flags |= ClientFlag.REPLY_OFF;
    } else if (mode === 'skip') {
      if (!(c.flags & ClientFlag.REPLY_OFF)) c.flags |= ClientFlag.REPLY_SKIP_NEXT;
    } else {
      c.reply.error(R.SYNTAX);
    }
  },

  'client|pause'(c, argv) {
    if (argv.length > 4) return subcommandSyntax(c, argv);
    let mode: number = PauseMode.ALL;
    if (argv.length === 4) {
      if (isWord(argv[3]!, 'write')) mode = PauseMode.WRITE;
      else if (!isWord(argv[3]!, 'all')) return c.reply.error('ERR CLIENT PAUSE mode must be WRITE or ALL');
    }
    const ms = timeoutOrReply(c, argv[2]!, false);
    if (ms === null) return;
    pauseClients(c.server, 'client', mode === PauseMode.ALL ? PauseMode.ALL : PauseMode.WRITE, ms === 0 ? 0 : Date.now() + ms);
    c.reply.ok();
  },

  'client|unpause'(c) {
    unpauseClients(c.server, 'client');
    c.reply.ok();
  },

  'client|unblock'(c, argv) {
    if (argv.length > 4) return subcommandSyntax(c, argv);
    let withError = false;
    if (argv.length === 4) {
      const reason = keyword(argv[3]!);
      if (reason === 'error') withError = true;
      else if (reason !== 'timeout') return c.reply.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
    }
    const id = parseInteger(argv[2]!);
    if (id === null) return c.reply.error(R.NOT_INTEGER);
    const target = c.server.clients.get(id);
    // A client held by a pause is not waiting on keys: it stays (Redis re-postpones it).
    const done = target !== undefined && !isPostponed(target) && unblockClient(target, withError);
    c.reply.integer(done ? 1 : 0);
  },

  'client|no-evict'(c, argv) {
    const mode = keyword(argv[2]!);
    if (mode === 'on') c.flags |= ClientFlag.NO_EVICT;
    else if (mode === 'off') c.flags &= ~ClientFlag.NO_EVICT;
    else return c.reply.error(R.SYNTAX);
    c.reply.ok();
  },

  'client|setinfo'(c, argv) {
    const attr = argv[2]!.toLowerCase();
    if (attr !== 'lib-name' && attr !== 'lib-ver') return c.reply.error(`ERR Unrecognized option '${argv[2]}'`);
    c.reply.ok();
  },

  'client|help'(c) {
    helpReply(c, 'CLIENT', HELP);
  },
};
