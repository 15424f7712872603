/**
 * The failover (Redis sentinelStartFailoverIfNeeded … sentinelFailoverSwitchToPromotedSlave):
 *
 *   wait-start (election, random 0–1 s start delay) → select-slave → send-slaveof-noone →
 *   wait-promotion (seen in INFO, info-refresh.ts) → reconf-slaves (parallel-syncs at a time)
 *   → update-config (+switch-master, the master entry now points at the promoted replica).
 *
 * A failover starts only on ODOWN, with none in progress and 2 × failover-timeout since the last
 * start; it bumps the current epoch. It can be aborted only up to wait-promotion; reconf-slaves
 * ends by timeout at worst (+failover-end-for-timeout, best-effort SLAVEOF to the rest).
 * Replica choice: eligible (not down, connected, recent PING and INFO, priority ≠ 0, link to the
 * old master not down for too long), then lowest priority, highest offset, smallest runid.
 */

import { getLeader } from './agreement.js';
import type { SentinelHost } from './host.js';
import { crash } from './info-refresh.js';
import { sendSlaveOf } from './slaveof.js';
import { F, FO, TIMING, type Instance } from './state.js';

export function startFailover(host: SentinelHost, m: Instance): void {
  const now = Date.now();
  m.failoverState = FO.WAIT_START;
  m.flags |= F.FAILOVER_IN_PROGRESS;
  m.failoverEpoch = ++host.state.currentEpoch;
  host.event('warning', '+new-epoch', null, String(host.state.currentEpoch));
  host.event('warning', '+try-failover', m);
  m.failoverStartTime = now + Math.floor(Math.random() * TIMING.max_desync);
  m.failoverStateChangeTime = now;
}

export function startFailoverIfNeeded(host: SentinelHost, m: Instance): boolean {
  if ((m.flags & F.O_DOWN) === 0 || m.flags & F.FAILOVER_IN_PROGRESS) return false;
  if (Date.now() - m.failoverStartTime < m.failoverTimeout * 2) {
    if (m.failoverDelayLogged !== m.failoverStartTime) {
      m.failoverDelayLogged = m.failoverStartTime;
      host.log.warning(`Next failover delay: I will not start a failover before ${new Date(m.failoverStartTime + m.failoverTimeout * 2).toUTCString()}`);
    }
    return false;
  }
  startFailover(host, m);
  return true;
}

