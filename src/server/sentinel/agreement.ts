/**
 * Failure detection and agreement (Redis sentinelCheckSubjectivelyDown, …ObjectivelyDown,
 * sentinelAskMasterStateToOtherSentinels, sentinelVoteLeader, sentinelGetLeader):
 *
 * - SDOWN: no valid PING reply for down-after ms (counted from the first unanswered PING, or from
 *   the last availability when the link is down); a master reporting `role:slave` for
 *   down-after + 2 INFO periods; a rebooted master past master-reboot-down-after-period.
 * - ODOWN (masters): SDOWN here, and 1 + the Sentinels whose latest is-master-down-by-addr reply
 *   (at most 5 s old) said 1, ≥ quorum. A weak quorum, as Redis's.
 * - Votes: one per epoch; the leader needs a majority of every Sentinel ever seen plus us, and at
 *   least the quorum.
 */

import { ReplyError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import type { SentinelHost } from './host.js';
import { F, FO, TIMING, type Instance } from './state.js';

export function checkSubjectivelyDown(host: SentinelHost, ri: Instance): void {
  const link = ri.link;
  if (link === null) return;
  const now = Date.now();
  let elapsed = 0;
  if (link.actPingTime !== 0) elapsed = now - link.actPingTime;
  else if (link.disconnected) elapsed = now - link.lastAvailTime;
  // Link hygiene: a command link with a PING pending for half the timeout is re-created, and so
  // is a pub/sub link silent for 3 hello periods (both only after the minimum link age).
  if (
    link.cmdAge > TIMING.min_link_reconnect_period &&
    link.actPingTime !== 0 &&
    now - link.actPingTime > ri.downAfter / 2 &&
    now - link.lastPongTime > ri.downAfter / 2
  ) {
    link.dropCmd();
  }
  if (link.pcConnTime !== 0 && now - link.pcConnTime > TIMING.min_link_reconnect_period && now - link.pcLastActivity > TIMING.publish_period * 3) {
    link.dropPubsub();
  }
  const down =
    elapsed > ri.downAfter ||
    (ri.flags & F.MASTER && ri.roleReported === F.SLAVE && now - ri.roleReportedTime > ri.downAfter + TIMING.info_period * 2) ||
    (ri.flags & F.MASTER_REBOOT && now - ri.masterRebootSince > ri.masterRebootDownAfter);
  if (down) {
    if ((ri.flags & F.S_DOWN) === 0) {
      host.event('warning', '+sdown', ri);
      ri.sDownSince = now;
      ri.flags |= F.S_DOWN;
    }
  } else if (ri.flags & F.S_DOWN) {
    host.event('warning', '-sdown', ri);
    ri.flags &= ~(F.S_DOWN | F.SCRIPT_KILL_SENT);
  }
}

export function checkObjectivelyDown(host: SentinelHost, m: Instance): void {
  let quorum = 0;
  let odown = false;
  if (m.flags & F.S_DOWN) {
    quorum = 1;
    for (const s of m.sentinels.values()) if (s.flags & F.MASTER_DOWN) quorum++;
    odown = quorum >= m.quorum;
  }
  if (odown) {
    if ((m.flags & F.O_DOWN) === 0) {
      host.event('warning', '+odown', m, `#quorum ${quorum}/${m.quorum}`);
      m.flags |= F.O_DOWN;
      m.oDownSince = Date.now();
    }
  } else if (m.flags & F.O_DOWN) {
    host.event('warning', '-odown', m);
    m.flags &= ~F.O_DOWN;
  }
}

function onIsMasterDownReply(s: Instance, r: RespValue): void {
  if (!Array.isArray(r) || r.length !== 3) return;
  const [down, leader, epoch] = r;
  if (typeof down !== 'number' || typeof leader !== 'string' || typeof epoch !== 'number' || r[0] instanceof ReplyError) return;
  s.lastMasterDownReplyTime = Date.now();
  if (down === 1) s.flags |= F.MASTER_DOWN;
  else s.flags &= ~F.MASTER_DOWN;
  if (leader !== '*') {
    s.leader = leader;
    s.leaderEpoch = epoch;
  }
}

/** Asks every connected Sentinel whether it sees the master down (and, in a failover, for its vote). */
export function askMasterState(host: SentinelHost, m: Instance, forced: boolean): void {
  const now = Date.now();
  for (const s of m.sentinels.values()) {
    if (now - s.lastMasterDownReplyTime > TIMING.ask_period * 5) {
      s.flags &= ~F.MASTER_DOWN;
      s.leader = null;
    }
    if ((m.flags & F.S_DOWN) === 0) continue;
    if (s.link === null || s.link.disconnected) continue;
    if (!forced && now - s.lastMasterDownReplyTime < TIMING.ask_period) continue;
    const runid = m.failoverState > FO.NONE ? host.state.myid : '*';
    s.link.send(
      [s.command('SENTINEL'), 'is-master-down-by-addr', m.addr.host, String(m.addr.port), String(host.state.currentEpoch), runid],
      (r) => onIsMasterDownReply(s, r),
    );
  }
}

/**
 * Votes for `runid` in `epoch` unless a vote for this epoch (or a later one) was already cast;
 * returns the vote on record and its epoch (Redis sentinelVoteLeader). The vote is persisted
 * before it is returned.
 */
export function voteLeader(host: SentinelHost, m: Instance, epoch: number, runid: string): { leader: string | null; epoch: number } {
  const st = host.state;
  if (epoch > st.currentEpoch) {
    st.currentEpoch = epoch;
    host.flushConfig();
    host.event('warning', '+new-epoch', null, String(epoch));
  }
  if (m.leaderEpoch < epoch && st.currentEpoch <= epoch) {
    m.leader = runid;
    m.leaderEpoch = st.currentEpoch;
    host.flushConfig();
    host.event('warning', '+vote-for-leader', null, `${runid} ${m.leaderEpoch}`);
    // Voted for someone else: do not start our own failover for a while.
    if (runid.toLowerCase() !== st.myid) m.failoverStartTime = Date.now() + Math.floor(Math.random() * TIMING.max_desync);
  }
  return { leader: m.leader, epoch: m.leaderEpoch };
}

/** The leader of `epoch` if one has a majority of the voters and the quorum (Redis sentinelGetLeader). */
export function getLeader(host: SentinelHost, m: Instance, epoch: number): string | null {
  const votes = new Map<string, number>();
  const voters = m.sentinels.size + 1;
  for (const s of m.sentinels.values()) {
    if (s.leader !== null && s.leaderEpoch === host.state.currentEpoch) votes.set(s.leader, (votes.get(s.leader) ?? 0) + 1);
  }
  let winner: string | null = null;
  let max = 0;
  for (const [id, n] of votes) {
    if (n > max) {
      max = n;
      winner = id;
    }
  }
  const mine = voteLeader(host, m, epoch, winner ?? host.state.myid);
  if (mine.leader !== null && mine.epoch === epoch) {
    const n = (votes.get(mine.leader) ?? 0) + 1;
    if (n > max) {
      max = n;
      winner = mine.leader;
    }
  }
  if (winner !== null && (max < Math.floor(voters / 2) + 1 || max < m.quorum)) return null;
  return winner;
}
