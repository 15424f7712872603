/**
 * The SENTINEL command's subcommands (Redis sentinelCommand, sentinelSetCommand,
 * sentinelConfig{Get,Set}Command), with Redis 7.0's reply shapes and error texts. Arity was
 * checked by the dispatcher from the command table (commands/table/sentinel.ts).
 */

import { ExtKey, getExt, type ClientContext, type HandlerTable } from '../dispatch/context.js';
import { globMatch } from '../util/glob.js';
import { voteLeader } from './agreement.js';
import { abortFailover, selectSlave, startFailover } from './failover.js';
import { currentMasterAddr } from './hello.js';
import { replyInstance, replyInstances } from './instance-reply.js';
import { applyDirective } from './sentinel-config.js';
import type { Sentinel } from './sentinel.js';
import { F, TIMING, type Instance } from './state.js';

export const SENTINEL = new ExtKey<Sentinel>('sentinel');

function sentinelOf(c: ClientContext): Sentinel {
  return getExt(c.server.ext, SENTINEL)!;
}

function masterOrError(c: ClientContext, name: string): Instance | null {
  const m = sentinelOf(c).state.masters.get(name);
  if (m === undefined) c.reply.error('ERR No such master with that name');
  return m ?? null;
}

function flushAndReply(c: ClientContext): void {
  sentinelOf(c).flushConfig();
  c.reply.ok();
}

function ckquorum(c: ClientContext, m: Instance): void {
  let usable = 1;
  for (const s of m.sentinels.values()) if (!(s.flags & (F.S_DOWN | F.O_DOWN)) && s.link !== null && !s.link.disconnected) usable++;
  const voters = m.sentinels.size + 1;
  const noQuorum = usable < m.quorum;
  const noAuth = usable < Math.floor(voters / 2) + 1;
  if (!noQuorum && !noAuth) return c.reply.simple(`OK ${usable} usable Sentinels. Quorum and failover authorization can be reached`);
  let e = `NOQUORUM ${usable} usable Sentinels. `;
  if (noQuorum) e += 'Not enough available Sentinels to reach the specified quorum for this master';
  if (noAuth) e += `${noQuorum ? '. ' : ''}Not enough available Sentinels to reach the majority and authorize a failover`;
  c.reply.error(e);
}

const SET_OPTIONS = new Set([
  'down-after-milliseconds',
  'failover-timeout',
  'parallel-syncs',
  'notification-script',
  'client-reconfig-script',
  'auth-pass',
  'auth-user',
  'master-reboot-down-after-period',
]);

function setCommand(c: ClientContext, argv: string[]): void {
  const s = sentinelOf(c);
  const m = masterOrError(c, argv[2]!);
  if (m === null) return;
  const pairs: [string, string[]][] = [];
  for (let i = 3; i < argv.length; ) {
    const opt = argv[i]!.toLowerCase();
    const n = opt === 'rename-command' ? 2 : 1;
    if (i + n >= argv.length || !(SET_OPTIONS.has(opt) || opt === 'quorum' || opt === 'rename-command')) {
      return c.reply.error(`ERR Unknown option or number of arguments for SENTINEL SET '${argv[i]}'`);
    }
    if ((opt === 'notification-script' || opt === 'client-reconfig-script') && s.state.denyScriptsReconfig) {
      return c.reply.error('ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration');
    }
    pairs.push([opt, argv.slice(i + 1, i + 1 + n)]);
    i += 1 + n;
  }
  for (const [opt, vals] of pairs) {
    if (opt === 'quorum') {
      const q = Number(vals[0]);
      if (!Number.isInteger(q) || q <= 0) return c.reply.error(`ERR Invalid argument '${vals[0]}' for SENTINEL SET '${opt}'`);
      m.quorum = q;
    } else {
      const err = applyDirective(s, [opt, m.name, ...vals]);
      if (err !== null) return c.reply.error(`ERR Invalid argument '${vals[0]}' for SENTINEL SET '${opt}'`);
    }
    s.event('warning', '+set', m, `${opt} ${vals.join(' ')}`);
  }
  flushAndReply(c);
}

const CONFIG_PARAMS = ['resolve-hostnames', 'announce-hostnames', 'announce-ip', 'announce-port', 'sentinel-user', 'sentinel-pass'];

function configValue(s: Sentinel, name: string): string {
  const st = s.state;
  switch (name) {
    case 'resolve-hostnames':
      return st.resolveHostnames ? 'yes' : 'no';
    case 'announce-hostnames':
      return st.announceHostnames ? 'yes' : 'no';
    case 'announce-ip':
      return st.announceIp;
    case 'announce-port':
      return String(st.announcePort);
    case 'sentinel-user':
      return st.authUser ?? '';
    default:
      return st.authPass ?? '';
  }
}

