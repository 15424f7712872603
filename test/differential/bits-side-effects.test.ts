/**
 * What the bitmap, BITFIELD, LCS and HyperLogLog commands do besides replying, compared with
 * redis-server 7.0:
 * - keyspace notifications (`setbit`, `set`/`del` from BITOP, `pfadd` from PFADD and PFMERGE),
 *   frame by frame to RESP2 and RESP3 subscribers;
 * - the replication stream: a SYNC attached to each server records exactly which commands are
 *   propagated (only writes that changed something; PFCOUNT when it refreshed its cached
 *   cardinality; PFDEBUG TODENSE/GETREG when they converted; never LCS or a failed write);
 * - WATCH: a transaction is aborted by the same commands on both.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential } from '../helpers/differential.js';
import { MultiDifferential } from '../helpers/multi-differential.js';
import { redisSkipReason } from '../helpers/processes.js';
import { frameEnd } from '../helpers/raw-client.js';

const skip = redisSkipReason();
const s = (line: string): string[] => line.split(' ');

const WRITES: string[][] = [
  s('SETBIT b 7 1'),
  s('SETBIT b 7 1'),
  s('SETBIT b 100 0'),
  s('SETBIT b x 1'),
  s('GETBIT b 7'),
  s('BITCOUNT b'),
  s('BITPOS b 1'),
  s('BITFIELD b GET u8 0'),
  s('BITFIELD b SET u8 0 1'),
  s('BITFIELD b SET u8 0 1'),
  s('BITFIELD b INCRBY u8 0 0'),
  s('BITFIELD b OVERFLOW FAIL INCRBY u2 0 100'),
  s('BITFIELD nb OVERFLOW FAIL SET u2 0 100'),
  s('BITFIELD_RO b GET i8 0'),
  s('SET s1 abc'),
  s('BITOP AND d b s1'),
  s('BITOP OR d nokey nokey2'),
  s('BITOP OR d nokey'),
  s('BITOP NOT d s1'),
  s('LCS b s1'),
  s('PFADD h a b c'),
  s('PFADD h a b c'),
  s('PFADD h2'),
  s('PFCOUNT h'),
  s('PFCOUNT h'),
  s('PFCOUNT h h2'),
  s('PFMERGE h3 h h2'),
  s('PFCOUNT h3'),
  s('PFDEBUG ENCODING h'),
  s('PFDEBUG TODENSE h'),
  s('PFDEBUG TODENSE h'),
  s('PFDEBUG GETREG h2'),
  s('PFADD s1 x'),
  s('PFADD h d'),
];

/** Reads a server's replication stream after SYNC: the snapshot is skipped, commands collected. */
class StreamTap {
  private buf = Buffer.alloc(0);
  private started = false;
  readonly commands: string[][] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.parse();
    });
  }

  static async attach(port: number): Promise<StreamTap> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((r, j) => {
      socket.once('connect', () => r());
      socket.once('error', j);
    });
    const tap = new StreamTap(socket);
    socket.write('SYNC\r\n');
    return tap;
  }

  private parse(): void {
    if (!this.started) {
      while (this.buf.length > 0 && this.buf[0] === 10) this.buf = this.buf.subarray(1);
      const nl = this.buf.indexOf('\r\n');
      if (nl < 0) return;
      const len = Number(this.buf.toString('latin1', 1, nl));
      if (this.buf.length < nl + 2 + len) return;
      this.buf = this.buf.subarray(nl + 2 + len);
      this.started = true;
    }
    for (;;) {
      while (this.buf.length > 0 && this.buf[0] === 10) this.buf = this.buf.subarray(1);
      const end = frameEnd(this.buf, 0);
      if (end < 0) return;
      const frame = this.buf.toString('latin1', 0, end);
      this.buf = this.buf.subarray(end);
      const parts = frame.split('\r\n');
      const argv: string[] = [];
      for (let i = 2; i < parts.length; i += 2) argv.push(parts[i]!);
      this.commands.push(argv.slice(0, Number(parts[0]!.slice(1))));
    }
  }

  /** Waits (bounded) until a command named `marker` arrived. */
  async until(marker: string): Promise<void> {
    for (let i = 0; i < 500; i++) {
      if (this.commands.some((c) => c[1] === marker)) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`stream marker ${marker} never arrived`);
  }

  close(): void {
    this.socket.destroy();
  }
}

