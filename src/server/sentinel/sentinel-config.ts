/**
 * Sentinel's `sentinel …` directives (Redis sentinelHandleConfiguration) and the lines that
 * persist its state (Redis rewriteConfigSentinelOption): myid, epochs, every master with its
 * options, known replicas and Sentinels. The config file is rewritten through the node's CONFIG
 * REWRITE (config-rewrite.ts), which owns every other line.
 *
 * Directives naming an unknown master fail the start, as in Redis ("No such master with specified
 * name."); a directive is applied in file order, so `monitor` must come before its options.
 */

import { reprString } from '../util/repr.js';
import { F, TIMING, type Instance, type SentinelState } from './state.js';

/** What applying a directive may need from the Sentinel: creating masters and their instances. */
export interface ConfigTarget {
  readonly state: SentinelState;
  createMaster(name: string, host: string, port: number, quorum: number): string | null;
  addKnown(m: Instance, flags: number, name: string, host: string, port: number, runid: string | null): void;
}

const NO_MASTER = 'No such master with specified name.';
const PER_MASTER = new Set([
  'down-after-milliseconds',
  'failover-timeout',
  'parallel-syncs',
  'master-reboot-down-after-period',
  'notification-script',
  'client-reconfig-script',
  'auth-pass',
  'auth-user',
  'config-epoch',
  'leader-epoch',
  'known-slave',
  'known-replica',
  'known-sentinel',
  'rename-command',
]);

function int(v: string | undefined): number | null {
  if (v === undefined || !/^-?\d+$/.test(v)) return null;
  return Number(v);
}

/** Applies one directive's arguments; returns an error text, or null. */
export function applyDirective(t: ConfigTarget, argv: readonly string[]): string | null {
  const st = t.state;
  const name = (argv[0] ?? '').toLowerCase();
  const a = argv.slice(1);
  const global = applyGlobal(st, name, a);
  if (global !== undefined) return global;
  if (name === 'monitor') {
    const port = int(a[2]);
    const quorum = int(a[3]);
    if (a.length !== 4 || port === null || quorum === null) return 'Wrong number of arguments for sentinel monitor';
    if (quorum <= 0) return 'Quorum must be 1 or greater.';
    return t.createMaster(a[0]!, a[1]!, port, quorum);
  }
  if (!PER_MASTER.has(name)) return 'Unrecognized sentinel configuration statement.';
  const m = st.masters.get(a[0] ?? '');
  if (m === undefined) return NO_MASTER;
  const v = a[1];
  const n = int(v);
  switch (name) {
    case 'down-after-milliseconds':
      if (n === null || n <= 0) return 'negative or zero time parameter.';
      m.downAfter = n;
      for (const s of [...m.slaves.values(), ...m.sentinels.values()]) s.downAfter = n;
      return null;
    case 'failover-timeout':
      if (n === null || n <= 0) return 'negative or zero time parameter.';
      m.failoverTimeout = n;
      return null;
    case 'parallel-syncs':
      if (n === null) return 'Wrong parallel-syncs value';
      m.parallelSyncs = n;
      return null;
    case 'master-reboot-down-after-period':
      if (n === null || n < 0) return 'negative time parameter.';
      m.masterRebootDownAfter = n;
      return null;
    case 'notification-script':
      m.notificationScript = v ?? null;
      return null;
    case 'client-reconfig-script':
      m.clientReconfigScript = v ?? null;
      return null;
    case 'auth-pass':
      m.authPass = v ?? null;
      return null;
    case 'auth-user':
      m.authUser = v ?? null;
      return null;
    case 'config-epoch':
      m.configEpoch = n ?? 0;
      if (m.configEpoch > st.currentEpoch) st.currentEpoch = m.configEpoch;
      return null;
    case 'leader-epoch':
      m.leaderEpoch = n ?? 0;
      return null;
    case 'known-slave':
    case 'known-replica':
    case 'known-sentinel': {
      const port = int(a[2]);
      if (v === undefined || port === null) return 'Wrong number of arguments';
      const flags = name === 'known-sentinel' ? F.SENTINEL : F.SLAVE;
      t.addKnown(m, flags, flags === F.SENTINEL ? (a[3] ?? `${v}:${port}`) : `${v}:${port}`, v, port, a[3] ?? null);
      return null;
    }
    default:
      // rename-command <master> <command> <new-name>
      if (a.length !== 3) return 'Wrong number of arguments';
      m.renamed.set(a[1]!.toLowerCase(), a[2]!);
      return null;
  }
}

