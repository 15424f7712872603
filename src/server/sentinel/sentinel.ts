/**
 * The Sentinel: owns the state (state.ts), creates and drops instances with their links, emits
 * events (log + pub/sub on the event's channel), persists its state into the config file, and
 * runs the timer (Redis sentinelTimer) about every 100 ms with a random jitter so that Sentinels
 * started together do not ask for votes in lockstep.
 *
 * Per tick and per instance (Redis sentinelHandleRedisInstance): reconnect, periodic commands;
 * then, unless in TILT: SDOWN; for masters ODOWN, failover start, the failover state machine and
 * the questions to other Sentinels. A master that reached update-config switches after the loop.
 *
 * Invariant: `stop()` closes every link and the timer; nothing runs after it.
 */

import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { FeatureHost } from '../feature-contract.js';
import { rewriteConfigFile } from '../config-rewrite.js';
import { publish } from '../pubsub/pubsub.js';
import type { Logger } from '../util/log.js';
import { askMasterState, checkObjectivelyDown, checkSubjectivelyDown } from './agreement.js';
import { failoverStateMachine, startFailoverIfNeeded, switchToPromoted } from './failover.js';
import { processHello } from './hello.js';
import type { EventLevel, SentinelHost } from './host.js';
import { InstanceLink } from './link.js';
import { pingOnConnect, sendPeriodicCommands } from './monitor.js';
import { applyDirective, stateLines, type ConfigTarget } from './sentinel-config.js';
import { F, FO, Instance, SentinelState, TIMING, addrKey, sameHost, type Addr } from './state.js';