describe.skipIf(skip !== null)('differential: side effects of bit, LCS and HLL commands vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('keyspace notifications, RESP2 and RESP3 subscribers', async () => {
    const m = await MultiDifferential.open(d, [2, 2, 3]);
    try {
      await m.step(1, s('FLUSHALL'));
      await m.step(0, s('PSUBSCRIBE __key*@0__:*'));
      await m.step(2, s('PSUBSCRIBE __keyevent@*__:*'));
      await m.step(1, s('CONFIG SET notify-keyspace-events KEA'));
      for (const argv of WRITES) await m.step(1, argv);
      await m.step(1, s('CONFIG SET notify-keyspace-events K$'));
      await m.step(1, s('SETBIT b2 3 1'));
      await m.step(1, s('BITOP OR d nokey'));
      await m.step(1, ['CONFIG', 'SET', 'notify-keyspace-events', '']);
    } finally {
      m.close();
    }
    expect(m.mismatches.join('\n')).toBe('');
  });

  it('the replication stream carries the same commands', async () => {
    const [a, b] = await d.clients();
    try {
      for (const c of [a, b]) {
        await c.call('FLUSHALL');
        await c.call('CONFIG', 'SET', 'repl-ping-replica-period', '3600');
      }
      const taps = await Promise.all([StreamTap.attach(d.ours.port), StreamTap.attach(d.redis.port)]);
      try {
        await new Promise((r) => setTimeout(r, 300));
        for (const argv of WRITES) {
          const [ra, rb] = await Promise.all([a.call(...argv), b.call(...argv)]);
          expect(ra, argv.join(' ')).toBe(rb);
        }
        await Promise.all([a.call('SET', 'end-marker', '1'), b.call('SET', 'end-marker', '1')]);
        await Promise.all(taps.map((t) => t.until('end-marker')));
        const strip = (cmds: string[][]): string => cmds.filter((c) => c[0]!.toLowerCase() !== 'ping').map((c) => c.join(' ')).join('\n');
        const ours = strip(taps[0].commands);
        expect(ours).toBe(strip(taps[1].commands));
        // The stream is not trivially equal: the cache refresh and the conversions are in it.
        for (const line of ['SETBIT b 7 1', 'PFCOUNT h', 'PFDEBUG TODENSE h', 'PFDEBUG GETREG h2', 'BITOP OR d nokey nokey2']) {
          expect(ours.split('\n')).toContain(line);
        }
      } finally {
        for (const t of taps) t.close();
      }
    } finally {
      a.close();
      b.close();
    }
  });

  it('WATCH is broken by the same commands', async () => {
    const [a, b] = await d.clients();
    const [a2, b2] = await d.clients();
    try {
      for (const c of [a, b]) await c.call('FLUSHALL');
      for (const argv of WRITES) {
        const k = argv[0] === 'BITOP' ? argv[2]! : argv[0] === 'PFDEBUG' ? argv[2]! : argv[1]!;
        const replies: string[] = [];
        for (const [c, other] of [
          [a, a2],
          [b, b2],
        ] as const) {
          await c.call('WATCH', k);
          await c.call('MULTI');
          await c.call('PING');
          await other.call(...argv);
          replies.push(await c.call('EXEC'));
        }
        expect(replies[0], argv.join(' ')).toBe(replies[1]);
      }
    } finally {
      for (const c of [a, b, a2, b2]) c.close();
    }
  });
});
