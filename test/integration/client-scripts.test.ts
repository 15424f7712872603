/**
 * Scripts and functions through RingClient against three real redis-server and three
 * ringcache-server nodes: script().run() by SHA (loading itself once per shard with EVAL on
 * NOSCRIPT, surviving SCRIPT FLUSH), eval()/evalRo(), fcall()/fcallRo(), and the management
 * commands that go to every shard (SCRIPT LOAD/EXISTS/FLUSH, FUNCTION LOAD/DELETE/FLUSH) or one
 * (FUNCTION LIST). Routing is checked by asking each shard directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { scriptSha } from '../../src/client/api/script.js';
import { CrossShardError, InvalidArgumentError, ReplyError } from '../../src/errors.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { keyOn } from '../helpers/placement.js';

const SHARDS = ['s0', 's1', 's2'];


/** Calls of `command` a shard has served so far (INFO commandstats). */
async function calls(c: RingClient, shard: string, command: string): Promise<number> {
  const info = String(await c.callWith({ shard }, 'INFO', 'commandstats'));
  const m = new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(info);
  return m === null ? 0 : Number(m[1]);
}

const LIB = [
  '#!lua name=ringlib',
  "redis.register_function('setget', function(keys, args) redis.call('SET', keys[1], args[1]); return redis.call('GET', keys[1]) end)",
  "redis.register_function{function_name='peek', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}, description='reads one key'}",
].join('\n');

