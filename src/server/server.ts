/**
 * Wires the storage node together: configuration, log, keyspace, dispatcher and handler tables,
 * feature modules, the listener and its sessions, and the periodic cron (active expiry, client
 * timeouts, feature ticks). `createServer()` is the embedding API; the bin wraps it.
 *
 * Shutdown (shutdown.ts decides, `exit` carries it out): no command runs once the node decided
 * to exit; the listeners stop accepting, every client (blocked, subscribed, in MULTI, replicas,
 * our master link) is closed with its pending replies written, and `closed` resolves without
 * waiting for peers — a peer that does not read is cut off after SOCKET_GRACE_MS.
 *
 * Invariant: everything the server starts (listeners, sockets, timers) `close()` stops.
 */

import { randomBytes } from 'node:crypto';
import { unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Socket } from 'node:net';
import { ConfigError } from '../errors.js';
import { ServerConfig } from './config.js';
import { loadConfig } from './config-file.js';
import {
  ClientFlag,
  type ClientContext,
  type FlushGate,
  type HandlerTable,
  type PropagationSink,
  type ServerContext,
  type ServerStats,
  type ShutdownRequest,
} from './dispatch/context.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import { HANDLER_TABLES } from './command-handlers.js';
import type { ServerFeature, ServerLifecycle, ShutdownParticipant } from './feature-contract.js';
import { FEATURES } from './installed-features.js';
import { Keyspace } from './keyspace/keyspace.js';
import { Listener } from './network/listener.js';
import { Session, type SessionHost } from './network/session.js';
import { Shutdown, type ShutdownHost } from './shutdown.js';
import { observer } from './observe/state.js';
import { Logger, type LogLevel } from './util/log.js';

/** At exit, a peer that has not taken its last replies after this long is disconnected. */
const SOCKET_GRACE_MS = 250;

/** Pub/sub subscribers, replicas, our master link and blocked clients are never closed as idle. */
const NEVER_IDLE = ClientFlag.BLOCKED | ClientFlag.REPLICA | ClientFlag.MASTER | ClientFlag.PUBSUB;

/** The Redis version the node reports (INFO redis_version, HELLO): the Redis semantics it implements. */
export const SERVER_VERSION = '7.0.15';
/** ringcache's own version (INFO ringcache_version). */
export const RINGCACHE_VERSION = '0.1.0';

/** Options of `createServer()`: configuration from an object, a file and/or redis.conf text. */
export interface ServerOptions {
  /** redis.conf-style parameters, e.g. `{ port: 0, maxmemory: '100mb' }`. Applied last. */
  config?: Readonly<Record<string, string | number | boolean>>;
  /** Path of a redis.conf-style file (CONFIG REWRITE writes it back). */
  configFile?: string;
  /** redis.conf text applied after the file: redis-server's command-line options. */
  options?: string;
  /** Receives log lines instead of stdout/logfile (tests). */
  logSink?: (line: string) => void;
  /**
   * Sentinel mode (server/sentinel/sentinel-mode.ts builds it): port 26379 and protected-mode off
   * by default, `sentinel …` directives collected into ext `sentinel.directives`, mode `sentinel`.
   */
  sentinel?: boolean;
}

function toText(v: string | number | boolean): string {
  return typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
}

/**
 * A ringcache storage node in this process, made by `createServer()`: `await server.listen()`
 * binds it and resolves with its port; `await server.close()` stops it without saving.
 * Everything else on it is the node's own wiring (@internal).
 */
export class RingcacheServer implements ServerContext, SessionHost, ServerLifecycle, ShutdownHost {
  /** The node's parameters by their redis.conf names (what CONFIG GET / SET see). */
  readonly config = new ServerConfig();
  /** @internal */
  readonly log = new Logger();
  /** @internal */
  readonly keyspace: Keyspace;
  /** @internal */
  readonly stats: ServerStats = {
    startedAt: Date.now(),
    totalConnections: 0,
    rejectedConnections: 0,
    totalCommands: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    totalErrorReplies: 0,
    commands: new Map(),
    errors: new Map(),
  };
  /** The run id INFO reports (40 hex characters, new for every server object). */
  readonly runId = randomBytes(20).toString('hex');
  /** The Redis version it reports (SERVER_VERSION). */
  readonly version = SERVER_VERSION;
  /** @internal */
  readonly clients = new Map<number, Session>();
  /** @internal */
  readonly sinks: PropagationSink[] = [];
  /** @internal */
  flushGate: FlushGate | null = null;
  /** @internal */
  readonly ext = new Map<string, unknown>();
  /** @internal */
  readonly dispatcher: Dispatcher;
  /** @internal */
  dirty = 0;
  /** @internal */
  loading = false;
  /** @internal */
  role: 'master' | 'replica' = 'master';

