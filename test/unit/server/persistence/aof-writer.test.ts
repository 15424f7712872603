/**
 * The AOF writer's reply gate: under `everysec` a reply waits until its batch is written; under
 * `always` until the fsync after it completed; a write error keeps replies held (and is retried
 * from the cron) rather than acknowledging a write that is not in the file.
 */
import fs from 'node:fs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Keyspace } from '../../../../src/server/keyspace/keyspace.js';
import { AofWriter, type FsyncPolicy } from '../../../../src/server/persistence/aof-writer.js';
import { AofReader } from '../../../../src/server/persistence/aof-reader.js';
import { Logger } from '../../../../src/server/util/log.js';

const dir = mkdtempSync(join(tmpdir(), 'aof-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writer(name: string, policy: FsyncPolicy): { w: AofWriter; path: string } {
  const path = join(dir, name);
  const fd = fs.openSync(path, 'w+');
  const log = new Logger();
  log.sink = () => {};
  return { w: new AofWriter([{ fd, pos: 0, path }], policy, new Keyspace(16), log), path };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(check()).toBe(true);
}

describe('AOF writer', () => {
  it('everysec: replies wait for the write of their batch, not for fsync', async () => {
    const { w, path } = writer('everysec.aof', 'everysec');
    expect(w.hold(() => {})).toBe(false);
    w.propagate(0, ['SET', 'a', '1']);
    let released = false;
    expect(w.hold(() => (released = true))).toBe(true);
    expect(readFileSync(path).length).toBe(0);
    await turn();
    await until(() => released);
    expect(readFileSync(path, 'latin1')).toContain('$3\r\nSET\r\n$1\r\na\r\n');
    w.flushSync();
    w.close();
  });

  it('always: replies wait for the fsync that follows their batch', async () => {
    const { w, path } = writer('always.aof', 'always');
    w.propagate(3, ['SET', 'a', '1']);
    const order: string[] = [];
    expect(w.hold(() => order.push('released'))).toBe(true);
    const realFsync = fs.fsync;
    let pending: (() => void) | null = null;
    // Hold the fsync completion to observe that the reply waits for it.
    (fs as { fsync: typeof fs.fsync }).fsync = ((fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => {
      pending = () => realFsync(fd, cb);
    }) as typeof fs.fsync;
    try {
      await until(() => pending !== null);
      expect(readFileSync(path, 'latin1')).toContain('SELECT');
      expect(order).toEqual([]);
      order.push('fsync');
      pending!();
      await new Promise((r) => setTimeout(r, 50));
      expect(order).toEqual(['fsync', 'released']);
    } finally {
      (fs as { fsync: typeof fs.fsync }).fsync = realFsync;
    }
    // The file decodes: one batch, SELECT 3 then SET.
    const got: string[][] = [];
    const reader = new AofReader(0, (cmds) => got.push(...cmds.map((c) => c.argv)));
    reader.push(readFileSync(path));
    reader.run(() => false);
    expect(got).toEqual([['SELECT', '3'], ['SET', 'a', '1']]);
    w.close();
  });

  it('a write error holds replies and is retried until it succeeds', async () => {
    const { w, path } = writer('error.aof', 'everysec');
    const good = w.targets[0]!.fd;
    w.targets[0]!.fd = fs.openSync(path, 'r'); // not writable: EBADF
    w.propagate(0, ['SET', 'k', 'v']);
    let released = false;
    expect(w.hold(() => (released = true))).toBe(true);
    await until(() => w.lastError !== null);
    expect(released).toBe(false);
    expect(w.lastError).toMatch(/EBADF|bad file descriptor/i);
    fs.closeSync(w.targets[0]!.fd);
    w.targets[0]!.fd = good;
    w.cron();
    await until(() => released);
    expect(w.lastError).toBeNull();
    expect(readFileSync(path, 'latin1')).toContain('$1\r\nk\r\n');
    w.close();
  });
});
