/**
 * Property, against real servers (two ringcache-server nodes, then two redis-server nodes): random
 * interleavings of valid and invalid calls — undefined, null, NaN, ±Infinity, objects, arrays,
 * symbols, functions, booleans, arguments over the bulk limit, wrong arity — issued in one tick
 * through direct calls (typed methods and call()), pipelines and multi(), half the time on a
 * client that has not connected yet:
 * - every valid call answers exactly what it would alone (no valid neighbour fails);
 * - every invalid one is refused alone: ERR_INVALID_ARGUMENT before anything is written (a refused
 *   multi() writes none of its commands), ERR_STATE_COMMAND for a state command (MULTI, SELECT,
 *   CLIENT REPLY OFF, SUBSCRIBE, WATCH: sent, they would change every neighbour's connection), or
 *   the server's own error for a wrong arity;
 * - nothing stays pending (bounded wait), and no connection was dropped.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { Arg } from '../../src/client/transport/command.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const LIMIT = 64 * 1024;
const BAD: readonly (() => unknown)[] = [
  () => undefined,
  () => null,
  () => NaN,
  () => Infinity,
  () => -Infinity,
  () => ({ a: 1 }),
  () => ['nested'],
  () => Symbol('s'),
  () => () => 1,
  () => true,
  () => new Date(0),
  () => Buffer.alloc(LIMIT + 1),
  () => 'é'.repeat(LIMIT / 2 + 1),
];

type Valid = 'set' | 'incrby' | 'echo' | 'get-missing' | 'set-bigint' | 'set-at-limit';
type Invalid = 'value' | 'key' | 'mget' | 'hset';
type State = 'multi' | 'select' | 'client-reply' | 'subscribe' | 'watch';
type Cmd = { valid: Valid; via: 'typed' | 'call' } | { invalid: Invalid; bad: number; via: 'typed' | 'call' } | { arity: 'get' | 'set' } | { state: State };
interface Item {
  path: 'direct' | 'pipeline' | 'multi';
  cmds: Cmd[];
}

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ valid: fc.constantFrom<Valid>('set', 'incrby', 'echo', 'get-missing', 'set-bigint', 'set-at-limit'), via: fc.constantFrom('typed' as const, 'call' as const) }) },
  { weight: 4, arbitrary: fc.record({ invalid: fc.constantFrom<Invalid>('value', 'key', 'mget', 'hset'), bad: fc.nat(BAD.length - 1), via: fc.constantFrom('typed' as const, 'call' as const) }) },
  { weight: 1, arbitrary: fc.record({ arity: fc.constantFrom('get' as const, 'set' as const) }) },
  { weight: 1, arbitrary: fc.record({ state: fc.constantFrom<State>('multi', 'select', 'client-reply', 'subscribe', 'watch') }) },
);
const itemArb: fc.Arbitrary<Item> = fc.oneof(
  fc.record({ path: fc.constant('direct' as const), cmds: fc.tuple(cmdArb).map((t) => [...t]) }),
  fc.record({ path: fc.constantFrom('pipeline' as const, 'multi' as const), cmds: fc.array(cmdArb, { minLength: 1, maxLength: 5 }) }),
);

/** What a command's outcome must be: this value, a refusal before sending, or a server error reply. */
type Outcome = { value: unknown } | { code: 'ERR_INVALID_ARGUMENT' | 'ERR_STATE_COMMAND' | 'ERR_REPLY' };

interface Built {
  argv: Arg[];
  typed: (c: RingClient) => Promise<unknown>;
  outcome: Outcome;
  /** A key this command would create if it ran (checked afterwards for refused transactions). */
  writes: string | null;
}

function build(cmd: Cmd, key: string): Built {
  const v = `v:${key}`;
  if ('valid' in cmd) {
    switch (cmd.valid) {
      case 'set':
        return { argv: ['SET', key, v], typed: (c) => c.set(key, v), outcome: { value: 'OK' }, writes: key };
      case 'incrby':
        return { argv: ['INCRBY', key, 7], typed: (c) => c.incrby(key, 7), outcome: { value: 7 }, writes: key };
      case 'echo':
        return { argv: ['ECHO', v], typed: (c) => c.call('ECHO', v), outcome: { value: v }, writes: null };
      case 'get-missing':
        return { argv: ['GET', key], typed: (c) => c.get(key), outcome: { value: null }, writes: null };
      case 'set-bigint':
        return { argv: ['SET', key, 2n ** 70n], typed: (c) => c.set(key, 2n ** 70n), outcome: { value: 'OK' }, writes: key };
      case 'set-at-limit': {
        const b = Buffer.alloc(LIMIT, 1);
        return { argv: ['SET', key, b], typed: (c) => c.set(key, b), outcome: { value: 'OK' }, writes: key };
      }
    }
  }
  if ('state' in cmd) {
    const argv: Arg[] = { multi: ['MULTI'], select: ['SELECT', 1], 'client-reply': ['CLIENT', 'REPLY', 'OFF'], subscribe: ['SUBSCRIBE', key], watch: ['WATCH', key] }[cmd.state];
    return { argv, typed: (c) => c.call(...(argv as [string, ...Arg[]])), outcome: { code: 'ERR_STATE_COMMAND' }, writes: null };
  }
  if ('arity' in cmd) {
    const argv: Arg[] = cmd.arity === 'get' ? ['GET'] : ['SET', key];
    return { argv, typed: (c) => c.call(...(argv as [string, ...Arg[]])), outcome: { code: 'ERR_REPLY' }, writes: null };
  }
  const bad = BAD[cmd.bad]!() as Arg;
  const refused = { code: 'ERR_INVALID_ARGUMENT' as const };
  switch (cmd.invalid) {
    case 'value':
      return { argv: ['SET', key, bad], typed: (c) => c.set(key, bad), outcome: refused, writes: key };
    case 'key':
      return { argv: ['GET', bad], typed: (c) => c.get(bad), outcome: refused, writes: null };
    case 'mget':
      return { argv: ['MGET', key, `other:${key}`, bad], typed: (c) => c.mget([key, `other:${key}`, bad]), outcome: refused, writes: null };
    case 'hset':
      return { argv: ['HSET', key, 'f', bad], typed: (c) => c.hset(key, { f: bad } as Record<string, Arg>), outcome: refused, writes: key };
  }
}

