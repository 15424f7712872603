/**
 * Protected configs and DEBUG (Redis 7.0 enable-protected-configs / enable-debug-command): by
 * default CONFIG SET of `dir` and `dbfilename` and DEBUG are refused with Redis's texts (the
 * "CONFIG SET dir + SAVE writes anywhere" attack is closed); `local` allows them from loopback
 * clients, `yes` from anyone; the options themselves cannot be changed at run time. The refusals
 * are compared with real redis-server when it is installed.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const servers: ServerProcess[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function replies(p: ServerProcess, cmds: string[][]): Promise<string[]> {
  const c = await RawClient.connect(p.port);
  const out: string[] = [];
  for (const cmd of cmds) out.push(await c.call(...cmd));
  c.close();
  return out;
}

const PROBES = [
  ['CONFIG', 'SET', 'dir', '/tmp'],
  ['CONFIG', 'SET', 'dbfilename', 'x.rdb'],
  ['CONFIG', 'SET', 'maxmemory', '0', 'DIR', '/tmp'],
  ['DEBUG', 'HELP'],
  ['CONFIG', 'SET', 'enable-protected-configs', 'yes'],
  ['CONFIG', 'SET', 'enable-debug-command', 'yes'],
  ['CONFIG', 'GET', 'enable-protected-configs'],
];

describe('protected configs', () => {
  it('refused by default with Redis texts', async () => {
    const ours = await startRingcache();
    servers.push(ours);
    const got = await replies(ours, PROBES);
    expect(got[0]).toBe("-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config\r\n");
    expect(got[1]).toBe("-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config\r\n");
    expect(got[2]).toBe("-ERR CONFIG SET failed (possibly related to argument 'DIR') - can't set protected config\r\n");
    expect(got[3]).toMatch(/^-ERR DEBUG command not allowed\. If the enable-debug-command option is set to "local"/);
    expect(got[4]).toBe("-ERR CONFIG SET failed (possibly related to argument 'enable-protected-configs') - can't set immutable config\r\n");
    if (hasRedis()) {
      const redis = await startRedis();
      servers.push(redis);
      expect(got).toEqual(await replies(redis, PROBES));
    }
  });

  it('local allows loopback clients; yes allows everyone', async () => {
    for (const mode of ['local', 'yes']) {
      const ours = await startRingcache({ args: { 'enable-protected-configs': mode, 'enable-debug-command': mode } });
      servers.push(ours);
      const got = await replies(ours, [['CONFIG', 'SET', 'dbfilename', 'other.rdb'], ['CONFIG', 'GET', 'dbfilename'], ['DEBUG', 'SLEEP', '0']]);
      expect(got).toEqual(['+OK\r\n', '*2\r\n$10\r\ndbfilename\r\n$9\r\nother.rdb\r\n', '+OK\r\n']);
    }
  });
});
