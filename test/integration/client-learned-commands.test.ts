/**
 * Commands the built-in table lacks, learned from the servers (COMMAND INFO, COMMAND GETKEYS) and
 * routed like built-in ones: against three real redis-server and ringcache-server nodes (table
 * entries hidden with `commands.fromServer`, plus commands the table really lacks), and against
 * scripted fake servers that advertise module commands with key specs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specFromCommandInfo } from '../../src/commands/command-info.js';
import { keyPositions } from '../../src/commands/key-positions.js';
import { RingClient } from '../../src/client/ring-client.js';
import { CrossShardError, InvalidArgumentError, ReplyError, UnknownCommandError } from '../../src/errors.js';
import { resp, startFakeServer, type FakeServer, type RespTree } from '../helpers/fake-resp-server.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { keyOn } from '../helpers/placement.js';

/** Built-in entries the tests hide, so these commands take the learned path. */
const HIDDEN = ['pfadd', 'pfcount', 'xadd', 'xrange', 'xlen', 'geoadd', 'geodist', 'setbit', 'bitcount', 'eval', 'sort', 'dbsize', 'mget', 'time'];


const BACKENDS = [
  { name: 'redis-server', start: startRedis, available: hasRedis() },
  { name: 'ringcache-server', start: startRingcache, available: true },
];

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`learned commands on 3 × ${backend.name}`, () => {
    let nodes: ServerProcess[] = [];
    const shards = (): { name: string; master: string }[] => nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` }));
    const client = (protocol: 2 | 3 = 3, learn = true): RingClient => new RingClient({ shards: shards(), protocol, commandTimeoutMs: 5000, commands: { learn, fromServer: HIDDEN } });
    beforeAll(async () => {
      nodes = await Promise.all([0, 1, 2].map(() => backend.start()));
    });
    afterAll(async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    });

    for (const protocol of [2, 3] as const) {
      it(`RESP${protocol}: PFADD/PFCOUNT, XADD/XRANGE, GEOADD, SETBIT/BITCOUNT, EVAL with keys go to the keys' shard`, async () => {
        const c = client(protocol);
        try {
          const k = (x: string): string => `p${protocol}:${x}`;
          expect(await c.call('PFADD', k('hll'), 'a', 'b', 'c')).toBe(1);
          expect(await c.call('PFCOUNT', k('hll'))).toBe(3);
          const id = await c.call('XADD', k('stream'), '*', 'f', 'v');
          expect(typeof id).toBe('string');
          expect(await c.call('XRANGE', k('stream'), '-', '+')).toEqual([[id, ['f', 'v']]]);
          expect(await c.call('GEOADD', k('geo'), '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania')).toBe(2);
          expect(await c.call('GEODIST', k('geo'), 'Palermo', 'Catania', 'km')).toBe('166.2742');
          expect(await c.call('SETBIT', k('bits'), 7, 1)).toBe(0);
          expect(await c.call('BITCOUNT', k('bits'))).toBe(1);
          expect(await c.call('EVAL', "return redis.call('GET', KEYS[1])", 1, k('bits'))).toBe('\u0001');
          for (const key of [k('hll'), k('stream'), k('geo'), k('bits')]) {
            for (const s of ['s0', 's1', 's2']) expect(await c.callWith({ shard: s }, 'EXISTS', key)).toBe(s === c.locate(key) ? 1 : 0);
          }
        } finally {
          await c.close();
        }
      });
    }

    it('keys on several shards raise CrossShardError before anything is sent; a multi_shard command fans out', async () => {
      const c = client();
      try {
        const a = keyOn(c, 's0', 'x:');
        const b = keyOn(c, 's1', 'x:');
        await expect(c.call('PFCOUNT', a, b)).rejects.toBeInstanceOf(CrossShardError);
        await expect(c.call('SORT', a, 'STORE', b)).rejects.toBeInstanceOf(CrossShardError);
        await c.set(a, 'A');
        await c.set(b, 'B');
        // MGET hidden: learned with request_policy:multi_shard, split per shard, answers in key order.
        expect(await c.call('MGET', b, 'nokey:1', a)).toEqual(['B', null, 'A']);
      } finally {
        await c.close();
      }
    });

    it('keyless commands: request_policy:all_shards goes to every shard; others need { shard }', async () => {
      const c = client();
      try {
        await c.call('FLUSHALL');
        for (let i = 0; i < 12; i++) await c.set(`dbsize:${i}`, '1');
        expect(await c.call('DBSIZE')).toBe(12);
        await expect(c.call('TIME')).rejects.toBeInstanceOf(InvalidArgumentError);
        await expect(c.call('TIME')).rejects.toThrow(/callWith\(\{ shard/);
        expect(await c.callWith({ shard: 's1' }, 'TIME')).toHaveLength(2);
        if (backend.name === 'redis-server') {
          // Keyless commands of the built-in table (LOLWUT, ACL) go to a named shard too.
          expect(String(await c.callWith({ shard: 's1' }, 'LOLWUT', 'VERSION', 5))).toMatch(/Redis ver\./);
          expect(await c.callWith({ shard: 's2' }, 'ACL', 'WHOAMI')).toBe('default');
        }
      } finally {
        await c.close();
      }
    });

    it('keys only the server can find (SORT … STORE) are asked with COMMAND GETKEYS', async () => {
      const c = client();
      try {
        await c.call('RPUSH', '{srt}:l', '3', '1', '2');
        expect(await c.call('SORT', '{srt}:l', 'STORE', '{srt}:dst')).toBe(3);
        expect(await c.lrange('{srt}:dst', 0, -1)).toEqual(['1', '2', '3']);
        expect(await c.call('SORT', '{srt}:l', 'LIMIT', 0, 2)).toEqual(['1', '2']);
      } finally {
        await c.close();
      }
    });

    it('a pipeline keeps its order while its first learned command is looked up; multi() too', async () => {
      const c = client();
      try {
        const res = await c.pipeline().call('PFADD', '{pl}h', 'a').call('PFCOUNT', '{pl}h').del('{pl}h').call('PFCOUNT', '{pl}h').call('XLEN', '{pl}s').exec();
        expect(res).toEqual([[null, 1], [null, 1], [null, 1], [null, 0], [null, 0]]);
        const c2 = client();
        try {
          expect(await c2.multi().call('PFADD', '{tx}h', 'a', 'b').call('PFCOUNT', '{tx}h').call('SORT', '{tx}l', 'STORE', '{tx}d').exec()).toEqual([1, 2, 0]);
          await expect(c2.multi().call('PFADD', '{tx}h', 'a').call('PFCOUNT', 'elsewhere:1', 'elsewhere:2', 'elsewhere:3').exec()).rejects.toBeInstanceOf(CrossShardError);
        } finally {
          await c2.close();
        }
      } finally {
        await c.close();
      }
    });

    it("a command no server knows gets the server's own error; learn: false refuses it in the client", async () => {
      const c = client();
      try {
        await expect(c.call('NOSUCHCOMMAND', 'a')).rejects.toThrow(/^ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a'/);
        const r = await c.pipeline().get('k').call('NOSUCHCOMMAND').exec();
        expect(r[1]![0]).toBeInstanceOf(ReplyError);
        const off = client(3, false);
        await expect(off.call('PFADD', 'k', 'a')).rejects.toBeInstanceOf(UnknownCommandError);
        await expect(off.call('PFADD', 'k', 'a')).rejects.toMatchObject({ code: 'ERR_UNKNOWN_COMMAND' });
        await off.close();
      } finally {
        await c.close();
      }
    });
  });
}

