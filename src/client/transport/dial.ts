/**
 * Opens the socket of one connection attempt: plain TCP, or TLS through `node:tls`. With TLS the
 * server name (SNI, and the name the certificate is checked against) is the host when it is a
 * name, not an IP address, unless the TLS options give `servername`; the attempt counts as
 * connected at 'secureConnect', after the certificate was verified. `endSocket` closes one.
 */

import net from 'node:net';
import tls from 'node:tls';

export interface DialTarget {
  host: string;
  port: number;
  /** null: plain TCP. */
  tls: tls.ConnectionOptions | null;
}

export interface Dialed {
  socket: net.Socket;
  /** The event after which the socket carries RESP: 'connect', or 'secureConnect' for TLS. */
  connected: 'connect' | 'secureConnect';
}

export function dial(t: DialTarget): Dialed {
  if (t.tls === null) return { socket: net.connect({ host: t.host, port: t.port, noDelay: true }), connected: 'connect' };
  const servername = net.isIP(t.host) === 0 ? t.host : undefined;
  const socket = tls.connect({ ...(servername !== undefined ? { servername } : {}), ...t.tls, host: t.host, port: t.port });
  socket.setNoDelay(true);
  return { socket, connected: 'secureConnect' };
}

/** Ends `socket` (destroys it with `force`, or after 1 s when the peer does not close); resolves once it closed. */
export function endSocket(socket: net.Socket, force: boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    if (force) socket.destroy();
    else socket.end();
    setTimeout(() => socket.destroy(), 1000).unref();
  });
}
