/**
 * Differential test of connection and server commands whose replies are deterministic: the same
 * script goes to ringcache-server and redis-server and every reply is compared byte for byte.
 * Client ids (HELLO) are masked, since the two servers number their connections differently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';

const skip = redisSkipReason();

const SCRIPT: string[][] = [
  ['PING'], ['PING', 'a b'], ['ECHO', ''], ['PING', 'a', 'b'],
  ['HELLO'], ['HELLO', '3'], ['GET', 'nokey'], ['MGET', 'a', 'b'], ['PING'], ['HELLO', '2'],
  ['HELLO', '4'], ['HELLO', 'x'], ['HELLO', '3', 'FOO'], ['HELLO', '3', 'SETNAME', 'a b'], ['HELLO', '2', 'SETNAME', 'nm'],
  ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', 'bad name'], ['CLIENT', 'SETNAME', 'good'], ['CLIENT', 'GETNAME'],
  ['CLIENT', 'SETNAME', ''], ['CLIENT', 'GETNAME'], ['CLIENT', 'NOSUCH'], ['CLIENT'],
  ['CLIENT', 'KILL', '1.2.3.4:5'], ['CLIENT', 'KILL', 'TYPE', 'foo'], ['CLIENT', 'KILL', 'ID', '0'], ['CLIENT', 'KILL', 'ID', '99999'],
  ['CLIENT', 'KILL', 'ADDR'], ['CLIENT', 'NO-EVICT', 'maybe'], ['CLIENT', 'NO-EVICT', 'on'], ['CLIENT', 'NO-EVICT', 'off'],
  ['AUTH', 'pw'], ['AUTH', 'default', 'pw'], ['AUTH', 'a', 'b', 'c'],
  ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'GET', 'maxmemory-policy'], ['CONFIG', 'GET', 'databases'], ['CONFIG', 'GET', 'timeout'],
  ['CONFIG', 'GET', 'appendonly'], ['CONFIG', 'GET', 'nosuchparam'], ['CONFIG', 'GET', 'maxmemory-samples', 'lfu-log-factor'],
  ['CONFIG', 'SET', 'maxmemory', 'abc'], ['CONFIG', 'SET', 'nosuch', '1'], ['CONFIG', 'SET', 'databases', '5'],
  ['CONFIG', 'SET', 'maxmemory', '10mb'], ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'SET', 'maxmemory', '0'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'], ['CONFIG', 'GET', 'maxmemory-policy'], ['CONFIG', 'SET', 'maxmemory-policy', 'bogus'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['CONFIG', 'SET', 'timeout', 'x'], ['CONFIG', 'SET', 'appendfsync', 'sometimes'],
  ['CONFIG', 'SET', 'maxmemory'], ['CONFIG', 'SET', 'timeout', '0', 'timeout', '0'], ['CONFIG', 'FOO'], ['CONFIG'],
  ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 512kb 60'], ['CONFIG', 'GET', 'client-output-buffer-limit'],
  ['CONFIG', 'SET', 'client-output-buffer-limit', 'replica 10mb 5mb 10'], ['CONFIG', 'GET', 'client-output-buffer-limit'],
  ['CONFIG', 'SET', 'client-output-buffer-limit', 'bogus 1 2 3'], ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2'],
  ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'], ['CONFIG', 'SET', 'lfu-log-factor', '0'], ['SET', 'lfu', 'x'],
  ['GET', 'lfu'], ['GET', 'lfu'], ['GET', 'lfu'], ['OBJECT', 'FREQ', 'lfu'], ['OBJECT', 'IDLETIME', 'lfu'], ['DEL', 'lfu'],
  ['CONFIG', 'SET', 'lfu-log-factor', '10'], ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['OBJECT', 'IDLETIME', 'none'],
  ['SET', 'k1', 'v'], ['SET', 'k2', '123'], ['DBSIZE'], ['SELECT', '1'], ['DBSIZE'], ['SELECT', '0'],
  ['SWAPDB', '0', '1'], ['DBSIZE'], ['SWAPDB', '0', '1'], ['SWAPDB', 'a', '1'], ['SWAPDB', '0', 'b'], ['SWAPDB', '0', '16'],
  ['SELECT', '16'], ['SELECT', '-1'], ['SELECT', 'x'],
  ['OBJECT', 'ENCODING', 'k1'], ['OBJECT', 'ENCODING', 'k2'], ['OBJECT', 'ENCODING', 'none'], ['OBJECT', 'FOO', 'k1'],
  ['OBJECT', 'FREQ', 'k1'], ['TYPE', 'k1'], ['TYPE', 'none'],
  ['MEMORY', 'USAGE', 'none'], ['MEMORY', 'FOO'],
  ['COMMAND', 'INFO', 'get', 'mget', 'del', 'ttl', 'nosuch'], ['COMMAND', 'INFO', 'config|get'],
  ['COMMAND', 'GETKEYS', 'SET', 'a', 'b'], ['COMMAND', 'GETKEYS', 'MSET', 'a', 'b', 'c', 'd'], ['COMMAND', 'GETKEYS', 'GET'],
  ['COMMAND', 'GETKEYS', 'ECHO', 'x'], ['COMMAND', 'FOO'], ['COMMAND', 'GETKEYS', 'PING'], ['COMMAND', 'GETKEYS', 'ZUNION', '0', 'a'],
  ['COMMAND', 'GETKEYSANDFLAGS', 'SET', 'a', 'b'], ['COMMAND', 'GETKEYSANDFLAGS', 'SET', 'a', 'b', 'get'],
  ['COMMAND', 'GETKEYSANDFLAGS', 'MSET', 'a', 'b', 'c', 'd'], ['COMMAND', 'GETKEYSANDFLAGS', 'LMOVE', 'a', 'b', 'LEFT', 'RIGHT'],
  ['COMMAND', 'GETKEYSANDFLAGS', 'SORT', 'a', 'LIMIT', '0', '1', 'STORE', 'b'], ['COMMAND', 'GETKEYSANDFLAGS', 'BITFIELD', 'a', 'GET', 'u8', '0'],
  ['COMMAND', 'GETKEYSANDFLAGS', 'BITFIELD', 'a', 'SET', 'u8', '0', '1'], ['COMMAND', 'GETKEYSANDFLAGS', 'EVAL', 'x', '0'],
  ['COMMAND', 'GETKEYSANDFLAGS', 'EVAL', 'x', '1', 'k'], ['COMMAND', 'GETKEYSANDFLAGS', 'SPUBLISH', 'c', 'm'],
  ['COMMAND', 'GETKEYSANDFLAGS', 'MIGRATE', 'h', '1', '', '0', '5', 'KEYS', 'a', 'b'], ['COMMAND', 'GETKEYSANDFLAGS', 'RENAME', 'a', 'b'],
  ['COMMAND', 'INFO', 'rename', 'smove', 'sinterstore', 'exists', 'mset', 'publish', 'echo', 'lmpop'],
  ['FLUSHDB', 'ASYNC'], ['DBSIZE'], ['FLUSHALL', 'SYNC'], ['FLUSHALL', 'NOW'], ['SCRIPT', 'FLUSH'], ['FUNCTION', 'FLUSH'],
  ['INFO', 'nosuchsection'], ['NOSUCHCOMMAND', 'a', 'b'], ['GET'], ['QUIT'],
];

/** Two clients per server: WATCH on one, writes from the other. */
const WATCH_SCRIPT: [0 | 1, string[]][] = [
  [0, ['SET', 'w', '1']], [0, ['WATCH', 'w']], [1, ['SET', 'w', '2']], [0, ['MULTI']], [0, ['INCR', 'w']], [0, ['EXEC']],
  [0, ['WATCH', 'w']], [0, ['MULTI']], [0, ['INCR', 'w']], [0, ['EXEC']], [0, ['GET', 'w']],
  [0, ['WATCH', 'w', 'x']], [1, ['DEL', 'nothing']], [0, ['MULTI']], [0, ['GET', 'w']], [0, ['EXEC']],
  [0, ['WATCH', 'w']], [1, ['FLUSHDB']], [0, ['MULTI']], [0, ['PING']], [0, ['EXEC']],
  // A flush or swap touches only watched keys that exist on one side.
  [0, ['WATCH', 'absent']], [1, ['FLUSHDB']], [0, ['MULTI']], [0, ['PING']], [0, ['EXEC']],
  [1, ['SELECT', '1']], [1, ['SET', 'sw', '1']], [1, ['SELECT', '0']], [0, ['WATCH', 'sw', 'absent']], [1, ['SWAPDB', '0', '1']],
  [0, ['MULTI']], [0, ['PING']], [0, ['EXEC']], [0, ['WATCH', 'absent']], [1, ['SWAPDB', '0', '1']], [0, ['MULTI']], [0, ['PING']],
  [0, ['EXEC']], [1, ['SELECT', '1']], [1, ['FLUSHDB']], [1, ['SELECT', '0']],
  // Expiry races the clock, so each case leaves a wide margin: a key already expired when WATCHed
  // breaks nothing (Redis 7.0 flags it at WATCH time); one that expires after WATCH aborts EXEC.
  [0, ['SET', 'e', 'v', 'PX', '1']], [0, ['__SLEEP__', '20']], [0, ['WATCH', 'e']], [0, ['MULTI']], [0, ['PING']], [0, ['EXEC']],
  [0, ['SET', 'e2', 'v', 'PX', '200']], [0, ['WATCH', 'e2']], [0, ['__SLEEP__', '300']], [0, ['MULTI']], [0, ['PING']], [0, ['EXEC']],
  [0, ['MULTI']], [0, ['SET', 'a']], [0, ['NOSUCH']], [0, ['SET', 'a', '1']], [0, ['EXEC']], [0, ['GET', 'a']],
  [0, ['MULTI']], [0, ['SET', 'a', 'x']], [0, ['INCR', 'a']], [0, ['MULTI']], [0, ['WATCH', 'a']], [0, ['EXEC']],
  [0, ['EXEC']], [0, ['DISCARD']], [0, ['MULTI']], [0, ['DISCARD']], [0, ['WATCH', 'a']], [0, ['UNWATCH']],
];

