/**
 * INFO replies of masters and replicas (Redis sentinelRefreshInstanceInfo): the reading half
 * parses line prefixes only (run_id, slaveN, master_link_down_since_seconds, role and, after
 * `role:slave`, master_host/port, master_link_status, slave_priority, slave_repl_offset,
 * replica_announced); the acting half (not in TILT) follows role changes: a promoted replica
 * advances the failover, a replica that became master unexpectedly is converted back after 8 s
 * while its master looks sane, a replica pointing elsewhere is fixed after failover-timeout, and
 * replicas being reconfigured move reconf-sent → inprog → done.
 */

import type { SentinelHost } from './host.js';
import { sendSlaveOf } from './slaveof.js';
import { F, FO, TIMING, addrKey, sameHost, type Instance } from './state.js';

/** Redis sentinelMasterLooksSane. */
export function masterLooksSane(m: Instance, now: number): boolean {
  return (
    (m.flags & F.MASTER) !== 0 &&
    m.roleReported === F.MASTER &&
    (m.flags & (F.S_DOWN | F.O_DOWN)) === 0 &&
    now - m.infoRefresh < TIMING.info_period * 2
  );
}

/** `slaveN:ip=…,port=…` or the legacy `slaveN:<ip>,<port>,<state>`: the replica's address. */
function replicaLine(l: string): { host: string; port: number } | null {
  if (!/^slave\d/.test(l)) return null;
  let ip: string;
  let port: string;
  if (!l.includes('ip=')) {
    const parts = l.slice(l.indexOf(':') + 1).split(',');
    if (parts.length < 3) return null;
    ip = parts[0]!;
    port = parts[1]!;
  } else {
    const i = l.indexOf('ip=');
    const p = l.indexOf('port=');
    if (p < 0) return null;
    ip = l.slice(i + 3).split(',')[0]!;
    port = l.slice(p + 5).split(',')[0]!;
  }
  return { host: ip, port: parseInt(port, 10) || 0 };
}

/** The reading half; returns the reported role (F.MASTER, F.SLAVE or 0). */
function parseInfo(host: SentinelHost, ri: Instance, info: string, now: number): number {
  ri.info = info;
  ri.masterLinkDownTime = 0;
  let role = 0;
  for (const l of info.split('\r\n')) {
    if (l.length >= 47 && l.startsWith('run_id:')) {
      const id = l.slice(7, 47);
      if (ri.runid !== null && ri.runid !== id) {
        host.event('notice', '+reboot', ri);
        if (ri.flags & F.MASTER && ri.masterRebootDownAfter !== 0) {
          ri.flags |= F.MASTER_REBOOT;
          ri.masterRebootSince = now;
        }
      }
      ri.runid = id;
    }
    if (ri.flags & F.MASTER) {
      const r = replicaLine(l);
      if (r !== null && !ri.slaves.has(addrKey(r))) {
        const s = host.addInstance(ri, F.SLAVE, addrKey(r), r);
        host.event('notice', '+slave', s);
        host.flushConfig();
      }
    }
    if (l.startsWith('master_link_down_since_seconds:')) ri.masterLinkDownTime = (parseInt(l.slice(31), 10) || 0) * 1000;
    if (l.startsWith('role:master')) role = F.MASTER;
    else if (l.startsWith('role:slave')) role = F.SLAVE;
    if (role !== F.SLAVE) continue;
    if (l.startsWith('master_host:')) {
      const h = l.slice(12);
      if (ri.slaveMasterHost === null || !sameHost(h, ri.slaveMasterHost)) {
        ri.slaveMasterHost = h;
        ri.slaveConfChangeTime = now;
      }
    } else if (l.startsWith('master_port:')) {
      const p = parseInt(l.slice(12), 10) || 0;
      if (p !== ri.slaveMasterPort) {
        ri.slaveMasterPort = p;
        ri.slaveConfChangeTime = now;
      }
    } else if (l.startsWith('master_link_status:')) {
      ri.slaveMasterLinkUp = l.slice(19).toLowerCase() === 'up';
    } else if (l.startsWith('slave_priority:')) {
      ri.slavePriority = parseInt(l.slice(15), 10) || 0;
    } else if (l.startsWith('slave_repl_offset:')) {
      ri.slaveReplOffset = parseInt(l.slice(18), 10) || 0;
    } else if (l.startsWith('replica_announced:')) {
      ri.replicaAnnounced = parseInt(l.slice(18), 10) || 0;
    }
  }
  ri.infoRefresh = now;
  return role;
}