/** Promotion order: lower priority, then higher offset, then smaller runid (none last). */
export function comparePromotion(a: Instance, b: Instance): number {
  if (a.slavePriority !== b.slavePriority) return a.slavePriority - b.slavePriority;
  if (a.slaveReplOffset !== b.slaveReplOffset) return b.slaveReplOffset - a.slaveReplOffset;
  if (a.runid === null || b.runid === null) return a.runid === b.runid ? 0 : a.runid === null ? 1 : -1;
  const x = a.runid.toLowerCase();
  const y = b.runid.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The replica to promote, or null (Redis sentinelSelectSlave). */
export function selectSlave(m: Instance): Instance | null {
  const now = Date.now();
  const maxMasterDown = (m.flags & F.S_DOWN ? now - m.sDownSince : 0) + m.downAfter * 10;
  const infoValidity = m.flags & F.S_DOWN ? TIMING.ping_period * 5 : TIMING.info_period * 3;
  const ok: Instance[] = [];
  for (const s of m.slaves.values()) {
    if (s.flags & (F.S_DOWN | F.O_DOWN)) continue;
    if (s.link === null || s.link.disconnected) continue;
    if (now - s.link.lastAvailTime > TIMING.ping_period * 5) continue;
    if (s.slavePriority === 0) continue;
    if (now - s.infoRefresh > infoValidity) continue;
    if (s.masterLinkDownTime > maxMasterDown) continue;
    ok.push(s);
  }
  ok.sort(comparePromotion);
  return ok[0] ?? null;
}

export function abortFailover(m: Instance): void {
  m.flags &= ~(F.FAILOVER_IN_PROGRESS | F.FORCE_FAILOVER);
  m.failoverState = FO.NONE;
  m.failoverStateChangeTime = Date.now();
  if (m.promoted !== null) {
    m.promoted.flags &= ~F.PROMOTED;
    m.promoted = null;
  }
}

function waitStart(host: SentinelHost, m: Instance): void {
  const leader = getLeader(host, m, m.failoverEpoch);
  const isLeader = leader !== null && leader.toLowerCase() === host.state.myid;
  if (!isLeader && (m.flags & F.FORCE_FAILOVER) === 0) {
    const electionTimeout = Math.min(TIMING.election_timeout, m.failoverTimeout);
    if (Date.now() - m.failoverStartTime > electionTimeout) {
      host.event('warning', '-failover-abort-not-elected', m);
      abortFailover(m);
    }
    return;
  }
  host.event('warning', '+elected-leader', m);
  if (host.state.simCrashAfterElection) crash(host);
  m.failoverState = FO.SELECT_SLAVE;
  m.failoverStateChangeTime = Date.now();
  host.event('warning', '+failover-state-select-slave', m);
}

function selectState(host: SentinelHost, m: Instance): void {
  const s = selectSlave(m);
  if (s === null) {
    host.event('warning', '-failover-abort-no-good-slave', m);
    abortFailover(m);
    return;
  }
  host.event('warning', '+selected-slave', s);
  s.flags |= F.PROMOTED;
  m.promoted = s;
  m.failoverState = FO.SEND_SLAVEOF_NOONE;
  m.failoverStateChangeTime = Date.now();
  host.event('notice', '+failover-state-send-slaveof-noone', s);
}

function sendNoOne(host: SentinelHost, m: Instance): void {
  const p = m.promoted!;
  if (p.link === null || p.link.disconnected) {
    if (Date.now() - m.failoverStateChangeTime > m.failoverTimeout) {
      host.event('warning', '-failover-abort-slave-timeout', m);
      abortFailover(m);
    }
    return;
  }
  if (!sendSlaveOf(host, p, null)) return;
  host.event('notice', '+failover-state-wait-promotion', p);
  m.failoverState = FO.WAIT_PROMOTION;
  m.failoverStateChangeTime = Date.now();
}

function detectEnd(host: SentinelHost, m: Instance): void {
  const p = m.promoted;
  if (p === null || p.flags & F.S_DOWN) return;
  let notDone = 0;
  for (const s of m.slaves.values()) {
    if (s.flags & (F.PROMOTED | F.RECONF_DONE) || s.flags & F.S_DOWN) continue;
    notDone++;
  }
  const timeout = Date.now() - m.failoverStateChangeTime > m.failoverTimeout;
  if (timeout) {
    notDone = 0;
    host.event('warning', '+failover-end-for-timeout', m);
  }
  if (notDone === 0) {
    host.event('warning', '+failover-end', m);
    m.failoverState = FO.UPDATE_CONFIG;
    m.failoverStateChangeTime = Date.now();
  }
  if (!timeout) return;
  for (const s of m.slaves.values()) {
    if (s.flags & (F.PROMOTED | F.RECONF_DONE | F.RECONF_SENT)) continue;
    if (s.link === null || s.link.disconnected) continue;
    if (sendSlaveOf(host, s, p.addr)) {
      host.event('notice', '+slave-reconf-sent-be', s);
      s.flags |= F.RECONF_SENT;
    }
  }
}

function reconfNext(host: SentinelHost, m: Instance): void {
  const p = m.promoted!;
  let inProgress = 0;
  for (const s of m.slaves.values()) if (s.flags & (F.RECONF_SENT | F.RECONF_INPROG)) inProgress++;
  const now = Date.now();
  for (const s of m.slaves.values()) {
    if (inProgress >= m.parallelSyncs) break;
    if (s.flags & (F.PROMOTED | F.RECONF_DONE)) continue;
    if (s.flags & F.RECONF_SENT && now - s.slaveReconfSentTime > TIMING.slave_reconf_timeout) {
      host.event('notice', '-slave-reconf-sent-timeout', s);
      s.flags = (s.flags & ~F.RECONF_SENT) | F.RECONF_DONE;
    }
    if (s.flags & (F.RECONF_SENT | F.RECONF_INPROG)) continue;
    if (s.link === null || s.link.disconnected) continue;
    if (sendSlaveOf(host, s, p.addr)) {
      s.flags |= F.RECONF_SENT;
      s.slaveReconfSentTime = now;
      host.event('notice', '+slave-reconf-sent', s);
      inProgress++;
    }
  }
  detectEnd(host, m);
}

export function failoverStateMachine(host: SentinelHost, m: Instance): void {
  if ((m.flags & F.FAILOVER_IN_PROGRESS) === 0) return;
  switch (m.failoverState) {
    case FO.WAIT_START:
      return waitStart(host, m);
    case FO.SELECT_SLAVE:
      return selectState(host, m);
    case FO.SEND_SLAVEOF_NOONE:
      return sendNoOne(host, m);
    case FO.WAIT_PROMOTION:
      if (Date.now() - m.failoverStateChangeTime > m.failoverTimeout) {
        host.event('warning', '-failover-abort-slave-timeout', m);
        abortFailover(m);
      }
      return;
    case FO.RECONF_SLAVES:
      return reconfNext(host, m);
  }
}

/** update-config: the master entry moves to the promoted replica (Redis sentinelFailoverSwitchToPromotedSlave). */
export function switchToPromoted(host: SentinelHost, m: Instance): void {
  const ref = m.promoted ?? m;
  host.event('warning', '+switch-master', null, `${m.name} ${m.addr.host} ${m.addr.port} ${ref.addr.host} ${ref.addr.port}`);
  host.resetMasterAndChangeAddress(m, ref.addr.host, ref.addr.port);
}