function mask(cmd: string[], reply: string): string {
  const out = reply.replace(/\$2\r\nid\r\n:\d+\r\n/, '$2\r\nid\r\n:<id>\r\n');
  if (cmd[0] === 'CONFIG' && cmd[1] === 'GET' && out.startsWith('*')) {
    // Several patterns come back in Redis's hash-table order: compare the pairs as a set.
    const parts = out.split('\r\n').slice(1, -1).filter((_, i) => i % 2 === 1);
    const pairs: string[] = [];
    for (let i = 0; i < parts.length; i += 2) pairs.push(`${parts[i]}=${parts[i + 1]}`);
    return pairs.sort().join(',');
  }
  return out;
}

describe.skipIf(skip !== null)('differential: connection and server commands vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('replies byte for byte to the scripted session', async () => {
    const [a, b] = await d.clients();
    const mismatches: string[] = [];
    for (const cmd of SCRIPT) {
      const [ra, rb] = await Promise.all([a.call(...cmd), b.call(...cmd)]);
      if (mask(cmd, ra) !== mask(cmd, rb)) mismatches.push(`${cmd.join(' ')}\n  ringcache: ${JSON.stringify(ra)}\n  redis:     ${JSON.stringify(rb)}`);
    }
    a.close();
    b.close();
    expect(mismatches.join('\n')).toBe('');
  });

  it('transactions and WATCH across two clients reply byte for byte', async () => {
    const [a0, b0] = await d.clients();
    const [a1, b1] = await d.clients();
    const ours = [a0, a1];
    const theirs = [b0, b1];
    const mismatches: string[] = [];
    for (const [step, [who, cmd]] of WATCH_SCRIPT.entries()) {
      if (cmd[0] === '__SLEEP__') {
        await new Promise((r) => setTimeout(r, Number(cmd[1])));
        continue;
      }
      const [ra, rb] = await Promise.all([ours[who]!.call(...cmd), theirs[who]!.call(...cmd)]);
      if (ra !== rb) mismatches.push(`step ${step}, client ${who}: ${cmd.join(' ')}\n  ringcache: ${JSON.stringify(ra)}\n  redis:     ${JSON.stringify(rb)}`);
    }
    for (const c of [a0, a1, b0, b1]) c.close();
    expect(mismatches.join('\n')).toBe('');
  });
});
