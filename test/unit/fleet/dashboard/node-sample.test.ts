/** INFO text and RINGCACHE.HOTKEYS replies → the figures the dashboard shows. */
import { describe, expect, it } from 'vitest';
import { ReplyError } from '../../../../src/errors.js';
import { parseHotKeys, parseInfo } from '../../../../src/fleet/dashboard/node-sample.js';

const MASTER = [
  '# Server', 'redis_version:7.0.15', '', '# Clients', 'connected_clients:12', '', '# Memory', 'used_memory:1048576', '',
  '# Stats', 'total_commands_processed:5000', 'instantaneous_ops_per_sec:250', 'keyspace_hits:90', 'keyspace_misses:10', '',
  '# Replication', 'role:master', 'connected_slaves:2',
  'slave0:ip=127.0.0.1,port=7101,state=online,offset=900,lag=0', 'slave1:ip=127.0.0.1,port=7102,state=wait_bgsave,offset=0,lag=3',
  'master_repl_offset:1000', '', '# Keyspace', 'db0:keys=30,expires=1,avg_ttl=0', 'db3:keys=12,expires=0,avg_ttl=0', '',
].join('\r\n');

const REPLICA = [
  '# Replication', 'role:slave', 'master_host:127.0.0.1', 'master_port:7001', 'master_link_status:down',
  'master_last_io_seconds_ago:4', 'slave_repl_offset:700', '', '# Stats', 'keyspace_hits:0', 'keyspace_misses:0', '',
].join('\r\n');

describe('parseInfo', () => {
  it('reads a master: ops, memory, keys per db, hits, clients, replicas', () => {
    const s = parseInfo(MASTER);
    expect(s).toMatchObject({ role: 'master', totalCommands: 5000, instantaneousOps: 250, usedMemory: 1048576, keys: 42, hits: 90, misses: 10, clients: 12, replOffset: 1000, masterAddr: null, linkStatus: null });
    expect(s.keysPerDb).toEqual({ db0: 30, db3: 12 });
    expect(s.replicas).toEqual([
      { addr: '127.0.0.1:7101', state: 'online', offset: 900, lag: 0 },
      { addr: '127.0.0.1:7102', state: 'wait_bgsave', offset: 0, lag: 3 },
    ]);
  });

  it('reads a replica: its master, link, offset; missing fields are 0', () => {
    const s = parseInfo(REPLICA);
    expect(s).toMatchObject({ role: 'replica', masterAddr: '127.0.0.1:7001', linkStatus: 'down', lastIoSecondsAgo: 4, replOffset: 700, keys: 0, usedMemory: 0, replicas: [] });
    expect(parseInfo('').role).toBe('unknown');
  });
});

describe('parseHotKeys', () => {
  it('takes [key, count] pairs; an error or another shape is null (n/a)', () => {
    expect(parseHotKeys([['hot', 40], ['warm', '7']])).toEqual([['hot', 40], ['warm', 7]]);
    expect(parseHotKeys([])).toEqual([]);
    expect(parseHotKeys(new ReplyError("ERR unknown command 'RINGCACHE.HOTKEYS'"))).toBeNull();
    expect(parseHotKeys(undefined)).toBeNull();
    expect(parseHotKeys('x')).toBeNull();
    expect(parseHotKeys([['lonely']])).toBeNull();
  });
});