/** Directives that are not about one master; undefined when `name` is not one of them. */
function applyGlobal(st: SentinelState, name: string, a: readonly string[]): string | null | undefined {
  const v = a[0] ?? '';
  switch (name) {
    case 'myid':
      if (v.length !== 40) return 'Malformed Sentinel id in myid option.';
      st.myid = v.toLowerCase();
      return null;
    case 'current-epoch':
      st.currentEpoch = Math.max(st.currentEpoch, Number(v) || 0);
      return null;
    case 'announce-ip':
      st.announceIp = v;
      return null;
    case 'announce-port':
      st.announcePort = Number(v) || 0;
      return null;
    case 'deny-scripts-reconfig':
      st.denyScriptsReconfig = v.toLowerCase() === 'yes';
      return null;
    case 'resolve-hostnames':
      st.resolveHostnames = v.toLowerCase() === 'yes';
      return null;
    case 'announce-hostnames':
      st.announceHostnames = v.toLowerCase() === 'yes';
      return null;
    case 'sentinel-user':
      st.authUser = v === '' ? null : v;
      return null;
    case 'sentinel-pass':
      st.authPass = v === '' ? null : v;
      return null;
    default:
      return undefined;
  }
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

function masterLines(m: Instance): string[] {
  const n = m.name;
  const out = [`sentinel monitor ${n} ${m.addr.host} ${m.addr.port} ${m.quorum}`];
  if (m.downAfter !== TIMING.default_down_after) out.push(`sentinel down-after-milliseconds ${n} ${m.downAfter}`);
  if (m.failoverTimeout !== TIMING.default_failover_timeout) out.push(`sentinel failover-timeout ${n} ${m.failoverTimeout}`);
  if (m.parallelSyncs !== 1) out.push(`sentinel parallel-syncs ${n} ${m.parallelSyncs}`);
  if (m.notificationScript !== null) out.push(`sentinel notification-script ${n} ${m.notificationScript}`);
  if (m.clientReconfigScript !== null) out.push(`sentinel client-reconfig-script ${n} ${m.clientReconfigScript}`);
  if (m.authPass !== null) out.push(`sentinel auth-pass ${n} ${reprString(m.authPass)}`);
  if (m.authUser !== null) out.push(`sentinel auth-user ${n} ${reprString(m.authUser)}`);
  if (m.masterRebootDownAfter !== 0) out.push(`sentinel master-reboot-down-after-period ${n} ${m.masterRebootDownAfter}`);
  out.push(`sentinel config-epoch ${n} ${m.configEpoch}`, `sentinel leader-epoch ${n} ${m.leaderEpoch}`);
  for (const s of m.slaves.values()) {
    // During a failover the promoted replica may already be announced as the master.
    const a = s.addr.host === m.addr.host && s.addr.port === m.addr.port ? m.addr : s.addr;
    out.push(`sentinel known-replica ${n} ${a.host} ${a.port}`);
  }
  for (const s of m.sentinels.values()) {
    if (s.runid !== null) out.push(`sentinel known-sentinel ${n} ${s.addr.host} ${s.addr.port} ${s.runid}`);
  }
  for (const [from, to] of m.renamed) out.push(`sentinel rename-command ${n} ${from} ${to}`);
  return out;
}

/** Every `sentinel …` line of the rewritten config file, in Redis's order. */
export function stateLines(st: SentinelState): string[] {
  const out = [
    `sentinel myid ${st.myid}`,
    `sentinel deny-scripts-reconfig ${yesNo(st.denyScriptsReconfig)}`,
    `sentinel resolve-hostnames ${yesNo(st.resolveHostnames)}`,
    `sentinel announce-hostnames ${yesNo(st.announceHostnames)}`,
  ];
  for (const m of st.masters.values()) out.push(...masterLines(m));
  out.push(`sentinel current-epoch ${st.currentEpoch}`);
  if (st.announceIp !== '') out.push(`sentinel announce-ip ${reprString(st.announceIp)}`);
  if (st.announcePort !== 0) out.push(`sentinel announce-port ${st.announcePort}`);
  if (st.authUser !== null) out.push(`sentinel sentinel-user ${reprString(st.authUser)}`);
  if (st.authPass !== null) out.push(`sentinel sentinel-pass ${reprString(st.authPass)}`);
  return out;
}
