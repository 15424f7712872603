/**
 * Accepts TCP connections on the configured addresses (`bind`, `port`) and, with `unixsocket`,
 * on a Unix socket (mode `unixsocketperm`), and enforces what applies before a session exists:
 * `maxclients` and `protected-mode` (both with Redis's error texts; Unix socket clients are
 * local), TCP keepalive.
 *
 * `rebind` applies a CONFIG SET of `port`/`bind` as Redis does: the new addresses are bound
 * first and the old ones closed only then, so a failure leaves the node listening where it was.
 */

import { chmodSync, unlinkSync } from 'node:fs';
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
  /** The default user takes any password (protected mode applies). */
  passwordless(): boolean;
  /** Takes ownership of an accepted socket (`unix`: it came through the Unix socket). */
  accept(socket: net.Socket, unix: boolean): void;
  /** Counts a refused connection (INFO rejected_connections). */
  rejected(): void;
}

export class Listener {
  private servers: net.Server[] = [];
  private unix: net.Server | null = null;
  port = 0;

  constructor(private readonly host: ListenerHost) {}

  /** Binds every address in `bind` and the Unix socket; resolves with the bound TCP port. */
  async listen(): Promise<number> {
    const { servers, port } = await this.bindTcp();
    this.servers = servers;
    this.port = port;
    const path = this.host.config.str('unixsocket');
    if (path !== '') await this.listenUnix(path);
    return port;
  }

  /**
   * CONFIG SET port/bind: listens on the new addresses, then closes the old ones. Resolves with
   * Redis's error text when the new ones cannot be bound (the old ones stay), else null.
   */
  async rebind(): Promise<string | null> {
    let bound: { servers: net.Server[]; port: number };
    try {
      bound = await this.bindTcp();
    } catch {
      return 'Unable to listen on this port';
    }
    const old = this.servers;
    this.servers = bound.servers;
    this.port = bound.port;
    for (const srv of old) srv.close();
    return null;
  }

  private async bindTcp(): Promise<{ servers: net.Server[]; port: number }> {
    const cfg = this.host.config;
    const addrs = cfg
      .str('bind')
      .split(/\s+/)
      .filter((a) => a !== '')
      .map((a) => (a.startsWith('-') ? a.slice(1) : a))
      .map((a) => (a === '*' ? '0.0.0.0' : a));
    let port = cfg.int('port');
    const servers: net.Server[] = [];
    try {
      for (const addr of addrs.length > 0 ? addrs : ['127.0.0.1']) {
        const srv = net.createServer({ noDelay: true }, (s) => this.onConnection(s, false));
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen({ host: addr, port, backlog: cfg.int('tcp-backlog') }, () => {
            srv.off('error', reject);
            resolve();
          });
        });
        const bound = srv.address();
        if (bound !== null && typeof bound === 'object') port = bound.port;
        servers.push(srv);
      }
    } catch (err) {
      for (const srv of servers) srv.close();
      throw err;
    }
    return { servers, port };
  }

  private async listenUnix(path: string): Promise<void> {
    // A socket file left by an earlier run would make listen fail (Redis unlinks it too).
    try {
      unlinkSync(path);
    } catch {
      /* absent */
    }
    const srv = net.createServer({ noDelay: true }, (s) => this.onConnection(s, true));
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen({ path, backlog: this.host.config.int('tcp-backlog') }, () => {
        srv.off('error', reject);
        resolve();
      });
    });
    const perm = this.host.config.int('unixsocketperm');
    if (perm !== 0) chmodSync(path, perm);
    this.unix = srv;
  }

  private onConnection(socket: net.Socket, unix: boolean): void {
    const cfg = this.host.config;
    if (this.host.clientCount() >= cfg.int('maxclients')) {
      this.host.rejected();
      socket.end(MAXCLIENTS_ERROR);
      return;
    }
    if (!unix && cfg.bool('protected-mode') && this.host.passwordless() && !isLoopback(socket.remoteAddress)) {
      this.host.rejected();
      this.host.log.warning(`Denied connection from ${socket.remoteAddress} (protected mode, no password set)`);
      socket.end(PROTECTED_MODE_ERROR);
      return;
    }
    const keepalive = cfg.int('tcp-keepalive');
    if (keepalive > 0 && !unix) socket.setKeepAlive(true, keepalive * 1000);
    this.host.accept(socket, unix);
  }

  /** Stops accepting; resolves once every listener (and its connections) is closed. */
  async close(): Promise<void> {
    const all = this.unix === null ? this.servers : [...this.servers, this.unix];
    this.servers = [];
    const unix = this.unix;
    this.unix = null;
    const closing = Promise.all(all.map((s) => new Promise<void>((r) => s.close(() => r()))));
    if (unix !== null) {
      // Now, not when the close completes: the process may be about to exit.
      this.host.log.notice('Removing the unix socket file.');
      try {
        unlinkSync(this.host.config.str('unixsocket'));
      } catch (err) {
        this.host.log.warning(`Error removing the unix socket file: ${(err as Error).message}`);
      }
    }
    await closing;
  }
}
