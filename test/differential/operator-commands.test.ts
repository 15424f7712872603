/**
 * Operator commands against redis-server 7.0: replies that are deterministic (HELP texts, error
 * texts, DEBUG PROTOCOL in RESP2 and RESP3, SLOWLOG/LATENCY shapes, CLIENT PAUSE/UNBLOCK
 * argument checks) are compared byte for byte; MONITOR lines with their timestamps and ports
 * masked.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential } from '../helpers/differential.js';
import { RawClient } from '../helpers/raw-client.js';
import { redisSkipReason } from '../helpers/processes.js';

const skip = redisSkipReason();

const SCRIPT: string[][] = [
  ['SLOWLOG', 'HELP'], ['SLOWLOG', 'LEN'], ['SLOWLOG', 'RESET'], ['SLOWLOG', 'GET', '-2'], ['SLOWLOG', 'GET', 'x'],
  ['SLOWLOG', 'GET', '1', '2'], ['SLOWLOG', 'NOPE'], ['SLOWLOG'], ['SLOWLOG', 'GET', '0'],
  ['LATENCY', 'HELP'], ['LATENCY', 'LATEST'], ['LATENCY', 'HISTORY', 'command'], ['LATENCY', 'RESET'],
  ['LATENCY', 'RESET', 'a', 'b'], ['LATENCY', 'GRAPH', 'command'], ['LATENCY', 'DOCTOR'], ['LATENCY', 'NOPE'],
  ['CLIENT', 'HELP'], ['CLIENT', 'PAUSE'], ['CLIENT', 'PAUSE', 'x'], ['CLIENT', 'PAUSE', '-1'], ['CLIENT', 'PAUSE', '10', 'READ'],
  ['CLIENT', 'PAUSE', '0', 'WRITE'], ['CLIENT', 'PAUSE', '1', 'ALL', 'x'], ['CLIENT', 'UNPAUSE'], ['CLIENT', 'UNPAUSE', 'x'],
  ['CLIENT', 'UNBLOCK', 'x'], ['CLIENT', 'UNBLOCK', '999999'], ['CLIENT', 'UNBLOCK', '999999', 'TIMEOUT'],
  ['CLIENT', 'UNBLOCK', '1', 'MAYBE'], ['CLIENT', 'UNBLOCK', '1', 'ERROR', 'x'],
  ['DEBUG', 'PROTOCOL', 'string'], ['DEBUG', 'PROTOCOL', 'integer'], ['DEBUG', 'PROTOCOL', 'double'],
  ['DEBUG', 'PROTOCOL', 'bignum'], ['DEBUG', 'PROTOCOL', 'null'], ['DEBUG', 'PROTOCOL', 'array'], ['DEBUG', 'PROTOCOL', 'set'],
  ['DEBUG', 'PROTOCOL', 'map'], ['DEBUG', 'PROTOCOL', 'attrib'], ['DEBUG', 'PROTOCOL', 'push'], ['DEBUG', 'PROTOCOL', 'verbatim'],
  ['DEBUG', 'PROTOCOL', 'true'], ['DEBUG', 'PROTOCOL', 'false'], ['DEBUG', 'PROTOCOL', 'nope'], ['DEBUG', 'ERROR', 'FOO bar'],
  ['MONITOR', 'x'], ['SHUTDOWN', 'ABORT'],
  ['MULTI'], ['MONITOR'], ['EXEC'],
  ['CONFIG', 'SET', 'slowlog-log-slower-than', 'x'], ['CONFIG', 'SET', 'slowlog-log-slower-than', '-2'],
  ['CONFIG', 'SET', 'latency-monitor-threshold', '-1'], ['CONFIG', 'GET', 'slowlog-max-len'],
];

describe.skipIf(skip !== null)('differential: operator commands vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    // No command may reach the slow log by chance (a loaded machine): SLOWLOG LEN/GET stay deterministic.
    d = await Differential.start({ 'enable-debug-command': 'yes', 'slowlog-log-slower-than': '100000000' });
  });
  afterAll(async () => {
    await d?.stop();
  });

  for (const proto of [2, 3] as const) {
    it(`replies byte for byte (RESP${proto})`, async () => {
      const [a, b] = await d.clients(proto);
      const mismatches: string[] = [];
      for (const cmd of SCRIPT) {
        const [ra, rb] = await Promise.all([a.call(...cmd), b.call(...cmd)]);
        if (ra !== rb) mismatches.push(`${cmd.join(' ')}\n  ringcache: ${JSON.stringify(ra)}\n  redis:     ${JSON.stringify(rb)}`);
      }
      a.close();
      b.close();
      expect(mismatches.join('\n')).toBe('');
    });
  }

  it('MONITOR shows the same lines (MULTI/EXEC order, redaction, quoting), admin commands hidden', async () => {
    const lines: string[][] = [];
    for (const port of [d.ours.port, d.redis.port]) {
      const m = await RawClient.connect(port);
      expect(await m.call('MONITOR')).toBe('+OK\r\n');
      const c = await RawClient.connect(port);
      const cmds = [
        ['SET', 'foo', 'bar baz"\n\x01'],
        ['GET', 'foo'],
        ['MULTI'], ['SET', 'k', '1'], ['INCR', 'k'], ['EXEC'],
        ['MULTI'], ['NOSUCHCMD'], ['EXEC'],
        ['AUTH', 'not-real'], ['AUTH', 'user', 'secret'], ['HELLO', '2', 'AUTH', 'user', 'secret'],
        ['CONFIG', 'SET', 'timeout', '0'], ['CLIENT', 'LIST'],
        ['SELECT', '3'], ['SET', 'x', '12'], ['PING'],
      ];
      for (const cmd of cmds) await c.call(...cmd);
      const got: string[] = [];
      for (let i = 0; i < 14; i++) {
        const f = (await m.next()).toString('latin1');
        got.push(f.replace(/^\+\d+\.\d{6} \[(\d+) [^\]]+\]/, '+<ts> [$1 <addr>]'));
      }
      lines.push(got);
      m.close();
      c.close();
    }
    expect(lines[0]).toEqual(lines[1]);
    expect(lines[0]).toContain('+<ts> [0 <addr>] "AUTH" "(redacted)"\r\n');
  });

  it('SLOWLOG entries have the same shape, trimming and redaction', async () => {
    const entries: string[][] = [];
    for (const port of [d.ours.port, d.redis.port]) {
      const c = await RawClient.connect(port);
      await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      await c.call('SLOWLOG', 'RESET');
      await c.call('CLIENT', 'SETNAME', 'slowpoke');
      await c.call('SADD', 'set', ...Array.from({ length: 40 }, (_, i) => `m${i}`));
      await c.call('SADD', 'set', 'A'.repeat(200));
      await c.call('CONFIG', 'SET', 'masterauth', 'secret');
      await c.call('AUTH', 'nobody', 'secret');
      await c.call('MULTI');
      await c.call('PING');
      await c.call('EXEC');
      await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
      await c.call('CONFIG', 'SET', 'masterauth', '');
      const raw = await c.call('SLOWLOG', 'GET', '-1');
      // id, time and duration differ, and the peer's port; the rest must be equal.
      const kept = raw
        .replace(/\*6\r\n:\d+\r\n:\d+\r\n:\d+\r\n/g, '*6\r\n<id> <time> <usec>\r\n')
        .replace(/\$\d+\r\n127\.0\.0\.1:\d+\r\n/g, '<peer>\r\n')
        .split('\r\n');
      entries.push(kept);
      c.close();
    }
    expect(entries[0]).toEqual(entries[1]);
  });
});
