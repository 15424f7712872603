/**
 * Damaged data files and loading, with real processes:
 * - a torn AOF tail is cut off with a warning (aof-load-truncated yes: the file is truncated at
 *   the last complete batch) or refused naming the file and offset (aof-load-truncated no);
 *   a zero-filled tail counts as torn;
 * - a flipped byte in the middle of the AOF, or a snapshot with a bad checksum, is refused
 *   (exit code 1) naming the file and the byte offset — never a partial load;
 * - while loading, clients get -LOADING and INFO shows loading:1.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { freePort, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { connect, dumpDataset, info, sleep, waitFor } from './persistence-helpers.js';

const dirs: string[] = [];
const procs: ServerProcess[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ringcache-corrupt-'));
  dirs.push(d);
  return d;
}

async function start(dir: string, args: Record<string, string | number> = {}): Promise<ServerProcess> {
  const p = await startRingcache({ dir, args: { save: '', ...args } });
  procs.push(p);
  return p;
}

/** Starts a server expected to refuse its data: resolves with its exit code and output. */
async function startRefused(dir: string, args: Record<string, string | number>): Promise<{ code: number | null; output: string }> {
  try {
    const p = await start(dir, args);
    await p.stop();
    return { code: 0, output: p.output() };
  } catch (err) {
    return { code: 1, output: String(err) };
  }
}

