/**
 * Accepts TCP connections on the configured addresses and enforces what applies before a session
 * exists: `maxclients` and `protected-mode` (both with Redis's error texts), TCP keepalive.
 */

import net from 'node:net';
import type { ServerConfig } from '../config.js';
import type { Logger } from '../util/log.js';

const MAXCLIENTS_ERROR = '-ERR max number of clients reached\r\n';
const PROTECTED_MODE_ERROR =
  '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis ' +
  'you may adopt one of the following solutions: 1) Just disable protected mode sending the command \'CONFIG SET protected-mode no\' ' +
  'from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not ' +
  'publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just ' +
  'disable the protected mode by editing the Redis configuration file, and setting the protected mode option to \'no\', and then ' +
  'restarting the server. 3) If you started the server manually just for testing, restart it with the \'--protected-mode no\' option. ' +
  '4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the ' +
  'server to start accepting connections from the outside.\r\n';

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a.startsWith('127.') || a === '::1';
}

export interface ListenerHost {
  readonly config: ServerConfig;
  readonly log: Logger;
  /** Current number of connected clients. */
  clientCount(): number;
  /** Takes ownership of an accepted socket. */
  accept(socket: net.Socket): void;
  /** Counts a refused connection (INFO rejected_connections). */
  rejected(): void;
}

export class Listener {
  private readonly servers: net.Server[] = [];
  port = 0;

  constructor(private readonly host: ListenerHost) {}

  /** Binds every address in `bind`; resolves with the bound port. */
  async listen(): Promise<number> {
    const cfg = this.host.config;
    const addrs = cfg
      .str('bind')
      .split(/\s+/)
      .filter((a) => a !== '')
      .map((a) => (a.startsWith('-') ? a.slice(1) : a))
      .map((a) => (a === '*' ? '0.0.0.0' : a));
    let port = cfg.int('port');
    for (const addr of addrs.length > 0 ? addrs : ['127.0.0.1']) {
      const srv = net.createServer({ noDelay: true }, (s) => this.onConnection(s));
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ host: addr, port, backlog: cfg.int('tcp-backlog') }, () => {
          srv.off('error', reject);
          resolve();
        });
      });
      const bound = srv.address();
      if (bound !== null && typeof bound === 'object') port = bound.port;
      this.servers.push(srv);
    }
    this.port = port;
    return port;
  }

  private onConnection(socket: net.Socket): void {
    const cfg = this.host.config;
    if (this.host.clientCount() >= cfg.int('maxclients')) {
      this.host.rejected();
      socket.end(MAXCLIENTS_ERROR);
      return;
    }
    if (cfg.bool('protected-mode') && cfg.str('requirepass') === '' && !isLoopback(socket.remoteAddress)) {
      this.host.rejected();
      this.host.log.warning(`Denied connection from ${socket.remoteAddress} (protected mode, no password set)`);
      socket.end(PROTECTED_MODE_ERROR);
      return;
    }
    const keepalive = cfg.int('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    this.host.accept(socket);
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    this.servers.length = 0;
  }
}