export function refreshInstanceInfo(host: SentinelHost, ri: Instance, info: string): void {
  const now = Date.now();
  const role = parseInfo(host, ri, info, now);
  if (role !== ri.roleReported) {
    ri.roleReportedTime = now;
    ri.roleReported = role;
    if (role === F.SLAVE) ri.slaveConfChangeTime = now;
    const coherent = (ri.flags & (F.MASTER | F.SLAVE)) === role;
    host.event('verbose', coherent ? '+role-change' : '-role-change', ri, `new reported role is ${role === F.MASTER ? 'master' : 'slave'}`);
  }
  if (host.state.tilt) return;
  const m = ri.master;
  if (m === null || (ri.flags & F.SLAVE) === 0) return;
  if (role === F.MASTER) slaveBecameMaster(host, ri, m, now);
  if (role !== F.SLAVE) return;
  // A replica replicating from a different address than its master's.
  if (ri.slaveMasterPort !== m.addr.port || ri.slaveMasterHost === null || !sameHost(ri.slaveMasterHost, m.addr.host)) {
    const wait = m.failoverTimeout;
    if (masterLooksSane(m, now) && ri.noDownFor(wait, now) && now - ri.slaveConfChangeTime > wait) {
      if (sendSlaveOf(host, ri, m.addr)) host.event('notice', '+fix-slave-config', ri);
    }
  }
  const p = m.promoted;
  if (ri.flags & F.RECONF_SENT && p !== null && ri.slaveMasterHost !== null && sameHost(ri.slaveMasterHost, p.addr.host) && ri.slaveMasterPort === p.addr.port) {
    ri.flags = (ri.flags & ~F.RECONF_SENT) | F.RECONF_INPROG;
    host.event('notice', '+slave-reconf-inprog', ri);
  }
  if (ri.flags & F.RECONF_INPROG && ri.slaveMasterLinkUp) {
    ri.flags = (ri.flags & ~F.RECONF_INPROG) | F.RECONF_DONE;
    host.event('notice', '+slave-reconf-done', ri);
  }
}

function slaveBecameMaster(host: SentinelHost, ri: Instance, m: Instance, now: number): void {
  if (ri.flags & F.PROMOTED && m.flags & F.FAILOVER_IN_PROGRESS && m.failoverState === FO.WAIT_PROMOTION) {
    // The promotion is seen: the failover epoch becomes the master's config epoch, which the
    // hellos now carry to the other Sentinels.
    m.configEpoch = m.failoverEpoch;
    m.failoverState = FO.RECONF_SLAVES;
    m.failoverStateChangeTime = now;
    host.flushConfig();
    host.event('warning', '+promoted-slave', ri);
    if (host.state.simCrashAfterPromotion) crash(host);
    host.event('warning', '+failover-state-reconf-slaves', m);
    forceHelloUpdate(m);
    return;
  }
  const wait = TIMING.publish_period * 4;
  if (!(ri.flags & F.PROMOTED) && masterLooksSane(m, now) && ri.noDownFor(wait, now) && now - ri.roleReportedTime > wait) {
    if (sendSlaveOf(host, ri, m.addr)) host.event('notice', '+convert-to-slave', ri);
  }
}

/** Makes every instance of `m` send its hello at the next tick (Redis sentinelForceHelloUpdateForMaster). */
export function forceHelloUpdate(m: Instance): void {
  m.lastPubTime = 0;
  for (const s of m.slaves.values()) s.lastPubTime = 0;
  for (const s of m.sentinels.values()) s.lastPubTime = 0;
}

/** SENTINEL simulate-failure crash-after-…: exit as Redis does (code 99). */
export function crash(host: SentinelHost): never {
  host.log.warning('Sentinel CRASH because of SENTINEL simulate-failure');
  process.exit(99);
}
