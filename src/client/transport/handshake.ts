/**
 * The commands a connection sends first on every (re)connect: HELLO <protocol> [AUTH] [SETNAME],
 * falling back to RESP2's AUTH and CLIENT SETNAME when the server has no HELLO (or refuses the
 * protocol), then SELECT. `direct` sends one command ahead of everything queued and resolves with
 * its reply, an error reply included; a refused AUTH or SELECT throws that ReplyError.
 */

import { ReplyError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import type { Arg } from './command.js';

/** What the handshake needs of the connection's options. */
export interface HandshakeOptions {
  username?: string | undefined;
  password?: string | undefined;
  db: number;
  clientName?: string | undefined;
  /** Preferred protocol; 3 falls back to 2 when the server cannot speak it. */
  protocol: 2 | 3;
}

function isFallbackError(v: RespValue): boolean {
  return v instanceof ReplyError && (v.prefix === 'NOPROTO' || /unknown command/i.test(v.message));
}

/** Runs the handshake; resolves with the protocol the server speaks on this connection. */
export async function handshake(direct: (args: Arg[]) => Promise<RespValue>, o: HandshakeOptions): Promise<2 | 3> {
  let proto: 2 | 3 = 2;
  const hello: Arg[] = ['HELLO', o.protocol];
  if (o.password !== undefined) hello.push('AUTH', o.username ?? 'default', o.password);
  if (o.clientName !== undefined) hello.push('SETNAME', o.clientName);
  const r = await direct(hello);
  if (r instanceof ReplyError) {
    if (!isFallbackError(r)) throw r;
    if (o.password !== undefined) {
      const a = await direct(o.username !== undefined ? ['AUTH', o.username, o.password] : ['AUTH', o.password]);
      if (a instanceof ReplyError) throw a;
    }
    if (o.clientName !== undefined) await direct(['CLIENT', 'SETNAME', o.clientName]);
  } else {
    proto = o.protocol;
  }
  if (o.db !== 0) {
    const s = await direct(['SELECT', o.db]);
    if (s instanceof ReplyError) throw s;
  }
  return proto;
}
