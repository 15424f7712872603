/**
 * How SENTINEL masters / master / replicas / sentinels describe an instance (Redis
 * addReplySentinelRedisInstance): a map (flat array in RESP2) of bulk strings, fields in Redis's
 * order, optional ones only when they apply.
 */

import type { ReplyWriter } from '../../protocol/reply-writer.js';
import { F, FAILOVER_STATE_NAMES, type Instance } from './state.js';

const FLAG_NAMES: [number, string][] = [
  [F.S_DOWN, 's_down'],
  [F.O_DOWN, 'o_down'],
  [F.MASTER, 'master'],
  [F.SLAVE, 'slave'],
  [F.SENTINEL, 'sentinel'],
];
const LATE_FLAGS: [number, string][] = [
  [F.MASTER_DOWN, 'master_down'],
  [F.FAILOVER_IN_PROGRESS, 'failover_in_progress'],
  [F.PROMOTED, 'promoted'],
  [F.RECONF_SENT, 'reconf_sent'],
  [F.RECONF_INPROG, 'reconf_inprog'],
  [F.RECONF_DONE, 'reconf_done'],
  [F.FORCE_FAILOVER, 'force_failover'],
  [F.SCRIPT_KILL_SENT, 'script_kill_sent'],
];

export function flagsText(ri: Instance): string {
  const out: string[] = [];
  for (const [bit, name] of FLAG_NAMES) if (ri.flags & bit) out.push(name);
  if (ri.link === null || ri.link.disconnected) out.push('disconnected');
  for (const [bit, name] of LATE_FLAGS) if (ri.flags & bit) out.push(name);
  return out.join(',');
}

/** The field/value pairs of one instance. */
export function instanceFields(ri: Instance, now: number): [string, string][] {
  const link = ri.link;
  const f: [string, string | number][] = [
    ['name', ri.name],
    ['ip', ri.addr.host],
    ['port', ri.addr.port],
    ['runid', ri.runid ?? ''],
    ['flags', flagsText(ri)],
    ['link-pending-commands', link?.pendingCommands ?? 0],
    ['link-refcount', 1],
  ];
  if (ri.flags & F.FAILOVER_IN_PROGRESS) f.push(['failover-state', FAILOVER_STATE_NAMES[ri.failoverState] ?? 'unknown']);
  f.push(
    ['last-ping-sent', link !== null && link.actPingTime !== 0 ? now - link.actPingTime : 0],
    ['last-ok-ping-reply', link === null ? 0 : now - link.lastAvailTime],
    ['last-ping-reply', link === null ? 0 : now - link.lastPongTime],
  );
  if (ri.flags & F.S_DOWN) f.push(['s-down-time', now - ri.sDownSince]);
  if (ri.flags & F.O_DOWN) f.push(['o-down-time', now - ri.oDownSince]);
  f.push(['down-after-milliseconds', ri.downAfter]);
  if (ri.flags & (F.MASTER | F.SLAVE)) {
    f.push(
      ['info-refresh', ri.infoRefresh === 0 ? 0 : now - ri.infoRefresh],
      ['role-reported', ri.roleReported === F.MASTER ? 'master' : 'slave'],
      ['role-reported-time', now - ri.roleReportedTime],
    );
  }
  if (ri.flags & F.MASTER) {
    f.push(
      ['config-epoch', ri.configEpoch],
      ['num-slaves', ri.slaves.size],
      ['num-other-sentinels', ri.sentinels.size],
      ['quorum', ri.quorum],
      ['failover-timeout', ri.failoverTimeout],
      ['parallel-syncs', ri.parallelSyncs],
    );
    if (ri.notificationScript !== null) f.push(['notification-script', ri.notificationScript]);
    if (ri.clientReconfigScript !== null) f.push(['client-reconfig-script', ri.clientReconfigScript]);
  }
  if (ri.flags & F.SLAVE) {
    f.push(
      ['master-link-down-time', ri.masterLinkDownTime],
      ['master-link-status', ri.slaveMasterLinkUp ? 'ok' : 'err'],
      ['master-host', ri.slaveMasterHost ?? '?'],
      ['master-port', ri.slaveMasterPort],
      ['slave-priority', ri.slavePriority],
      ['slave-repl-offset', ri.slaveReplOffset],
      ['replica-announced', ri.replicaAnnounced],
    );
  }
  if (ri.flags & F.SENTINEL) {
    f.push(['last-hello-message', ri.lastHelloTime === 0 ? 0 : now - ri.lastHelloTime], ['voted-leader', ri.leader ?? '?'], [
      'voted-leader-epoch',
      ri.leaderEpoch,
    ]);
  }
  return f.map(([k, v]) => [k, String(v)]);
}

export function replyInstance(r: ReplyWriter, ri: Instance, now: number): void {
  const fields = instanceFields(ri, now);
  r.map(fields.length);
  for (const [k, v] of fields) {
    r.bulk(k);
    r.bulk(v);
  }
}

export function replyInstances(r: ReplyWriter, list: readonly Instance[]): void {
  const now = Date.now();
  r.array(list.length);
  for (const ri of list) replyInstance(r, ri, now);
}
