/**
 * Sentinel's agreement rules on their own (no sockets): one vote per epoch, a higher requested
 * epoch is adopted, votes are persisted before they are returned; the leader needs a majority of
 * all Sentinels seen plus us and the quorum; ODOWN counts us plus the Sentinels that said down;
 * the promotion order of replicas; the config directives and the lines that persist them.
 */
import { describe, expect, it } from 'vitest';
import { checkObjectivelyDown, getLeader, voteLeader } from '../../../../src/server/sentinel/agreement.js';
import { comparePromotion } from '../../../../src/server/sentinel/failover.js';
import type { SentinelHost } from '../../../../src/server/sentinel/host.js';
import { applyDirective, stateLines, type ConfigTarget } from '../../../../src/server/sentinel/sentinel-config.js';
import { F, Instance, SentinelState, type Addr } from '../../../../src/server/sentinel/state.js';
import { Logger } from '../../../../src/server/util/log.js';

const ME = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);
const THIRD = 'c'.repeat(40);

function fakeHost(): SentinelHost & ConfigTarget & { events: string[]; flushes: number } {
  const state = new SentinelState();
  state.myid = ME;
  const log = new Logger();
  log.sink = () => {};
  const host = {
    state,
    log,
    port: 26379,
    events: [] as string[],
    flushes: 0,
    event(_l: string, type: string, ri: Instance | null, extra?: string) {
      host.events.push(`${type} ${ri === null ? (extra ?? '') : `${ri.details()}${extra === undefined ? '' : ` ${extra}`}`}`);
    },
    flushConfig() {
      host.flushes++;
    },
    addInstance(m: Instance, flags: number, name: string, addr: Addr) {
      const ri = new Instance(flags, name, addr, m.quorum, m);
      (flags & F.SENTINEL ? m.sentinels : m.slaves).set(name, ri);
      return ri;
    },
    dropInstance() {},
    resetMasterAndChangeAddress() {},
    resetMaster() {},
    createMaster(name: string, h: string, port: number, quorum: number) {
      state.masters.set(name, new Instance(F.MASTER, name, { host: h, port }, quorum, null));
      return null;
    },
    addKnown(m: Instance, flags: number, name: string, h: string, port: number, runid: string | null) {
      host.addInstance(m, flags, name, { host: h, port }).runid = runid;
    },
  };
  return host;
}

function master(host: ReturnType<typeof fakeHost>, quorum = 2, sentinels = 2): Instance {
  const m = new Instance(F.MASTER, 'm', { host: '127.0.0.1', port: 6379 }, quorum, null);
  host.state.masters.set('m', m);
  for (let i = 0; i < sentinels; i++) {
    const id = [OTHER, THIRD, 'd'.repeat(40), 'e'.repeat(40)][i]!;
    host.addInstance(m, F.SENTINEL, id, { host: '127.0.0.1', port: 26380 + i }).runid = id;
  }
  return m;
}

describe('votes', () => {
  it('casts one vote per epoch, adopts a higher epoch, persists before answering', () => {
    const host = fakeHost();
    const m = master(host);
    expect(voteLeader(host, m, 3, OTHER)).toEqual({ leader: OTHER, epoch: 3 });
    expect(host.state.currentEpoch).toBe(3);
    expect(host.flushes).toBe(2);
    expect(host.events).toEqual(['+new-epoch 3', `+vote-for-leader ${OTHER} 3`]);
    // Same epoch, another candidate: the recorded vote is returned.
    expect(voteLeader(host, m, 3, THIRD)).toEqual({ leader: OTHER, epoch: 3 });
    // An older epoch gets the vote on record too.
    expect(voteLeader(host, m, 2, THIRD)).toEqual({ leader: OTHER, epoch: 3 });
    expect(voteLeader(host, m, 4, THIRD)).toEqual({ leader: THIRD, epoch: 4 });
    // Having voted for someone else delays our own failover start.
    expect(m.failoverStartTime).toBeGreaterThan(0);
  });

  it('elects with a majority of all Sentinels seen and at least the quorum', () => {
    const host = fakeHost();
    const m = master(host, 2, 2);
    host.state.currentEpoch = 5;
    // Nobody else voted yet: our own vote alone is 1 of 3 voters.
    expect(getLeader(host, m, 5)).toBeNull();
    const other = m.sentinels.get(OTHER)!;
    other.leader = ME;
    other.leaderEpoch = 5;
    expect(getLeader(host, m, 5)).toBe(ME);
  });

  it('follows the most voted candidate when it has not voted yet', () => {
    const host = fakeHost();
    const m = master(host, 2, 2);
    host.state.currentEpoch = 7;
    for (const s of m.sentinels.values()) {
      s.leader = THIRD;
      s.leaderEpoch = 7;
    }
    expect(getLeader(host, m, 7)).toBe(THIRD);
    expect(m.leader).toBe(THIRD);
  });

  it('does not elect below the quorum even with a majority', () => {
    const host = fakeHost();
    const m = master(host, 3, 1);
    host.state.currentEpoch = 1;
    const other = m.sentinels.get(OTHER)!;
    other.leader = ME;
    other.leaderEpoch = 1;
    expect(getLeader(host, m, 1)).toBeNull();
  });
});

