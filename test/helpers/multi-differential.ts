/**
 * Several clients per server for differential tests whose replies arrive on other connections
 * (client tracking invalidations, keyspace notifications): the same step runs on
 * ringcache-server and redis-server, and every frame each client received is compared byte for
 * byte.
 *
 * Completeness without timing: after a step, each client is sent `PING <marker>` and read up to
 * that PING's reply, twice (the second round also catches what a server writes at the end of its
 * event-loop turn, e.g. BCAST batches). Marker replies are dropped before comparing. A client in
 * MULTI is not pinged (its PING would be queued); what it receives is compared at a later step.
 * Client ids differ between servers: `{id0}`… in a command stand for client 0's id, and ids in
 * redirect-related frames are written back as `{idN}` before comparing.
 */

import { HarnessError } from './harness-error.js';
import { RawClient } from './raw-client.js';
import type { Differential } from './differential.js';

interface Side {
  readonly clients: RawClient[];
  readonly ids: number[];
}

export class MultiDifferential {
  private marker = 0;
  private readonly inMulti: boolean[];
  /** Clients killed by a `CLIENT KILL ID {idN}` step: never read again. */
  private readonly dead: boolean[];
  readonly mismatches: string[] = [];
  private readonly history: string[] = [];

  private constructor(
    private readonly ours: Side,
    private readonly theirs: Side,
  ) {
    this.inMulti = ours.clients.map(() => false);
    this.dead = ours.clients.map(() => false);
  }

  /** Opens `protos.length` clients on each server (HELLO 3 for those with proto 3). */
  static async open(d: Differential, protos: readonly (2 | 3)[]): Promise<MultiDifferential> {
    const side = async (port: number): Promise<Side> => {
      const clients: RawClient[] = [];
      const ids: number[] = [];
      for (const p of protos) {
        const c = await RawClient.connect(port);
        if (p === 3) await c.call('HELLO', '3');
        ids.push(Number(/:(\d+)/.exec(await c.call('CLIENT', 'ID'))![1]));
        clients.push(c);
      }
      return { clients, ids };
    };
    const m = new MultiDifferential(await side(d.ours.port), await side(d.redis.port));
    await m.ours.clients[0]!.call('FLUSHALL');
    await m.theirs.clients[0]!.call('FLUSHALL');
    return m;
  }

  close(): void {
    for (const c of [...this.ours.clients, ...this.theirs.clients]) c.close();
  }

  private expand(side: Side, argv: readonly string[]): string[] {
    return argv.map((a) => a.replace(/\{id(\d)\}/g, (_, n: string) => String(side.ids[Number(n)])));
  }

  private normalize(side: Side, frame: string, getredir = false): string {
    if (!getredir && !frame.includes('redirect') && !frame.includes('tracking-redir-broken')) return frame;
    let out = frame;
    side.ids.forEach((id, i) => (out = out.split(`:${id}\r\n`).join(`:{id${i}}\r\n`)));
    return out;
  }

  /** Reads frames until the reply to PING `marker`; returns the others. */
  private static async until(c: RawClient, marker: string): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const f = (await c.next()).toString('latin1');
      if (f.endsWith(`$${marker.length}\r\n${marker}\r\n`)) return out;
      out.push(f);
    }
    throw new HarnessError('marker never arrived');
  }

  private async collect(side: Side, i: number, marker: string, sink: string[][], getredir: boolean): Promise<void> {
    const c = side.clients[i]!;
    c.send(['PING', marker]);
    for (const f of await MultiDifferential.until(c, marker)) sink[i]!.push(this.normalize(side, f, getredir));
  }

  private async runSide(side: Side, who: number, argv: readonly string[]): Promise<string[][]> {
    const got: string[][] = side.clients.map(() => []);
    const c = side.clients[who]!;
    c.send(this.expand(side, argv));
    // In MULTI (also just entered): the one reply, +OK / +QUEUED or a queue-time error.
    if (this.inMulti[who]) got[who]!.push(this.normalize(side, (await c.next()).toString('latin1')));
    const getredir = argv.length === 2 && argv[0]!.toLowerCase() === 'client' && argv[1]!.toLowerCase() === 'getredir';
    for (let round = 0; round < 2; round++) {
      const marker = `mk${++this.marker}`;
      for (let i = 0; i < side.clients.length; i++) {
        if (this.inMulti[i] || this.dead[i]) continue;
        await this.collect(side, i, marker, got, getredir && i === who);
      }
    }
    return got;
  }

  /** Runs one command on client `who` of both servers and compares what every client received. */
  async step(who: number, argv: readonly string[]): Promise<void> {
    const name = argv[0]!.toLowerCase();
    if (name === 'multi') this.inMulti[who] = true;
    if (name === 'exec' || name === 'discard' || name === 'reset') this.inMulti[who] = false;
    const killed = /^\{id(\d)\}$/.exec(name === 'client' && argv[1]?.toLowerCase() === 'kill' ? (argv[3] ?? '') : '');
    if (killed !== null) this.dead[Number(killed[1])] = true;
    this.history.push(`${who}: ${argv.join(' ')}`);
    const marker = this.marker;
    const a = await this.runSide(this.ours, who, argv);
    this.marker = marker;
    const b = await this.runSide(this.theirs, who, argv);
    for (let i = 0; i < a.length; i++) {
      if (JSON.stringify(a[i]) === JSON.stringify(b[i])) continue;
      this.mismatches.push(
        `after client ${who}: ${argv.join(' ')} — client ${i}\n  ringcache: ${JSON.stringify(a[i])}\n  redis:     ${JSON.stringify(b[i])}\n` +
          `  last steps:\n    ${this.history.slice(-12).join('\n    ')}`,
      );
    }
  }
}
