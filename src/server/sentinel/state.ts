/**
 * Sentinel's model of the world (Redis sentinel.c sentinelRedisInstance): one `Instance` per
 * monitored master, per replica of a master, and per other Sentinel watching a master, with the
 * flags, timers and INFO-derived fields the failure detector and the failover read.
 *
 * Invariants: a master's replicas are keyed by `ip:port`, its Sentinels by runid; a replica or a
 * Sentinel always points at its master; `link` is owned by its instance (closed when the instance
 * is dropped). Times are Date.now() milliseconds, 0 = never.
 */

import type { InstanceLink } from './link.js';

/** Instance flags (Redis SRI_*). */
export const F = {
  MASTER: 1 << 0,
  SLAVE: 1 << 1,
  SENTINEL: 1 << 2,
  S_DOWN: 1 << 3,
  O_DOWN: 1 << 4,
  MASTER_DOWN: 1 << 5,
  FAILOVER_IN_PROGRESS: 1 << 6,
  PROMOTED: 1 << 7,
  RECONF_SENT: 1 << 8,
  RECONF_INPROG: 1 << 9,
  RECONF_DONE: 1 << 10,
  FORCE_FAILOVER: 1 << 11,
  SCRIPT_KILL_SENT: 1 << 12,
  MASTER_REBOOT: 1 << 13,
} as const;

/** Failover states (Redis SENTINEL_FAILOVER_STATE_*), in order. */
export const FO = {
  NONE: 0,
  WAIT_START: 1,
  SELECT_SLAVE: 2,
  SEND_SLAVEOF_NOONE: 3,
  WAIT_PROMOTION: 4,
  RECONF_SLAVES: 5,
  UPDATE_CONFIG: 6,
} as const;

export const FAILOVER_STATE_NAMES = [
  'none',
  'wait_start',
  'select_slave',
  'send_slaveof_noone',
  'wait_promotion',
  'reconf_slaves',
  'update_config',
];

/** Timing constants of Redis 7.0 (ms); `sentinel debug` may change them. */
export const TIMING = {
  info_period: 10_000,
  ping_period: 1000,
  ask_period: 1000,
  publish_period: 2000,
  default_down_after: 30_000,
  tilt_trigger: 2000,
  tilt_period: 30_000,
  slave_reconf_timeout: 10_000,
  min_link_reconnect_period: 15_000,
  election_timeout: 10_000,
  default_failover_timeout: 180_000,
  max_desync: 1000,
  max_pending_commands: 100,
};

export interface Addr {
  host: string;
  port: number;
}

export class Instance {
  flags: number;
  /** `ip:port` for a replica, runid for a Sentinel, the master name for a master. */
  name: string;
  addr: Addr;
  runid: string | null = null;
  configEpoch = 0;
  readonly master: Instance | null;
  link: InstanceLink | null = null;

  // Failure detection.
  sDownSince = 0;
  oDownSince = 0;
  downAfter: number;
  masterRebootDownAfter = 0;
  masterRebootSince = 0;
  lastPubTime = 0;
  lastHelloTime = 0;
  lastMasterDownReplyTime = 0;

  // INFO-derived state.
  infoRefresh = 0;
  info = '';
  roleReported: number;
  roleReportedTime: number;
  slaveConfChangeTime = 0;
  masterLinkDownTime = 0;
  slavePriority = 100;
  replicaAnnounced = 1;
  slaveReconfSentTime = 0;
  slaveMasterHost: string | null = null;
  slaveMasterPort = 0;
  slaveMasterLinkUp = false;
  slaveReplOffset = 0;

  // Leader election (for a Sentinel: its reported vote; for a master: our vote).
  leader: string | null = null;
  leaderEpoch = 0;

  // Master only.
  readonly slaves = new Map<string, Instance>();
  readonly sentinels = new Map<string, Instance>();
  quorum: number;
  parallelSyncs = 1;
  failoverTimeout = TIMING.default_failover_timeout;
  authPass: string | null = null;
  authUser: string | null = null;
  failoverState: number = FO.NONE;
  failoverStateChangeTime = 0;
  failoverStartTime = 0;
  failoverEpoch = 0;
  failoverDelayLogged = 0;
  promoted: Instance | null = null;
  /** `sentinel rename-command <master> <cmd> <new>`: lower-case name → new name. */
  readonly renamed = new Map<string, string>();
  notificationScript: string | null = null;
  clientReconfigScript: string | null = null;

  constructor(flags: number, name: string, addr: Addr, quorum: number, master: Instance | null) {
    this.flags = flags;
    this.name = name;
    this.addr = addr;
    this.quorum = quorum;
    this.master = master;
    this.downAfter = master?.downAfter ?? TIMING.default_down_after;
    this.roleReported = flags & (F.MASTER | F.SLAVE);
    this.roleReportedTime = Date.now();
  }

  get isMaster(): boolean {
    return (this.flags & F.MASTER) !== 0;
  }

  /** The master this instance belongs to (itself for a master). */
  get owner(): Instance {
    return this.master ?? this;
  }

  /** The command name to send for `name` (rename-command of this instance's master). */
  command(name: string): string {
    return this.owner.renamed.get(name.toLowerCase()) ?? name;
  }

  /** Redis's "%@": `<type> <name> <ip> <port>[ @ <master> <ip> <port>]`. */
  details(): string {
    const type = this.flags & F.MASTER ? 'master' : this.flags & F.SLAVE ? 'slave' : 'sentinel';
    const own = `${type} ${this.name} ${this.addr.host} ${this.addr.port}`;
    if (this.master === null) return own;
    return `${own} @ ${this.master.name} ${this.master.addr.host} ${this.master.addr.port}`;
  }

  /** True when no SDOWN/ODOWN happened in the last `ms` (Redis sentinelRedisInstanceNoDownFor). */
  noDownFor(ms: number, now: number): boolean {
    const recent = Math.max(this.sDownSince, this.oDownSince);
    return recent === 0 || now - recent > ms;
  }
}

export function addrKey(a: Addr): string {
  return `${a.host}:${a.port}`;
}

/** Host comparison as Redis: case-insensitive (hostnames), exact for addresses. */
export function sameHost(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** What the whole Sentinel knows beyond its masters. */
export class SentinelState {
  myid = '';
  currentEpoch = 0;
  readonly masters = new Map<string, Instance>();
  tilt = false;
  tiltStart = 0;
  previousTime = Date.now();
  announceIp = '';
  announcePort = 0;
  resolveHostnames = false;
  announceHostnames = false;
  authPass: string | null = null;
  authUser: string | null = null;
  denyScriptsReconfig = true;
  /** simulate-failure: crash after election / after promotion. */
  simCrashAfterElection = false;
  simCrashAfterPromotion = false;
}