export class Sentinel implements SentinelHost, ConfigTarget {
  readonly state = new SentinelState();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly server: FeatureHost) {}

  get log(): Logger {
    return this.server.log;
  }

  get port(): number {
    return this.server.port;
  }

  /** Applies the config file's `sentinel …` directives; throws the first error text. */
  configure(directives: readonly string[][]): string | null {
    for (const argv of directives) {
      const err = applyDirective(this, argv);
      if (err !== null) return `sentinel ${argv.join(' ')}: ${err}`;
    }
    return null;
  }

  event(level: EventLevel, type: string, ri: Instance | null, extra?: string): void {
    const msg = ri === null ? (extra ?? '') : extra === undefined ? ri.details() : `${ri.details()} ${extra}`;
    const line = `${type} ${msg}`;
    if (level === 'warning') this.log.warning(line);
    else if (level === 'notice') this.log.notice(line);
    else if (level === 'verbose') this.log.verbose(line);
    else this.log.debug(line);
    if (level !== 'debug') publish(this.server, type, msg);
  }

  flushConfig(): void {
    const file = this.server.config.file;
    if (file === null) return;
    try {
      rewriteConfigFile(this.server.config, file, false, [], stateLines(this.state));
    } catch (err) {
      this.log.warning(`WARNING: Sentinel was not able to save the new configuration on disk!!!: ${(err as Error).message}`);
    }
  }

  private linkFor(ri: Instance): InstanceLink {
    const st = this.state;
    const sentinel = (ri.flags & F.SENTINEL) !== 0;
    const m = ri.owner;
    const user = sentinel ? st.authUser : m.authUser;
    const pass = sentinel ? st.authPass : m.authPass;
    return new InstanceLink(
      {
        host: ri.addr.host,
        port: ri.addr.port,
        auth: pass === null ? null : user === null ? [pass] : [user, pass],
        id8: st.myid.slice(0, 8),
        command: (n) => ri.command(n),
        onMessage: sentinel ? null : (payload) => processHello(this, payload),
        onConnected: () => pingOnConnect(ri),
      },
      !sentinel,
    );
  }

  createMaster(name: string, host: string, port: number, quorum: number): string | null {
    if (this.state.masters.has(name)) return 'Duplicated master name.';
    if (port <= 0 || port > 65535) return 'Invalid port number';
    if (net.isIP(host) === 0 && !this.state.resolveHostnames) return "Can't resolve instance hostname.";
    const m = new Instance(F.MASTER, name, { host, port }, quorum, null);
    m.link = this.linkFor(m);
    this.state.masters.set(name, m);
    return null;
  }

  addInstance(master: Instance, flags: number, name: string, addr: Addr): Instance {
    const ri = new Instance(flags, name, { ...addr }, master.quorum, master);
    ri.link = this.linkFor(ri);
    if (flags & F.SENTINEL) master.sentinels.set(name, ri);
    else master.slaves.set(name, ri);
    return ri;
  }

  addKnown(m: Instance, flags: number, name: string, host: string, port: number, runid: string | null): void {
    if (flags & F.SLAVE && m.slaves.has(addrKey({ host, port }))) return;
    if (flags & F.SENTINEL && runid !== null && runid.toLowerCase() === this.state.myid) return;
    const ri = this.addInstance(m, flags, name, { host, port });
    if (runid !== null) ri.runid = runid;
  }

  dropInstance(ri: Instance): void {
    ri.link?.close();
    ri.link = null;
    const m = ri.master;
    if (m === null) return;
    if (m.sentinels.get(ri.name) === ri) m.sentinels.delete(ri.name);
    if (m.slaves.get(ri.name) === ri) m.slaves.delete(ri.name);
    if (m.promoted === ri) m.promoted = null;
  }

  resetMaster(m: Instance, keepSentinels: boolean): void {
    for (const s of [...m.slaves.values()]) this.dropInstance(s);
    if (!keepSentinels) for (const s of [...m.sentinels.values()]) this.dropInstance(s);
    m.flags &= F.MASTER;
    m.leader = null;
    m.failoverState = FO.NONE;
    m.failoverStateChangeTime = 0;
    m.failoverStartTime = 0;
    m.promoted = null;
    m.runid = null;
    m.info = '';
    m.infoRefresh = 0;
    m.roleReported = F.MASTER;
    m.roleReportedTime = Date.now();
    m.link?.close();
    m.link = this.linkFor(m);
    if (!keepSentinels) this.event('warning', '+reset-master', m);
  }

  resetMasterAndChangeAddress(m: Instance, host: string, port: number): void {
    const to = { host, port };
    const keep: Addr[] = [];
    for (const s of m.slaves.values()) if (!(sameHost(s.addr.host, host) && s.addr.port === port)) keep.push(s.addr);
    if (!(sameHost(m.addr.host, host) && m.addr.port === port)) keep.push(m.addr);
    m.addr = to;
    this.resetMaster(m, true);
    m.oDownSince = 0;
    m.sDownSince = 0;
    for (const a of keep) {
      const s = this.addInstance(m, F.SLAVE, addrKey(a), a);
      this.event('notice', '+slave', s);
    }
    this.flushConfig();
  }

  removeMaster(name: string): void {
    const m = this.state.masters.get(name);
    if (m === undefined) return;
    for (const s of [...m.slaves.values(), ...m.sentinels.values()]) this.dropInstance(s);
    m.link?.close();
    m.link = null;
    this.state.masters.delete(name);
  }

  /** Generates myid when the file has none, persists, logs +monitor, starts the timer. */
  start(): void {
    if (this.state.myid === '') {
      this.state.myid = randomBytes(20).toString('hex');
      this.flushConfig();
    }
    this.log.warning(`Sentinel ID is ${this.state.myid}`);
    for (const m of this.state.masters.values()) this.event('warning', '+monitor', m, `quorum ${m.quorum}`);
    // The clocks start now: loading the process must not count as a stalled timer (TILT) or
    // as time without a PING reply (SDOWN of instances read from the config file).
    const now = Date.now();
    this.state.previousTime = now;
    for (const m of this.state.masters.values()) {
      for (const ri of [m, ...m.slaves.values(), ...m.sentinels.values()]) {
        if (ri.link !== null) ri.link.lastAvailTime = ri.link.lastPongTime = ri.link.actPingTime = now;
      }
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    // Redis changes hz to 10 + rand() % 10 after each timer run.
    const hz = 10 + Math.floor(Math.random() * 10);
    this.timer = setTimeout(() => {
      this.tick();
      this.schedule();
    }, Math.floor(1000 / hz));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const name of [...this.state.masters.keys()]) this.removeMaster(name);
  }

  private checkTilt(): void {
    const st = this.state;
    const now = Date.now();
    const delta = now - st.previousTime;
    if (delta < 0 || delta > TIMING.tilt_trigger) {
      st.tilt = true;
      st.tiltStart = now;
      this.event('warning', '+tilt', null, '#tilt mode entered');
    }
    st.previousTime = now;
  }

  private handleInstance(ri: Instance): void {
    ri.link?.reconnect(TIMING.ping_period);
    sendPeriodicCommands(this, ri);
    const st = this.state;
    if (st.tilt) {
      if (Date.now() - st.tiltStart < TIMING.tilt_period) return;
      st.tilt = false;
      this.event('warning', '-tilt', null, '#tilt mode exited');
    }
    checkSubjectivelyDown(this, ri);
    if ((ri.flags & F.MASTER) === 0) return;
    checkObjectivelyDown(this, ri);
    if (startFailoverIfNeeded(this, ri)) askMasterState(this, ri, true);
    failoverStateMachine(this, ri);
    askMasterState(this, ri, false);
  }

  tick(): void {
    this.checkTilt();
    let toSwitch: Instance | null = null;
    for (const m of [...this.state.masters.values()]) {
      this.handleInstance(m);
      for (const s of [...m.slaves.values()]) this.handleInstance(s);
      for (const s of [...m.sentinels.values()]) this.handleInstance(s);
      if (m.failoverState === FO.UPDATE_CONFIG) toSwitch = m;
    }
    if (toSwitch !== null) switchToPromoted(this, toSwitch);
  }
}
