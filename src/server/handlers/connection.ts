/**
 * Connection commands: PING, ECHO, SELECT, QUIT, HELLO, AUTH, RESET.
 * AUTH and HELLO AUTH check ACL users (server/acl/); without the ACL feature, only `default`
 * with `requirepass`.
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { ClientFlag } from '../dispatch/context.js';
import { cString, dbOrReply, keyword, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { validClientName } from './client.js';
import { aclUsers } from '../acl/users-view.js';

const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

/** Checks credentials; replies with the error and returns false on failure. */
function authenticate(c: ClientContext, user: string, pass: string, command: string): boolean {
  const acl = aclUsers(c.server);
  const ok =
    acl !== undefined
      ? acl.authenticate(c, user, pass, command)
      : user === 'default' && (c.server.config.str('requirepass') === '' || pass === c.server.config.str('requirepass'));
  if (ok) {
    c.authenticated = true;
    return true;
  }
  c.reply.error(WRONGPASS);
  return false;
}

function helloReply(c: ClientContext): void {
  const r = c.reply;
  // Sentinel mode (server/sentinel/): mode `sentinel` and no `role` key, as redis-sentinel.
  const sentinel = c.server.ext.get('server.mode') === 'sentinel';
  r.map(sentinel ? 6 : 7);
  r.bulk('server');
  r.bulk('redis');
  r.bulk('version');
  r.bulk(c.server.version);
  r.bulk('proto');
  r.integer(r.proto);
  r.bulk('id');
  r.integer(c.id);
  r.bulk('mode');
  r.bulk(sentinel ? 'sentinel' : 'standalone');
  if (!sentinel) {
    r.bulk('role');
    r.bulk(c.server.role);
  }
  r.bulk('modules');
  r.array(0);
}

export const CONNECTION_HANDLERS: HandlerTable = {
  ping(c, argv) {
    if (argv.length > 2) return c.reply.error(R.WRONG_ARGS('ping'));
    if (c.flags & ClientFlag.PUBSUB && c.reply.proto === 2) {
      c.reply.array(2);
      c.reply.bulk('pong');
      c.reply.bulk(argv.length === 2 ? argv[1]! : '');
      return;
    }
    if (argv.length === 2) c.reply.bulk(argv[1]!);
    else c.reply.simple('PONG');
  },

  echo(c, argv) {
    c.reply.bulk(argv[1]!);
  },

  select(c, argv) {
    const db = dbOrReply(c, argv[1]!);
    if (db === null) return;
    c.db = db;
    c.reply.ok();
  },

  quit(c) {
    c.reply.ok();
    c.flags |= ClientFlag.CLOSE_AFTER_REPLY;
  },

  hello(c, argv) {
    let ver = 0;
    let i = 1;
    if (argv.length >= 2) {
      const v = parseInteger(argv[i++]!);
      if (v === null) return c.reply.error('ERR Protocol version is not an integer or out of range');
      if (v < 2 || v > 3) return c.reply.error('NOPROTO unsupported protocol version');
      ver = v;
    }
    // Options take effect in order, as Redis's helloCommand applies them while parsing.
    for (; i < argv.length; i++) {
      const opt = keyword(argv[i]!);
      const more = argv.length - 1 - i;
      if (opt === 'auth' && more >= 2) {
        c.server.dispatcher.redact(i + 1);
        c.server.dispatcher.redact(i + 2);
        if (!authenticate(c, argv[i + 1]!, argv[i + 2]!, argv[0]!)) return;
        i += 2;
      } else if (opt === 'setname' && more >= 1) {
        const name = argv[++i]!;
        if (!validClientName(name)) return c.reply.error('ERR Client names cannot contain spaces, newlines or special characters.');
        c.name = name;
      } else {
        return c.reply.error(`ERR Syntax error in HELLO option '${cString(argv[i]!)}'`);
      }
    }
    if (!c.authenticated) {
      return c.reply.error(
        'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
      );
    }
    if (ver !== 0) c.reply.proto = ver === 3 ? 3 : 2;
    helloReply(c);
  },

  auth(c, argv) {
    if (argv.length > 3) return c.reply.error(R.SYNTAX);
    // MONITOR and SLOWLOG never show the credentials.
    c.server.dispatcher.redact(1);
    if (argv.length === 3) c.server.dispatcher.redact(2);
    if (argv.length === 2 && c.server.dispatcher.defaultUser.nopass) {
      return c.reply.error(
        'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      );
    }
    const user = argv.length === 3 ? argv[1]! : 'default';
    if (authenticate(c, user, argv[argv.length - 1]!, argv[0]!)) c.reply.ok();
  },

  reset(c) {
    c.server.resetClient(c);
    c.reply.simple('RESET');
  },
};