afterAll(async () => {
  for (const p of procs) await p.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** An AOF of three batches (one per command round trip); returns the dataset before the last. */
async function makeAof(dir: string): Promise<{ path: string; withoutLast: Record<string, string>; all: Record<string, string> }> {
  const srv = await start(dir, { appendonly: 'yes', appendfsync: 'always' });
  const r = await connect(srv.port);
  await r.rpush('list', 'a', 'b', 'c');
  for (let i = 0; i < 50; i++) await r.set(`k${i}`, `value-${i}`);
  const withoutLast = await dumpDataset(r, 1);
  await r.hset('last', 'f', 'v');
  const all = await dumpDataset(r, 1);
  r.disconnect();
  await srv.stop();
  return { path: join(dir, 'appendonly.aof'), withoutLast, all };
}

describe('damaged files', () => {
  it('a torn AOF tail is cut off with aof-load-truncated yes', async () => {
    const dir = tempDir();
    const { path, withoutLast } = await makeAof(dir);
    const size = statSync(path).size;
    truncateSync(path, size - 10);
    const srv = await start(dir, { appendonly: 'yes' });
    expect(srv.output()).toMatch(/short read while loading the AOF file/);
    expect(srv.output()).toMatch(/Truncating the AOF .*appendonly\.aof at offset \d+/);
    const r = await connect(srv.port);
    expect(await dumpDataset(r, 1)).toEqual(withoutLast);
    await r.set('after', 'truncation');
    r.disconnect();
    await srv.stop();
    // The file was cut at the last complete batch, so what followed appends cleanly.
    const again = await start(dir, { appendonly: 'yes' });
    expect(again.output()).not.toMatch(/short read/);
    const r2 = await connect(again.port);
    expect(await r2.get('after')).toBe('truncation');
    r2.disconnect();
    await again.stop();
  });

  it('a torn AOF tail is refused with aof-load-truncated no, naming file and offset', async () => {
    const dir = tempDir();
    const { path } = await makeAof(dir);
    const size = statSync(path).size;
    truncateSync(path, size - 10);
    const res = await startRefused(dir, { appendonly: 'yes', 'aof-load-truncated': 'no' });
    expect(res.code).not.toBe(0);
    expect(res.output).toMatch(/Unexpected end of file reading the append only file .*appendonly\.aof \(incomplete batch from offset \d+/);
    expect(statSync(path).size).toBe(size - 10);
  });

  it('zeros left after the last batch count as a torn tail', async () => {
    const dir = tempDir();
    const { path, all } = await makeAof(dir);
    appendFileSync(path, Buffer.alloc(4096));
    const srv = await start(dir, { appendonly: 'yes' });
    expect(srv.output()).toMatch(/short read/);
    const r = await connect(srv.port);
    expect(await dumpDataset(r, 1)).toEqual(all);
    r.disconnect();
    await srv.stop();
  });

  it('a flipped byte in the middle of the AOF is refused with the offset', async () => {
    const dir = tempDir();
    const { path } = await makeAof(dir);
    const bytes = readFileSync(path);
    // A byte inside a value (only the batch checksum can see it), then a structural byte.
    for (const find of ['value-25', '*3\r\n$3\r\nset\r\n$3\r\nk30']) {
      const bad = Buffer.from(bytes);
      const at = bad.indexOf(find) + 2;
      bad[at]! ^= 0x04;
      writeFileSync(path, bad);
      const res = await startRefused(dir, { appendonly: 'yes' });
      expect(res.code).not.toBe(0);
      expect(res.output).toMatch(/Fatal error loading the DB: Bad file format reading the append only file .*appendonly\.aof at offset \d+/);
    }
  });

  it('a snapshot with a bad checksum is refused with the offset', async () => {
    const dir = tempDir();
    let srv = await start(dir);
    const r = await connect(srv.port);
    for (let i = 0; i < 100; i++) await r.set(`k${i}`, `value-${i}`);
    await r.save();
    r.disconnect();
    await srv.stop();
    const path = join(dir, 'dump.rcdb');
    const bad = readFileSync(path);
    bad[bad.indexOf('value-50') + 3]! ^= 0x01;
    writeFileSync(path, bad);
    const res = await startRefused(dir, {});
    expect(res.code).not.toBe(0);
    expect(res.output).toMatch(/corrupt snapshot file .*dump\.rcdb at offset \d+: Wrong snapshot checksum/);
    // A truncated snapshot is refused too.
    writeFileSync(path, bad.subarray(0, Math.floor(bad.length / 2)));
    expect((await startRefused(dir, {})).output).toMatch(/dump\.rcdb at offset \d+: Unexpected end of snapshot data/);
    srv = await start(dir, { dbfilename: 'other.rcdb' });
    await srv.stop();
  });
});

describe('disk errors', () => {
  it('a failed BGSAVE refuses writes with -MISCONF (save rules set) until a save succeeds', async () => {
    const dir = tempDir();
    const gone = mkdtempSync(join(tmpdir(), 'ringcache-gone-'));
    const srv = await start(dir, { save: '3600 1', 'enable-protected-configs': 'local' });
    const r = await connect(srv.port);
    await r.set('a', '1');
    expect(await r.config('SET', 'dir', gone)).toBe('OK');
    rmSync(gone, { recursive: true, force: true });
    await expect(r.bgsave()).rejects.toThrow(/^ERR/);
    expect(await info(r, 'rdb_last_bgsave_status')).toBe('err');
    await expect(r.set('b', '2')).rejects.toThrow(/^MISCONF Redis is configured to save RDB snapshots/);
    await expect(r.ping()).rejects.toThrow(/^MISCONF/);
    expect(await r.get('a')).toBe('1');
    expect(await r.config('SET', 'dir', dir)).toBe('OK');
    expect(await r.bgsave()).toBe('Background saving started');
    await waitFor(async () => (await info(r, 'rdb_bgsave_in_progress')) === '0');
    expect(await r.set('b', '2')).toBe('OK');
    await expect(r.config('SET', 'dir', join(dir, 'missing'))).rejects.toThrow(/No such file or directory/);
    r.disconnect();
    await srv.stop();
  });
});

describe('loading', () => {
  it('answers -LOADING and INFO loading:1 while the dataset loads', async () => {
    const dir = tempDir();
    const srv = await start(dir);
    const r = await connect(srv.port);
    await r.pipeline(Array.from({ length: 2000 }, (_, i) => ['set', `k${i}`, 'v'])).exec();
    await r.save();
    r.disconnect();
    await srv.stop();
    const port = await freePort();
    // 3 ms per key: loading takes about six seconds, long enough to be seen from a loaded machine.
    const starting = startRingcache({ dir, port, args: { save: '', 'key-load-delay': 3000 }, startTimeoutMs: 60_000 });
    let c: RawClient | null = null;
    const until = Date.now() + 30_000;
    while (c === null && Date.now() < until) {
      c = await RawClient.connect(port).catch(() => null);
      if (c === null) await sleep(20);
    }
    expect(c).not.toBeNull();
    expect(await c!.call('GET', 'k1')).toBe('-LOADING Redis is loading the dataset in memory\r\n');
    expect(await c!.call('INFO', 'persistence')).toMatch(/loading:1\r\n[\s\S]*loading_loaded_perc:/);
    const p = await starting;
    procs.push(p);
    expect(await c!.call('GET', 'k1')).toBe('$1\r\nv\r\n');
    expect(await c!.call('INFO', 'persistence')).toMatch(/loading:0\r\n/);
    c!.close();
    await p.stop();
  });
});