describe('ODOWN', () => {
  it('counts us plus the Sentinels that reported the master down', () => {
    const host = fakeHost();
    const m = master(host, 2, 2);
    m.flags |= F.S_DOWN;
    checkObjectivelyDown(host, m);
    expect(m.flags & F.O_DOWN).toBe(0);
    m.sentinels.get(OTHER)!.flags |= F.MASTER_DOWN;
    checkObjectivelyDown(host, m);
    expect(m.flags & F.O_DOWN).not.toBe(0);
    expect(host.events.at(-1)).toBe('+odown master m 127.0.0.1 6379 #quorum 2/2');
    m.flags &= ~F.S_DOWN;
    checkObjectivelyDown(host, m);
    expect(host.events.at(-1)).toBe('-odown master m 127.0.0.1 6379');
  });
});

describe('promotion order', () => {
  it('lower priority, then higher offset, then smaller runid; no runid last', () => {
    const m = new Instance(F.MASTER, 'm', { host: 'h', port: 1 }, 1, null);
    const r = (prio: number, off: number, runid: string | null): Instance => {
      const x = new Instance(F.SLAVE, `${prio}${off}${runid}`, { host: 'h', port: 2 }, 1, m);
      x.slavePriority = prio;
      x.slaveReplOffset = off;
      x.runid = runid;
      return x;
    };
    const list = [r(100, 5, 'b'), r(10, 1, 'z'), r(100, 9, null), r(100, 9, 'c'), r(100, 5, 'a')];
    expect(list.sort(comparePromotion).map((x) => x.name)).toEqual(['101z', '1009c', '1009null', '1005a', '1005b']);
  });
});

describe('config directives', () => {
  it('applies monitor and options, refuses unknown masters, and writes them back', () => {
    const host = fakeHost();
    expect(applyDirective(host, ['monitor', 'm', '127.0.0.1', '7001', '2'])).toBeNull();
    expect(applyDirective(host, ['down-after-milliseconds', 'm', '1000'])).toBeNull();
    expect(applyDirective(host, ['config-epoch', 'm', '4'])).toBeNull();
    expect(applyDirective(host, ['known-replica', 'm', '127.0.0.1', '7002'])).toBeNull();
    expect(applyDirective(host, ['known-sentinel', 'm', '127.0.0.1', '26380', OTHER])).toBeNull();
    expect(applyDirective(host, ['parallel-syncs', 'nope', '1'])).toBe('No such master with specified name.');
    expect(applyDirective(host, ['monitor', 'x', '127.0.0.1', '7001', '0'])).toBe('Quorum must be 1 or greater.');
    expect(applyDirective(host, ['bogus'])).toBe('Unrecognized sentinel configuration statement.');
    expect(host.state.currentEpoch).toBe(4);
    const lines = stateLines(host.state);
    expect(lines[0]).toBe(`sentinel myid ${ME}`);
    expect(lines).toContain('sentinel monitor m 127.0.0.1 7001 2');
    expect(lines).toContain('sentinel down-after-milliseconds m 1000');
    expect(lines).toContain('sentinel config-epoch m 4');
    expect(lines).toContain('sentinel known-replica m 127.0.0.1 7002');
    expect(lines).toContain(`sentinel known-sentinel m 127.0.0.1 26380 ${OTHER}`);
    expect(lines.at(-1)).toBe('sentinel current-epoch 4');
  });
});