  private readonly listener: Listener;
  private nextClientId = 1;
  private cronTimer: NodeJS.Timeout | null = null;
  private pendingFlush: Session[] = [];
  private flushScheduled = false;
  private readonly cronHooks: (() => void)[] = [];
  private readonly shutdownHooks: ((save: boolean | null) => Promise<void> | void)[] = [];
  /** @internal */
  readonly participants: ShutdownParticipant[] = [];
  private readonly shutdownSeq: Shutdown;
  /** @internal Set once the node decided to exit (or while it makes the dataset durable first). */
  stopping = false;
  /** The pid file this process wrote, removed at exit. */
  private pidFile: string | null = null;
  /** Resolves when every socket is gone too (close()'s promise). */
  private socketsClosed: Promise<void> = Promise.resolve();
  private readonly startHooks: (() => Promise<void> | void)[] = [];
  private readonly closeHooks: ((c: ClientContext) => void)[] = [];
  private readonly resetHooks: ((c: ClientContext) => void)[] = [];
  /** Resolves when the server has shut down (SHUTDOWN, signal or close()). */
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;

  /** `standalone`, or `sentinel` (INFO redis_mode, HELLO mode, the start-up log line). */
  readonly mode: 'standalone' | 'sentinel';

  /** @internal Use createServer(options). */
  constructor(
    options: ServerOptions = {},
    features: readonly ServerFeature[] = FEATURES,
    handlers: Readonly<Record<string, HandlerTable>> = HANDLER_TABLES,
  ) {
    this.closed = new Promise((r) => (this.resolveClosed = r));
    this.shutdownSeq = new Shutdown(this);
    this.mode = options.sentinel === true ? 'sentinel' : 'standalone';
    if (options.configFile !== undefined) this.config.file = resolve(options.configFile);
    if (options.sentinel === true) {
      this.config.set('port', '26379', { startup: true });
      this.config.set('protected-mode', 'no', { startup: true });
      this.ext.set('server.mode', 'sentinel');
      this.log.role = 'X';
    }
    const loaded = loadConfig(this.config, this.config.file, options.options ?? '', options.sentinel === true);
    if (options.sentinel === true) this.ext.set('sentinel.directives', loaded.sentinel);
    for (const [name, value] of Object.entries(options.config ?? {})) {
      const err = this.config.set(name, toText(value), { startup: true });
      if (err === 'unknown') throw new ConfigError(`unknown configuration parameter '${name}'`);
      if (err !== null) throw new ConfigError(`invalid value for '${name}': ${err}`);
    }
    if (options.logSink !== undefined) this.log.sink = options.logSink;
    this.config.watch('loglevel', (v) => (this.log.level = v as LogLevel));
    this.log.file = this.config.str('logfile');
    for (const w of loaded.warnings) this.log.warning(w);
    this.keyspace = new Keyspace(this.config.int('databases'));
    this.dispatcher = new Dispatcher(this, handlers);
    for (const [from, to] of loaded.renames) {
      const err = this.dispatcher.rename(from, to);
      if (err !== null) throw new ConfigError(`rename-command ${from} ${to}: ${err}`);
    }
    this.config.watch('replica-read-only', (v) => (this.dispatcher.replicaReadOnly = v === true));
    this.config.applyWith(['port', 'bind', 'tls-port'], () => this.rebindListeners());
    this.listener = new Listener({
      config: this.config,
      log: this.log,
      clientCount: () => this.clients.size,
      passwordless: () => this.dispatcher.defaultUser.nopass,
      accept: (s, unix) => this.accept(s, unix),
      rejected: () => this.stats.rejectedConnections++,
    });
    // An expiry deletes the key here: every sink (AOF, replicas) gets the DEL, in order with the
    // command that triggered it (lazy expiry) or on its own (active expiry). Not while loading.
    this.keyspace.addHooks({
      keyExpired: (db, key) => {
        if (this.loading) return;
        for (const sink of this.sinks) sink.propagate(db.id, ['DEL', key]);
      },
    });
    for (const f of features) f.install(this);
  }

