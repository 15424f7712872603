/**
 * The shutdown sequence, as Redis 7.0's prepareForShutdown / finishShutdown / abortShutdown:
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT], SIGTERM and SIGINT (with `shutdown-on-sigterm` /
 * `shutdown-on-sigint`), and the embedding API's close().
 *
 * 1. Unless NOW (or `shutdown-timeout` is 0), while a replica has not acknowledged our offset the
 *    node asks them for an ACK, pauses writes and waits up to `shutdown-timeout` seconds; the
 *    SHUTDOWN caller stays blocked meanwhile, and SHUTDOWN ABORT cancels.
 * 2. Lagging replicas are logged, then the dataset is made durable (participants' `persist`: AOF
 *    flush + fsync, the final snapshot). A failure without FORCE cancels the shutdown: the node
 *    keeps running, and blocked SHUTDOWN callers get `-ERR Errors trying to SHUTDOWN. Check logs.`
 * 3. Otherwise `host.exit()` closes everything; no command runs after the decision to exit.
 *
 * Invariant: at most one shutdown is initiated at a time; `finish` runs at most once to success.
 */

import { ClientFlag, type ClientContext, type ShutdownRequest } from './dispatch/context.js';
import type { ShutdownParticipant } from './feature-contract.js';
import { PauseMode, pauseClients, unpauseClients } from './client-pause.js';
import type { FeatureHost } from './feature-contract.js';
import { parseShutdownFlags } from './util/shutdown-flags.js';

export const NO_FLAGS: ShutdownRequest = { save: false, nosave: false, now: false, force: false };

const SHUTDOWN_ERROR = 'ERR Errors trying to SHUTDOWN. Check logs.';
/** How often a shutdown waiting for replicas checks their ACKs. */
const WAIT_POLL_MS = 10;

export interface ShutdownHost extends FeatureHost {
  readonly participants: readonly ShutdownParticipant[];
  /** Sessions run no command while set (the dataset is being made durable, then closed). */
  setStopping(on: boolean): void;
  /** Closes listeners, clients and timers after the decision to exit. */
  exit(req: ShutdownRequest): void;
}

export class Shutdown {
  /** When waiting for replicas: the time to give up waiting (ms); 0 when not initiated. */
  private deadline = 0;
  private req: ShutdownRequest = NO_FLAGS;
  /** SHUTDOWN callers blocked while replicas catch up. */
  private waiting: ClientContext[] = [];
  /** A signal asked for a shutdown that has not started yet (Redis shutdown_asap). */
  private asap = false;
  /** While waiting: checks readiness every WAIT_POLL_MS (Redis checks in its cron). */
  private poll: NodeJS.Timeout | null = null;
  exited = false;

  constructor(private readonly host: ShutdownHost) {}

  get initiated(): boolean {
    return this.deadline !== 0;
  }

  /**
   * Starts a shutdown. Returns 'exited' when the node is gone, 'waiting' while replicas catch up
   * (`c`, if given, is blocked), or 'failed' (logged; the node keeps running).
   */
  prepare(req: ShutdownRequest, c: ClientContext | null): 'exited' | 'waiting' | 'failed' {
    if (this.exited) return 'exited';
    if (this.initiated) {
      if (c !== null) this.block(c);
      return 'waiting';
    }
    const host = this.host;
    // Nothing half-loaded may overwrite the files on disk.
    this.req = host.loading ? { ...req, save: false, nosave: true } : req;
    host.log.warning('User requested shutdown...');
    const timeout = host.config.int('shutdown-timeout');
    if (!req.now && timeout !== 0 && !this.ready()) {
      this.deadline = Date.now() + timeout * 1000;
      for (const p of host.participants) p.prepareExit?.();
      pauseClients(host, 'shutdown', PauseMode.WRITE, Number.MAX_SAFE_INTEGER);
      host.log.notice('Waiting for replicas before shutting down.');
      this.poll = setInterval(() => this.cron(), WAIT_POLL_MS);
      if (c !== null) this.block(c);
      return 'waiting';
    }
    return this.finish() ? 'exited' : 'failed';
  }

  /** SIGTERM / SIGINT. Returns true when the process must exit at once (a second SIGINT). */
  signal(sig: 'SIGTERM' | 'SIGINT'): boolean {
    const log = this.host.log;
    if (this.asap && sig === 'SIGINT') {
      log.warning('You insist... exiting now.');
      return true;
    }
    log.warning(this.host.loading ? 'Received shutdown signal during loading, scheduling shutdown.' : `Received ${sig} scheduling shutdown...`);
    this.asap = true;
    // Redis acts on the signal in its next cron; we act on the next turn of the event loop.
    setImmediate(() => {
      if (!this.asap || this.initiated || this.exited) return;
      const text = this.host.config.str(sig === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm');
      const req = parseShutdownFlags(text.split(/\s+/).filter((w) => w !== '')) ?? NO_FLAGS;
      if (this.prepare(req, null) === 'failed') {
        log.warning(`${sig} received but errors trying to shut down the server, check the logs for more information`);
      }
    });
    return false;
  }

  /** The cron's check: finish once replicas caught up or the wait timed out. */
  cron(): void {
    if (!this.initiated || this.exited) return;
    if (Date.now() >= this.deadline || this.ready()) this.finish();
  }

  /** SHUTDOWN ABORT. */
  abort(): boolean {
    if (this.initiated) this.cancel();
    else if (this.asap) this.asap = false;
    else return false;
    this.host.log.notice('Shutdown manually aborted.');
    return true;
  }

  /** Closes the node whatever happens (the embedding API's close()). */
  force(): void {
    if (this.exited) return;
    this.req = { save: false, nosave: true, now: true, force: true };
    this.finish();
  }

  private ready(): boolean {
    for (const p of this.host.participants) if (p.readyToExit?.() === false) return false;
    return true;
  }

  private block(c: ClientContext): void {
    c.flags |= ClientFlag.BLOCKED;
    this.waiting.push(c);
  }

  /** Redis finishShutdown: persist, then exit; false (and the shutdown cancelled) on failure. */
  private finish(): boolean {
    const host = this.host;
    this.stopPolling();
    const req = this.req;
    for (const p of host.participants) p.reportLag?.();
    host.setStopping(true);
    let failed = false;
    for (const p of host.participants) {
      if (p.persist?.(req) === false) failed = true;
    }
    if (failed && !req.force) {
      host.log.warning('Errors trying to shut down the server. Check the logs for more information.');
      host.setStopping(false);
      this.cancel();
      return false;
    }
    this.exited = true;
    this.deadline = 0;
    host.exit(req);
    return true;
  }

  private stopPolling(): void {
    if (this.poll !== null) clearInterval(this.poll);
    this.poll = null;
  }

  private cancel(): void {
    this.stopPolling();
    this.asap = false;
    this.deadline = 0;
    this.req = NO_FLAGS;
    const waiting = this.waiting;
    this.waiting = [];
    for (const c of waiting) {
      if (!this.host.clients.has(c.id)) continue;
      c.flags &= ~ClientFlag.BLOCKED;
      c.reply.error(SHUTDOWN_ERROR);
      c.requestFlush();
      c.resume();
    }
    unpauseClients(this.host, 'shutdown');
  }
}