describe.skipIf(!hasRedis())('learned key specs agree with the server', () => {
  let node: ServerProcess;
  beforeAll(async () => {
    node = await startRedis();
  });
  afterAll(async () => {
    await node.stop();
  });

  it("positions from each command's COMMAND INFO equal COMMAND GETKEYS (RESP2 and RESP3 entries alike)", async () => {
    const samples: string[][] = [
      ['get', 'k'],
      ['mset', 'a', '1', 'b', '2'],
      ['zunionstore', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'],
      ['xread', 'COUNT', '1', 'STREAMS', 's1', 's2', '0', '0'],
      ['xreadgroup', 'GROUP', 'g', 'c', 'STREAMS', 's1', '>'],
      ['georadius', 'src', '1', '2', '3', 'km', 'STORE', 'dst'],
      ['eval', 'return 1', '2', 'k1', 'k2', 'a'],
      ['lmpop', '2', 'l1', 'l2', 'LEFT'],
      ['blmove', 'a', 'b', 'LEFT', 'RIGHT', '0'],
      ['sintercard', '2', 's1', 's2'],
      ['object', 'encoding', 'k'],
      ['xinfo', 'stream', 's'],
      ['migrate', 'h', '1', '', '0', '10', 'KEYS', 'a', 'b'],
      ['bitop', 'AND', 'd', 'a', 'b'],
      ['memory', 'usage', 'k'],
    ];
    for (const protocol of [2, 3] as const) {
      const c = new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${node.port}` }], protocol });
      try {
        for (const argv of samples) {
          const info = (await c.call('COMMAND', 'INFO', argv[0]!)) as unknown[];
          let spec = specFromCommandInfo(info[0])!;
          if (spec.subcommands !== null) spec = spec.subcommands.get(argv[1]!)!;
          const want = (await c.call('COMMAND', 'GETKEYS', ...argv)) as string[];
          if (spec.keysFromServer === true) continue;
          const got = keyPositions(spec, argv)!.map((i) => argv[i]);
          expect({ argv, got }).toEqual({ argv, got: want });
        }
      } finally {
        await c.close();
      }
    }
  });
});

/** A COMMAND INFO element, RESP2-shaped. */
function entry(name: string, arity: number, flags: string[], keySpecs: RespTree[], tips: string[] = []): RespTree {
  return [name, arity, flags, 0, 0, 0, ['@module'], tips, keySpecs, []];
}
const specAt = (i: number): RespTree => ['flags', ['RW'], 'begin_search', ['type', 'index', 'spec', ['index', i]], 'find_keys', ['type', 'range', 'spec', ['lastkey', 0, 'keystep', 1, 'limit', 0]]];
const numkeys: RespTree = ['flags', ['RO'], 'begin_search', ['type', 'index', 'spec', ['index', 1]], 'find_keys', ['type', 'keynum', 'spec', ['keynumidx', 0, 'firstkey', 1, 'keystep', 1]]];

/** What the fake module servers advertise. */
const MODULE: Record<string, RespTree> = {
  'mod.set': entry('mod.set', 3, ['write'], [specAt(1)]),
  'mod.mget': entry('mod.mget', -3, ['readonly', 'movablekeys'], [numkeys]),
  'mod.keys': entry('mod.keys', -2, ['write', 'movablekeys'], []), // getkeys-api: the keys follow the word KEYS
  'mod.count': entry('mod.count', 1, ['readonly'], [], ['request_policy:all_shards', 'response_policy:agg_sum']),
  'mod.info': entry('mod.info', 1, ['readonly'], []),
};

describe('module commands advertised by scripted servers', () => {
  let fakes: FakeServer[] = [];
  let c: RingClient;
  beforeAll(async () => {
    fakes = await Promise.all(
      [0, 1].map((n) =>
        startFakeServer((argv) => {
          const name = argv[0]!.toLowerCase();
          if (name === 'command' && argv[1]!.toLowerCase() === 'info') return resp.value([MODULE[argv[2]!.toLowerCase()] ?? null]);
          if (name === 'command' && argv[1]!.toLowerCase() === 'getkeys') {
            const at = argv.findIndex((a) => a === 'KEYS');
            return at < 0 ? resp.err('ERR The command has no key arguments') : resp.strings(argv.slice(at + 1));
          }
          if (name === 'mod.set' || name === 'mod.keys') return resp.ok;
          if (name === 'mod.mget') return resp.strings(argv.slice(2).map((k) => `${k}@${n}`));
          if (name === 'mod.count') return resp.int(10 + n);
          if (name === 'mod.info') return resp.bulk(`node${n}`);
          return resp.err(`ERR unknown command '${argv[0]}', with args beginning with: `);
        }),
      ),
    );
    c = new RingClient({ shards: fakes.map((f, i) => ({ name: `m${i}`, master: f.address })), commandTimeoutMs: 3000 });
  });
  afterAll(async () => {
    await c.close();
    await Promise.all(fakes.map((f) => f.close()));
  });

  const sentTo = (prefix: string): number[] => fakes.map((f) => f.log.filter((l) => l.startsWith(prefix)).length);

  it('learns each command once per shard, then routes it by its key specs', async () => {
    const k0 = keyOn(c, 'm0', 'mk:');
    const k1 = keyOn(c, 'm1', 'mk:');
    await Promise.all([c.call('MOD.SET', k0, 'v'), c.call('mod.set', k1, 'v'), c.call('MOD.SET', k1, 'w')]);
    expect(sentTo('COMMAND INFO mod.set')).toEqual([1, 1]);
    expect(fakes[0]!.log.filter((l) => l.startsWith('MOD.SET') || l.startsWith('mod.set'))).toEqual([`MOD.SET ${k0} v`]);
    expect(fakes[1]!.log.filter((l) => /^mod\.set/i.test(l))).toEqual([`mod.set ${k1} v`, `MOD.SET ${k1} w`]);
    await c.call('MOD.SET', k0, 'again');
    expect(sentTo('COMMAND INFO')).toEqual([1, 1]);
  });

  it('keynum key specs: one shard, or CrossShardError', async () => {
    const a = keyOn(c, 'm1', 'mg:');
    const b = keyOn(c, 'm1', `${a}:`);
    expect(await c.call('MOD.MGET', 2, a, b)).toEqual([`${a}@1`, `${b}@1`]);
    await expect(c.call('MOD.MGET', 2, keyOn(c, 'm0', 'mg:'), a)).rejects.toBeInstanceOf(CrossShardError);
  });

  it('movable keys without key specs (getkeys-api) are asked with COMMAND GETKEYS per call', async () => {
    const k = keyOn(c, 'm0', 'kk:');
    expect(await c.call('MOD.KEYS', 'opt', 'KEYS', k)).toBe('OK');
    expect(fakes[0]!.log).toContain(`MOD.KEYS opt KEYS ${k}`);
    await expect(c.call('MOD.KEYS', 'KEYS', k, keyOn(c, 'm1', 'kk:'))).rejects.toBeInstanceOf(CrossShardError);
    // No keys found: keyless, so a shard must be named.
    await expect(c.call('MOD.KEYS', 'opt')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await c.callWith({ shard: 'm1' }, 'MOD.KEYS', 'opt')).toBe('OK');
  });

  it('tips: request_policy:all_shards with agg_sum asks every shard; keyless without tips needs { shard }', async () => {
    expect(await c.call('MOD.COUNT')).toBe(21);
    await expect(c.call('MOD.INFO')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await c.callWith({ shard: 'm1' }, 'MOD.INFO')).toBe('node1');
    expect(await c.pipeline().call('MOD.INFO').exec()).toMatchObject([[expect.any(InvalidArgumentError), null]]);
  });

  it("unknown to the server too: the server's own error", async () => {
    await expect(c.call('MOD.NOPE', 'x')).rejects.toThrow(/unknown command 'MOD.NOPE'/);
  });
});