  /** The TCP port it listens on (the one chosen when `port` was 0), once listen() resolved. */
  get port(): number {
    return this.listener.port;
  }

  /** @internal The ServerContext view handed to sessions. */
  get context(): ServerContext {
    return this;
  }

  /** @internal */
  onCron(fn: () => void): void {
    this.cronHooks.push(fn);
  }

  /** @internal */
  onShutdown(fn: (save: boolean | null) => Promise<void> | void): void {
    this.shutdownHooks.push(fn);
  }

  /** @internal */
  addShutdownParticipant(p: ShutdownParticipant): void {
    this.participants.push(p);
  }

  /** @internal */
  onStart(fn: () => Promise<void> | void): void {
    this.startHooks.push(fn);
  }

  /** @internal */
  onClientClose(fn: (c: ClientContext) => void): void {
    this.closeHooks.push(fn);
  }

  /** @internal */
  onClientReset(fn: (c: ClientContext) => void): void {
    this.resetHooks.push(fn);
  }

  /** @internal */
  resetClient(c: ClientContext): void {
    for (const fn of this.resetHooks) fn(c);
    c.db = this.keyspace.dbs[0]!;
    c.reply.proto = 2;
    c.name = '';
    c.flags &= ~(ClientFlag.PUBSUB | ClientFlag.NO_EVICT | ClientFlag.REPLY_OFF | ClientFlag.REPLY_SKIP | ClientFlag.REPLY_SKIP_NEXT);
    c.user = this.dispatcher.defaultUser;
    c.authenticated = !this.dispatcher.requirePass;
  }

  /** Binds the listener, runs start hooks (loading), starts the cron. Resolves with the port. */
  async listen(): Promise<number> {
    this.writePidFile();
    let port: number;
    try {
      port = await this.listener.listen();
    } catch (err) {
      this.removePidFile();
      throw err;
    }
    this.log.notice(`Server initialized, ringcache ${RINGCACHE_VERSION} (redis ${SERVER_VERSION} compatible), pid=${process.pid}`);
    this.log.notice(`Running mode=${this.mode}, port=${port}.`);
    // Until every start hook ran (the Lua VM, the dataset), commands get -LOADING: a connection
    // accepted meanwhile must not see an empty dataset.
    this.loading = true;
    try {
      for (const fn of this.startHooks) await fn();
    } catch (err) {
      // A start hook failing (e.g. an unreadable data file) means the node must not serve.
      for (const c of [...this.clients.values()]) c.close(false);
      this.removePidFile();
      await this.listener.close();
      throw err;
    }
    this.loading = false;
    // Shut down while loading: nothing more to start.
    if (this.stopping) return port;
    const hz = Math.max(1, Math.min(500, this.config.int('hz')));
    this.cronTimer = setInterval(() => this.cron(), Math.floor(1000 / hz));
    this.log.notice('Ready to accept connections tcp');
    return port;
  }

  /** `pidfile`: written at start (a failure is only logged, as Redis), removed at exit. */
  private writePidFile(): void {
    const path = this.config.str('pidfile');
    if (path === '') return;
    try {
      writeFileSync(path, `${process.pid}\n`);
      this.pidFile = path;
    } catch (err) {
      this.log.warning(`Failed to write PID file: ${(err as Error).message}`);
    }
  }

  private removePidFile(): void {
    if (this.pidFile === null) return;
    this.log.notice('Removing the pid file.');
    try {
      unlinkSync(this.pidFile);
    } catch {
      /* already gone */
    }
    this.pidFile = null;
  }