function check(outcome: Outcome, error: unknown, value: unknown): void {
  if ('value' in outcome) {
    expect(error).toBeNull();
    expect(value).toEqual(outcome.value);
  } else {
    expect(error).toMatchObject({ code: outcome.code });
  }
}

const BACKENDS = [
  { name: 'ringcache-server', start: startRingcache, available: true },
  { name: 'redis-server', start: startRedis, available: hasRedis() },
];

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`misuse never hurts a neighbour (2 × ${backend.name})`, () => {
    let nodes: ServerProcess[] = [];
    let shared: RingClient;
    const options = () => ({
      shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })),
      commandTimeoutMs: 10_000,
      maxBulkBytes: LIMIT,
    });
    beforeAll(async () => {
      nodes = await Promise.all([backend.start(), backend.start()]);
      shared = new RingClient(options());
    });
    afterAll(async () => {
      await shared?.close();
      await Promise.all(nodes.map((n) => n.stop()));
    });

    it('holds for random interleavings of valid and invalid calls', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(itemArb, { minLength: 1, maxLength: 12 }), fc.boolean(), async (items, fresh) => {
          run++;
          const c = fresh ? new RingClient(options()) : shared;
          try {
            const checks: Promise<void>[] = [];
            const mustNotExist: string[] = [];
            items.forEach((item, i) => {
              // One hash tag per item: a transaction's keys share a shard.
              const built = item.cmds.map((cmd, j) => build(cmd, `{r${run}:${i}}:${j}`));
              if (item.path === 'direct') {
                const b = built[0]!;
                const cmd = item.cmds[0]!;
                const p = 'via' in cmd && cmd.via === 'typed' ? b.typed(c) : c.call(...(b.argv as [string, ...Arg[]]));
                checks.push(p.then((v) => check(b.outcome, null, v), (e: unknown) => check(b.outcome, e, null)));
              } else if (item.path === 'pipeline') {
                const p = c.pipeline();
                for (const b of built) p.call(...(b.argv as [string, ...Arg[]]));
                checks.push(p.exec().then((res) => {
                  expect(res.length).toBe(built.length);
                  res.forEach(([e, v], j) => check(built[j]!.outcome, e, v));
                }));
              } else {
                const m = c.multi();
                for (const b of built) m.call(...(b.argv as [string, ...Arg[]]));
                const has = (code: string) => built.some((b) => 'code' in b.outcome && b.outcome.code === code);
                // Arguments are checked first, then each command's route (state commands), then the server (arity).
                const code = has('ERR_INVALID_ARGUMENT') ? 'ERR_INVALID_ARGUMENT' : has('ERR_STATE_COMMAND') ? 'ERR_STATE_COMMAND' : has('ERR_REPLY') ? 'ERR_REPLY' : null;
                if (code !== null) for (const b of built) if (b.writes !== null) mustNotExist.push(b.writes);
                checks.push(m.exec().then(
                  (res) => {
                    expect(code).toBeNull();
                    expect(res).toEqual(built.map((b) => ('value' in b.outcome ? b.outcome.value : null)));
                  },
                  (e: unknown) => expect(e).toMatchObject({ code: code ?? 'none expected' }),
                ));
              }
            });
            let timer: NodeJS.Timeout | undefined;
            const bound = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), 30_000)));
            const settled = await Promise.race([Promise.all(checks).then(() => 'settled' as const), bound]);
            clearTimeout(timer);
            expect(settled).toBe('settled');
            if (mustNotExist.length > 0) expect(await c.exists(...mustNotExist)).toBe(0);
            for (const s of c.stats().shards) expect(s.master.disconnects).toBe(0);
          } finally {
            if (fresh) await c.close();
          }
        }),
        { numRuns: 30 },
      );
    });
  });
}