function config(c: ClientContext, argv: string[]): void {
  const s = sentinelOf(c);
  const sub = argv[2]!.toLowerCase();
  if (sub === 'get' && argv.length === 4) {
    const names = CONFIG_PARAMS.filter((n) => globMatch(argv[3]!.toLowerCase(), n));
    c.reply.map(names.length);
    for (const n of names) {
      c.reply.bulk(n);
      c.reply.bulk(configValue(s, n));
    }
    return;
  }
  if (sub === 'set' && argv.length === 5) {
    const name = argv[3]!.toLowerCase();
    const v = argv[4]!;
    const yn = v.toLowerCase() === 'yes' || v.toLowerCase() === 'no';
    if (!CONFIG_PARAMS.includes(name)) return c.reply.error(`ERR Invalid argument '${argv[3]}' to SENTINEL CONFIG SET`);
    if ((name.endsWith('hostnames') && !yn) || (name === 'announce-port' && !/^\d+$/.test(v))) {
      return c.reply.error(`ERR Invalid value '${v}' to SENTINEL CONFIG SET '${argv[3]}'`);
    }
    applyDirective(s, [name, v]);
    return flushAndReply(c);
  }
  c.reply.error('ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.');
}

function isMasterDownByAddr(c: ClientContext, argv: string[]): void {
  const s = sentinelOf(c);
  const port = Number(argv[3]);
  const epoch = Number(argv[4]);
  if (!Number.isInteger(port) || !Number.isInteger(epoch)) return c.reply.error('ERR value is not an integer or out of range');
  let m: Instance | undefined;
  for (const x of s.state.masters.values()) if (x.addr.host === argv[2] && x.addr.port === port) m = x;
  const down = !s.state.tilt && m !== undefined && (m.flags & F.S_DOWN) !== 0;
  let vote: { leader: string | null; epoch: number } = { leader: null, epoch: 0 };
  if (m !== undefined && argv[5] !== '*') vote = voteLeader(s, m, epoch, argv[5]!);
  c.reply.array(3);
  c.reply.integer(down ? 1 : 0);
  c.reply.bulk(vote.leader ?? '*');
  c.reply.integer(vote.epoch);
}

function infoCache(c: ClientContext, argv: string[]): void {
  const all = sentinelOf(c).state.masters;
  const list = argv.length > 2 ? argv.slice(2).flatMap((n) => (all.has(n) ? [all.get(n)!] : [])) : [...all.values()];
  const now = Date.now();
  c.reply.array(list.length * 2);
  for (const m of list) {
    c.reply.bulk(m.name);
    c.reply.array(m.slaves.size + 1);
    for (const ri of [m, ...m.slaves.values()]) {
      c.reply.array(2);
      c.reply.integer(ri.infoRefresh === 0 ? 0 : now - ri.infoRefresh);
      c.reply.bulkOrNull(ri.info === '' ? null : ri.info);
    }
  }
}

function reset(c: ClientContext, pattern: string): void {
  const s = sentinelOf(c);
  let n = 0;
  for (const m of s.state.masters.values()) {
    if (!globMatch(pattern, m.name)) continue;
    if (m.flags & F.FAILOVER_IN_PROGRESS && m.failoverState <= 4) abortFailover(m);
    s.resetMaster(m, false);
    n++;
  }
  if (n > 0) s.flushConfig();
  c.reply.integer(n);
}

function monitor(c: ClientContext, argv: string[]): void {
  const s = sentinelOf(c);
  const quorum = Number(argv[5]);
  const port = Number(argv[4]);
  if (!/^-?\d+$/.test(argv[5]!)) return c.reply.error('ERR Invalid quorum');
  if (!/^-?\d+$/.test(argv[4]!)) return c.reply.error('ERR Invalid port');
  if (quorum <= 0) return c.reply.error('ERR Quorum must be 1 or greater.');
  const err = s.createMaster(argv[2]!, argv[3]!, port, quorum);
  if (err !== null) {
    return c.reply.error(err === "Can't resolve instance hostname." ? 'ERR Invalid IP address or hostname specified' : `ERR ${err}`);
  }
  flushAndReply(c);
  s.event('warning', '+monitor', s.state.masters.get(argv[2]!)!, `quorum ${quorum}`);
}