  private cron(): void {
    // A suspended script holds the dataset: nothing may expire, evict or save under it.
    if (this.keyspace.busy !== null) return;
    const hz = Math.max(1, this.config.int('hz'));
    // Active expiry: at most a quarter of each tick (Redis ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC);
    // DEBUG SET-ACTIVE-EXPIRE 0 turns it off.
    if (this.ext.get('debug.activeExpire') !== false) {
      const start = performance.now();
      this.keyspace.activeExpireCycle(Math.max(1, 250 / hz));
      observer(this).latency.addIfNeeded('expire-cycle', performance.now() - start);
    }
    const timeout = this.config.int('timeout');
    if (timeout > 0) {
      const now = Date.now();
      for (const c of this.clients.values()) {
        if (now - c.lastInteraction > timeout * 1000 && (c.flags & NEVER_IDLE) === 0) {
          this.log.verbose(`Closing idle client id=${c.id}`);
          c.close(false);
        }
      }
    }
    for (const fn of this.cronHooks) fn();
    this.shutdownSeq.cron();
  }

  private accept(socket: Socket, unix: boolean): void {
    const s = new Session(this.nextClientId++, socket, this, unix ? this.config.str('unixsocket') : null);
    this.clients.set(s.id, s);
    this.stats.totalConnections++;
  }

  /** @internal */
  sessionClosed(s: Session): void {
    this.clients.delete(s.id);
    for (const fn of this.closeHooks) fn(s);
  }

  /** @internal */
  queueFlush(s: Session): void {
    this.pendingFlush.push(s);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      const list = this.pendingFlush;
      this.pendingFlush = [];
      for (const c of list) c.flush();
    });
  }

  /** @internal */
  shutdown(req: ShutdownRequest, c: ClientContext | null): string | null {
    return this.shutdownSeq.prepare(req, c) === 'failed' ? 'ERR Errors trying to SHUTDOWN. Check logs.' : null;
  }

  /** @internal */
  abortShutdown(): boolean {
    return this.shutdownSeq.abort();
  }

  /** @internal */
  async rebindListeners(): Promise<string | null> {
    const err = await this.listener.rebind();
    if (err === null) this.log.notice(`Listening on port ${this.listener.port}`);
    return err;
  }

  /** @internal */
  reloadTls(): string | null {
    return this.listener.reloadTls();
  }

  /** @internal SIGTERM / SIGINT from the bin; true when the process must exit at once (a second SIGINT). */
  signal(sig: 'SIGTERM' | 'SIGINT'): boolean {
    return this.shutdownSeq.signal(sig);
  }

  /** @internal */
  setStopping(on: boolean): void {
    this.stopping = on;
    if (!on) for (const c of this.clients.values()) c.resume();
  }

  /** Stops the server without saving (the embedding API); resolves once every socket is gone. */
  async close(): Promise<void> {
    this.shutdownSeq.force();
    await this.closed;
    await this.socketsClosed;
  }

  /** @internal The decision to exit is taken (shutdown.ts): close listeners, clients and timers. */
  exit(req: ShutdownRequest): void {
    this.stopping = true;
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.cronTimer = null;
    const save = req.save ? true : req.nosave ? false : null;
    const pending: Promise<void>[] = [];
    for (const fn of this.shutdownHooks) {
      try {
        const r = fn(save);
        if (r instanceof Promise) pending.push(r.catch((err: unknown) => this.log.warning(`Error during shutdown: ${String(err)}`)));
      } catch (err) {
        this.log.warning(`Error during shutdown: ${String(err)}`);
      }
    }
    this.removePidFile();
    const listening = this.listener.close();
    const sockets: Socket[] = [];
    for (const c of [...this.clients.values()]) {
      c.close(true);
      if (!c.socket.destroyed) sockets.push(c.socket);
    }
    // A peer that does not take its last replies is cut off (one timer for all of them).
    if (sockets.length > 0) setTimeout(() => sockets.forEach((s) => s.destroy()), SOCKET_GRACE_MS).unref();
    this.socketsClosed = listening;
    void Promise.all(pending).then(() => {
      this.log.warning('ringcache is now ready to exit, bye bye...');
      this.resolveClosed();
    });
  }

}

/** Creates a storage node (not yet listening: call `listen()`). */
/**
 * Makes a storage node (not listening yet): `const server = createServer({ config: { port: 0 } });
 * const port = await server.listen();` … `await server.close()`. Throws ConfigError for an
 * unknown parameter or an invalid value.
 */
export function createServer(options: ServerOptions = {}): RingcacheServer {
  return new RingcacheServer(options);
}
