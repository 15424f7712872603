/**
 * Client tracking on a replica: a RESP3 client that reads a key on a ringcache-server replica gets
 * its invalidation when the MASTER changes the key (the replica applies the stream through its
 * keyspace chokepoint, so tracking sees those writes like its own clients' writes). This is what
 * keeps a replica-reading client-side cache fresh.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startRingcache, type ServerProcess } from '../helpers/processes.js';
import { HarnessError } from '../helpers/harness-error.js';
import { RawClient } from '../helpers/raw-client.js';

const procs: ServerProcess[] = [];
const raws: RawClient[] = [];

async function raw(p: ServerProcess): Promise<RawClient> {
  const r = await RawClient.connect(p.port);
  raws.push(r);
  return r;
}

/** Polls INFO replication until the link is up (bounded). */
async function linkUp(r: RawClient): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await r.call('INFO', 'replication')).includes('master_link_status:up')) return;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new HarnessError('replica link never came up');
}

afterAll(async () => {
  for (const r of raws) r.close();
  for (const p of procs) await p.stop();
});

describe('client tracking on a replica', () => {
  it('invalidates a key read on the replica when the master writes it, and on FLUSHALL', async () => {
    const master = await startRingcache();
    procs.push(master);
    const replica = await startRingcache({ args: { replicaof: `127.0.0.1 ${master.port}` } });
    procs.push(replica);
    const m = await raw(master);
    const r = await raw(replica);
    await linkUp(r);
    await m.call('SET', 'k', 'v1');
    expect(await m.call('WAIT', '1', '5000')).toBe(':1\r\n');

    expect(await r.call('HELLO', '3')).toMatch(/^%7/);
    expect(await r.call('CLIENT', 'TRACKING', 'on')).toBe('+OK\r\n');
    expect(await r.call('GET', 'k')).toBe('$2\r\nv1\r\n');
    // The replica refuses the write itself; the master's write reaches it through the stream.
    expect(await r.call('SET', 'k', 'x')).toBe("-READONLY You can't write against a read only replica.\r\n");
    await m.call('SET', 'k', 'v2');
    expect((await r.next(5000)).toString()).toBe('>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n');
    expect(await r.call('GET', 'k')).toBe('$2\r\nv2\r\n');
    await m.call('FLUSHALL');
    expect((await r.next(5000)).toString()).toBe('>2\r\n$10\r\ninvalidate\r\n_\r\n');
  });
});