export const SENTINEL_HANDLERS: HandlerTable = {
  'sentinel|masters': (c) => replyInstances(c.reply, [...sentinelOf(c).state.masters.values()]),
  'sentinel|master'(c, argv) {
    const m = masterOrError(c, argv[2]!);
    if (m !== null) replyInstance(c.reply, m, Date.now());
  },
  'sentinel|replicas'(c, argv) {
    const m = masterOrError(c, argv[2]!);
    if (m !== null) replyInstances(c.reply, [...m.slaves.values()].filter((s) => s.replicaAnnounced !== 0));
  },
  'sentinel|slaves'(c, argv) {
    SENTINEL_HANDLERS['sentinel|replicas']!(c, argv);
  },
  'sentinel|sentinels'(c, argv) {
    const m = masterOrError(c, argv[2]!);
    if (m !== null) replyInstances(c.reply, [...m.sentinels.values()]);
  },
  'sentinel|myid': (c) => c.reply.bulk(sentinelOf(c).state.myid),
  'sentinel|get-master-addr-by-name'(c, argv) {
    const m = sentinelOf(c).state.masters.get(argv[2]!);
    if (m === undefined) return c.reply.nullArray();
    const a = currentMasterAddr(m);
    c.reply.array(2);
    c.reply.bulk(a.host);
    c.reply.bulk(String(a.port));
  },
  'sentinel|is-master-down-by-addr': isMasterDownByAddr,
  'sentinel|reset': (c, argv) => reset(c, argv[2]!),
  'sentinel|failover'(c, argv) {
    const m = masterOrError(c, argv[2]!);
    if (m === null) return;
    if (m.flags & F.FAILOVER_IN_PROGRESS) return c.reply.error('INPROG Failover already in progress');
    if (selectSlave(m) === null) return c.reply.error('NOGOODSLAVE No suitable replica to promote');
    sentinelOf(c).log.warning(`Executing user requested FAILOVER of '${m.name}'`);
    startFailover(sentinelOf(c), m);
    m.flags |= F.FORCE_FAILOVER;
    c.reply.ok();
  },
  'sentinel|pending-scripts': (c) => c.reply.array(0),
  'sentinel|monitor': monitor,
  'sentinel|flushconfig': flushAndReply,
  'sentinel|remove'(c, argv) {
    const m = masterOrError(c, argv[2]!);
    if (m === null) return;
    sentinelOf(c).event('warning', '-monitor', m);
    sentinelOf(c).removeMaster(m.name);
    flushAndReply(c);
  },
  'sentinel|ckquorum'(c, argv) {
    const m = masterOrError(c, argv[2]!);
    if (m !== null) ckquorum(c, m);
  },
  'sentinel|set': setCommand,
  'sentinel|config': config,
  'sentinel|info-cache': infoCache,
  'sentinel|simulate-failure'(c, argv) {
    const st = sentinelOf(c).state;
    st.simCrashAfterElection = false;
    st.simCrashAfterPromotion = false;
    for (const a of argv.slice(2)) {
      const w = a.toLowerCase();
      if (w === 'crash-after-election') st.simCrashAfterElection = true;
      else if (w === 'crash-after-promotion') st.simCrashAfterPromotion = true;
      else if (w === 'help') return c.reply.bulkArray(['crash-after-election', 'crash-after-promotion']);
      else return c.reply.error('ERR Unknown failure simulation specified');
    }
    c.reply.ok();
  },
  'sentinel|debug'(c, argv) {
    const names = Object.keys(TIMING) as (keyof typeof TIMING)[];
    if (argv.length === 2) {
      c.reply.map(names.length);
      for (const n of names) {
        c.reply.bulk(n.replace(/_/g, '-').toUpperCase());
        c.reply.bulk(String(TIMING[n]));
      }
      return;
    }
    for (let i = 2; i + 1 < argv.length; i += 2) {
      const key = argv[i]!.toLowerCase().replace(/-/g, '_') as keyof typeof TIMING;
      const v = Number(argv[i + 1]);
      if (!(key in TIMING) || !Number.isInteger(v) || v <= 0) return c.reply.error(`ERR Invalid argument '${argv[i + 1]}' for SENTINEL DEBUG '${argv[i]}'`);
      TIMING[key] = v;
    }
    c.reply.ok();
  },
  'sentinel|help'(c) {
    c.reply.statusArray([
      'SENTINEL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      'CKQUORUM <master-name>', 'CONFIG SET <param> <value>', 'CONFIG GET <param>', 'DEBUG [<param> <value> ...]',
      'GET-MASTER-ADDR-BY-NAME <master-name>', 'FAILOVER <master-name>', 'FLUSHCONFIG', 'INFO-CACHE <master-name>',
      'IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>', 'MASTER <master-name>', 'MASTERS',
      'MONITOR <name> <ip> <port> <quorum>', 'MYID', 'PENDING-SCRIPTS', 'REMOVE <master-name>', 'REPLICAS <master-name>',
      'RESET <pattern>', 'SENTINELS <master-name>', 'SET <master-name> <option> <value> [<option> <value> ...]',
      'SIMULATE-FAILURE [CRASH-AFTER-ELECTION] [CRASH-AFTER-PROMOTION] [HELP]', 'HELP',
    ]);
  },
};