const BACKENDS = [
  { name: 'redis-server', start: startRedis, available: hasRedis() },
  { name: 'ringcache-server', start: startRingcache, available: true },
];

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`scripts and functions on 3 × ${backend.name}`, () => {
    let nodes: ServerProcess[] = [];
    let c: RingClient;
    beforeAll(async () => {
      nodes = await Promise.all([0, 1, 2].map(() => backend.start()));
      c = new RingClient({ shards: nodes.map((n, i) => ({ name: SHARDS[i]!, master: `127.0.0.1:${n.port}` })), commandTimeoutMs: 5000 });
    });
    afterAll(async () => {
      await c?.close();
      await Promise.all(nodes.map((n) => n.stop()));
    });

    it('script().run() sends EVALSHA, loads itself with one EVAL per shard on NOSCRIPT, and survives SCRIPT FLUSH', async () => {
      const s = c.script("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])");
      expect(s.sha).toBe(scriptSha(s.lua));
      const k = keyOn(c, 's1', 'sc:');
      const evals = await calls(c, 's1', 'eval');
      expect(await s.run([k], ['one'])).toBe('one');
      expect(await s.run([k], ['two'])).toBe('two');
      expect(await s.run([k], ['three'])).toBe('three');
      expect(await calls(c, 's1', 'eval')).toBe(evals + 1);
      expect(await calls(c, 's1', 'evalsha')).toBeGreaterThanOrEqual(3);
      // The key lives on its shard only.
      for (const shard of SHARDS) expect(await c.callWith({ shard }, 'EXISTS', k)).toBe(shard === 's1' ? 1 : 0);

      expect(await c.scriptFlush()).toBe('OK');
      expect(await c.scriptExists([s.sha])).toEqual([false]);
      expect(await s.run([k], ['four'])).toBe('four');
      expect(await calls(c, 's1', 'eval')).toBe(evals + 2);
      expect(await c.get(k)).toBe('four');
    });

    it('a script routes by its keys: one shard, CrossShardError across shards, { shard } without keys', async () => {
      const s = c.script('return #KEYS + #ARGV');
      await expect(s.run([keyOn(c, 's0', 'x:'), keyOn(c, 's2', 'x:')])).rejects.toBeInstanceOf(CrossShardError);
      expect(await s.run(['{t}a', '{t}b'], ['x'])).toBe(3);
      const before = await calls(c, 's2', 'evalsha');
      expect(await s.run([], [], { shard: 's2' })).toBe(0);
      expect(await calls(c, 's2', 'evalsha')).toBe(before + 1);
      expect(await s.run()).toBe(0);
    });

    it("a script's own error rejects with the server's ReplyError and is not sent again", async () => {
      const s = c.script("return redis.error_reply('MYERR broken')");
      const k = keyOn(c, 's0', 'er:');
      await expect(s.run([k])).rejects.toThrow(/MYERR broken/);
      await expect(s.run([k])).rejects.toBeInstanceOf(ReplyError);
      await expect(s.run('k' as unknown as string[])).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(c.eval('return 1', 'k' as unknown as string[])).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(c.script(42 as unknown as string).run()).rejects.toBeInstanceOf(InvalidArgumentError);
    });

    it('read-only scripts use EVALSHA_RO / EVAL_RO and cannot write', async () => {
      const k = keyOn(c, 's1', 'ro:');
      await c.set(k, 'v');
      const read = c.script("return redis.call('GET', KEYS[1])", { readOnly: true });
      expect(await read.run([k])).toBe('v');
      expect(await read.run([k])).toBe('v');
      expect(await calls(c, 's1', 'evalsha_ro')).toBeGreaterThanOrEqual(2);
      const write = c.script("return redis.call('SET', KEYS[1], 'w')", { readOnly: true });
      await expect(write.run([k])).rejects.toThrow(/Write commands are not allowed from read-only scripts/);
      expect(await c.evalRo("return redis.call('GET', KEYS[1])", [k])).toBe('v');
    });

    it('eval() runs on the keys\' shard; scriptLoad/scriptExists ask every shard', async () => {
      const k = keyOn(c, 's2', 'ev:');
      expect(await c.eval("return redis.call('INCRBY', KEYS[1], ARGV[1])", [k], [5])).toBe(5);
      expect(await c.callWith({ shard: 's2' }, 'GET', k)).toBe('5');
      expect(await c.eval('return {1, "two", {3}}')).toEqual([1, 'two', [3]]);
      const lua = 'return 42';
      const sha = await c.scriptLoad(lua);
      expect(sha).toBe(scriptSha(lua));
      expect(await c.scriptExists([sha, 'ffffffffffffffffffffffffffffffffffffffff'])).toEqual([true, false]);
      // Known to one shard only: not every shard has it.
      await c.scriptFlush('SYNC');
      await c.callWith({ shard: 's0' }, 'SCRIPT', 'LOAD', lua);
      expect(await c.scriptExists([sha])).toEqual([false]);
      expect(await c.callWith({ shard: 's0' }, 'EVALSHA', sha, 0)).toBe(42);
    });

    it('functionLoad() loads on every shard; fcall()/fcallRo() run on the keys\' shard; list, delete, flush', async () => {
      await c.functionFlush();
      expect(await c.functionLoad(LIB)).toBe('ringlib');
      await expect(c.functionLoad(LIB)).rejects.toThrow(/already exists/);
      expect(await c.functionLoad(LIB, { replace: true })).toBe('ringlib');
      for (const shard of SHARDS) {
        const k = keyOn(c, shard, 'fn:');
        expect(await c.fcall('setget', [k], [shard])).toBe(shard);
        expect(await c.fcallRo('peek', [k])).toBe(shard);
        expect(await c.callWith({ shard }, 'GET', k)).toBe(shard);
      }
      await expect(c.fcallRo('setget', ['fn:x'], ['v'])).rejects.toThrow(/script with write flag/);
      const list = await c.functionList({ withCode: true });
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ libraryName: 'ringlib', engine: 'LUA', libraryCode: LIB });
      expect(list[0]!.functions.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { name: 'peek', description: 'reads one key', flags: ['no-writes'] },
        { name: 'setget', description: null, flags: [] },
      ]);
      expect(await c.functionList({ libraryName: 'nomatch*', shard: 's2' })).toEqual([]);
      expect((await c.functionList({ shard: 's1' }))[0]).not.toHaveProperty('libraryCode');
      expect(await c.functionDelete('ringlib')).toBe('OK');
      for (const shard of SHARDS) expect(await c.functionList({ shard })).toEqual([]);
      await expect(c.fcall('setget', ['fn:y'], ['v'])).rejects.toThrow(/Function not found/);
      expect(await c.functionLoad(LIB)).toBe('ringlib');
      // DUMP of one shard, RESTORE on every shard (a fresh shard gets the libraries this way).
      const payload = await c.functionDump('s1');
      expect(Buffer.isBuffer(payload)).toBe(true);
      await c.callWith({ shard: 's2' }, 'FUNCTION', 'FLUSH');
      await expect(c.functionRestore(payload)).rejects.toThrow(/already exists/);
      expect(await c.functionRestore(payload, 'REPLACE')).toBe('OK');
      for (const shard of SHARDS) expect((await c.functionList({ shard })).map((l) => l.libraryName)).toEqual(['ringlib']);
      expect(await c.functionFlush('SYNC')).toBe('OK');
      expect(await c.functionList({ shard: 's0' })).toEqual([]);
      expect(await c.functionRestore(payload)).toBe('OK');
      expect(await c.fcall('setget', ['fn:z'], ['restored'])).toBe('restored');
      await c.functionFlush();
    });
  });
}
