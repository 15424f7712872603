/**
 * Differential testing against real Redis: the same command sequence goes to ringcache-server and
 * redis-server, and every reply is compared byte for byte (error texts included). Redis is the
 * oracle. Generators are seeded, so a failure names the seed and the step and is replayable.
 *
 * Usage: `const d = await Differential.start(); await d.run(seed, steps, gen, { proto: 3 }); await d.stop();`
 */

import { HarnessError } from './harness-error.js';
import { RawClient } from './raw-client.js';
import { startRedis, startRingcache, type ServerProcess } from './processes.js';

/** Deterministic PRNG (mulberry32): one seed, one sequence. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
}

/** Produces the next command (argv) for step i. */
export type CommandGenerator = (rng: Rng, step: number) => string[];

/** A reply normaliser for commands whose output order or values legitimately differ (e.g. SCAN). */
export type Normalizer = (argv: readonly string[], reply: string) => string;

export interface RunOptions {
  /** RESP version: a HELLO is sent first when 3. */
  proto?: 2 | 3;
  normalize?: Normalizer;
  /** Commands sent to both before the run (not compared). */
  setup?: string[][];
}

export class Differential {
  private constructor(
    readonly ours: ServerProcess,
    readonly redis: ServerProcess,
  ) {}

  static async start(args: Record<string, string | number> = {}): Promise<Differential> {
    const [ours, redis] = await Promise.all([startRingcache({ args }), startRedis({ args })]);
    return new Differential(ours, redis);
  }

  async stop(): Promise<void> {
    await Promise.all([this.ours.stop(), this.redis.stop()]);
  }

  /** Connects one client to each server. */
  async clients(proto: 2 | 3 = 2): Promise<[RawClient, RawClient]> {
    const a = await RawClient.connect(this.ours.port);
    const b = await RawClient.connect(this.redis.port);
    if (proto === 3) {
      await a.call('HELLO', '3');
      await b.call('HELLO', '3');
    }
    return [a, b];
  }

  /**
   * Runs `steps` generated commands on fresh FLUSHALLed servers and throws on the first reply that
   * differs, with the seed, the step and the preceding commands.
   */
  async run(seed: number, steps: number, gen: CommandGenerator, opts: RunOptions = {}): Promise<void> {
    const [a, b] = await this.clients(opts.proto ?? 2);
    try {
      await a.call('FLUSHALL');
      await b.call('FLUSHALL');
      for (const cmd of opts.setup ?? []) {
        await a.call(...cmd);
        await b.call(...cmd);
      }
      const rng = new Rng(seed);
      const history: string[] = [];
      for (let i = 0; i < steps; i++) {
        const argv = gen(rng, i);
        history.push(argv.map((x) => JSON.stringify(x)).join(' '));
        let [ra, rb] = await Promise.all([a.call(...argv), b.call(...argv)]);
        if (opts.normalize !== undefined) {
          ra = opts.normalize(argv, ra);
          rb = opts.normalize(argv, rb);
        }
        if (ra !== rb) {
          throw new HarnessError(
            `differential mismatch (seed ${seed}, step ${i}, proto ${opts.proto ?? 2})\n` +
              `command: ${history[history.length - 1]}\n` +
              `ringcache: ${JSON.stringify(ra)}\nredis:     ${JSON.stringify(rb)}\n` +
              `last commands:\n  ${history.slice(-15).join('\n  ')}`,
          );
        }
      }
    } finally {
      a.close();
      b.close();
    }
  }
}
