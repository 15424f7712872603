/**
 * Accepts TCP connections on the configured addresses (`bind`, `port`), TLS connections on
 * `tls-port` (same addresses; `port 0` with a `tls-port` means TLS only, as Redis) and, with
 * `unixsocket`, on a Unix socket (mode `unixsocketperm`), and enforces what applies before a
 * session exists: `maxclients` and `protected-mode` (both with Redis's error texts; Unix socket
 * clients are local), TCP keepalive. A TLS client is handed over once its handshake is done; a
 * failed handshake closes only that connection and is logged once per source address.
 *
 * `rebind` applies a CONFIG SET of `port`/`bind`/`tls-port` as Redis does: the new addresses are
 * bound first and the old ones closed only then, so a failure leaves the node listening where it
 * was. `reloadTls` applies new certificates, CAs and TLS options to the TLS listeners (new
 * connections use them; established ones keep theirs).
 */

import { chmodSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { ServerConfig } from '../config.js';
import { clientTlsOptions, serverTlsOptions } from './tls-context.js';
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

/** How many distinct sources of failed TLS handshakes are remembered (each is logged once). */
const MAX_TLS_FAILURE_SOURCES = 1024;

export class Listener {
  private servers: net.Server[] = [];
  private unix: net.Server | null = null;
  port = 0;
  private tlsServers: tls.Server[] = [];
  tlsPort = 0;
  private readonly tlsFailures = new Set<string>();
  /** The `bind`, `port` and `tls-port` the listeners were bound with (rebind binds what changed). */
  private boundBind = '';
  private boundPort = -1;
  private boundTlsPort = -1;

  constructor(private readonly host: ListenerHost) {
    // A bad certificate, key, password or CA stops the start (ConfigError), before binding.
    if (host.config.int('tls-port') !== 0) serverTlsOptions(host.config);
    if (host.config.bool('tls-replication')) clientTlsOptions(host.config);
  }

  /** Binds every address in `bind` and the Unix socket; resolves with the bound TCP port. */
  async listen(): Promise<number> {
    const { servers, port } = await this.bindAll();
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
    const cfg = this.host.config;
    const bindChanged = cfg.str('bind') !== this.boundBind;
    const tcp = bindChanged || cfg.int('port') !== this.boundPort;
    const secure = bindChanged || cfg.int('tls-port') !== this.boundTlsPort;
    const oldTcp = this.servers;
    const oldTls = this.tlsServers;
    let plain: { servers: net.Server[]; port: number } | null = null;
    try {
      if (tcp) plain = await this.bindPlain();
      if (secure) await this.bindSecure();
    } catch {
      for (const srv of plain?.servers ?? []) srv.close();
      return 'Unable to listen on this port';
    }
    if (plain !== null) {
      this.servers = plain.servers;
      this.port = plain.port;
      for (const srv of oldTcp) srv.close();
    }
    if (secure) for (const srv of oldTls) srv.close();
    this.boundBind = cfg.str('bind');
    return null;
  }

  /** Binds the plain and TLS listeners (Listener.listen). */
  private async bindAll(): Promise<{ servers: net.Server[]; port: number }> {
    const plain = await this.bindPlain();
    try {
      await this.bindSecure();
    } catch (err) {
      for (const srv of plain.servers) srv.close();
      throw err;
    }
    this.boundBind = this.host.config.str('bind');
    return plain;
  }

  /** The plain TCP listeners: none when `port` is 0 and a `tls-port` is set (TLS only). */
  private async bindPlain(): Promise<{ servers: net.Server[]; port: number }> {
    const cfg = this.host.config;
    this.boundPort = cfg.int('port');
    if (this.boundPort === 0 && cfg.int('tls-port') !== 0) return { servers: [], port: 0 };
    return this.bindTcp(this.boundPort, null);
  }

  /** The TLS listeners on `tls-port` (none when it is 0); sets them only when all are bound. */
  private async bindSecure(): Promise<void> {
    const cfg = this.host.config;
    const port = cfg.int('tls-port');
    if (port === 0) {
      this.tlsServers = [];
      this.tlsPort = 0;
    } else {
      const bound = await this.bindTcp(port, serverTlsOptions(cfg));
      this.tlsServers = bound.servers as tls.Server[];
      this.tlsPort = bound.port;
    }
    this.boundTlsPort = port;
  }

  /** New TLS settings for the TLS listeners; Redis's error text when they are unusable. */
  reloadTls(): string | null {
    if (this.tlsServers.length === 0) return null;
    let opts: tls.TlsOptions;
    try {
      opts = serverTlsOptions(this.host.config);
    } catch (err) {
      this.host.log.warning((err as Error).message);
      return 'Unable to update TLS configuration. Check server logs.';
    }
    for (const srv of this.tlsServers) srv.setSecureContext(opts);
    return null;
  }

  private createServer(secure: tls.TlsOptions | null): net.Server {
    if (secure === null) return net.createServer({ noDelay: true }, (s) => this.onConnection(s, false));
    const srv = tls.createServer(secure, (s) => {
      if (this.clientCertRefused(s)) return;
      this.onConnection(s, false);
    });
    srv.on('tlsClientError', (err, s) => this.tlsFailure(err.message, s.remoteAddress));
    return srv;
  }

  /**
   * `tls-auth-clients`: `yes` needs a certificate the CAs signed; `optional` refuses only a
   * certificate they did not sign (Redis SSL_VERIFY_PEER without FAIL_IF_NO_PEER_CERT). The
   * server lets the handshake finish (rejectUnauthorized off) so the refusal can be logged.
   */
  private clientCertRefused(s: tls.TLSSocket): boolean {
    const mode = this.host.config.str('tls-auth-clients');
    if (mode === 'no' || s.authorized) return false;
    if (mode === 'optional' && Object.keys(s.getPeerCertificate()).length === 0) return false;
    this.tlsFailure(`client certificate refused: ${String(s.authorizationError ?? 'no certificate')}`, s.remoteAddress);
    s.destroy();
    return true;
  }

  /** A failed handshake: that connection is gone; the source is logged once (bounded memory). */
  private tlsFailure(message: string, address: string | undefined): void {
    const from = address ?? 'unknown';
    if (this.tlsFailures.has(from)) return;
    if (this.tlsFailures.size >= MAX_TLS_FAILURE_SOURCES) this.tlsFailures.clear();
    this.tlsFailures.add(from);
    this.host.log.warning(`Error accepting a client connection: ${message} (addr=${from}; further failures from it are not logged)`);
  }

  private async bindTcp(port: number, secure: tls.TlsOptions | null): Promise<{ servers: net.Server[]; port: number }> {
    const cfg = this.host.config;
    const addrs = cfg
      .str('bind')
      .split(/\s+/)
      .filter((a) => a !== '')
      .map((a) => (a.startsWith('-') ? a.slice(1) : a))
      .map((a) => (a === '*' ? '0.0.0.0' : a));
    const servers: net.Server[] = [];
    try {
      for (const addr of addrs.length > 0 ? addrs : ['127.0.0.1']) {
        const srv = this.createServer(secure);
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
    const all = [...this.servers, ...this.tlsServers, ...(this.unix === null ? [] : [this.unix])];
    this.servers = [];
    this.tlsServers = [];
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
