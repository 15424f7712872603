/**
 * The real `ringcache-server` binary on a loopback port: redis-cli, raw protocol, inline
 * commands, protocol errors, configuration errors and clean shutdown on SIGTERM.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { RINGCACHE_BIN, startRingcache, type ServerProcess } from '../helpers/processes.js';

const hasCli = spawnSync('redis-cli', ['--version']).status === 0;

function cli(port: number, ...args: string[]): string {
  const r = spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });
  return r.stdout.trim();
}

describe('ringcache-server binary', () => {
  let srv: ServerProcess;
  beforeAll(async () => {
    srv = await startRingcache({ args: { requirepass: '' } });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it.skipIf(!hasCli)('answers redis-cli', () => {
    expect(cli(srv.port, 'PING')).toBe('PONG');
    expect(cli(srv.port, 'SET', 'greeting', 'hello', 'EX', '100')).toBe('OK');
    expect(cli(srv.port, 'GET', 'greeting')).toBe('hello');
    expect(Number(cli(srv.port, 'TTL', 'greeting'))).toBeGreaterThan(0);
    expect(cli(srv.port, 'DBSIZE')).toBe('1');
    expect(cli(srv.port, 'CONFIG', 'GET', 'maxmemory-policy')).toBe('maxmemory-policy\nnoeviction');
    expect(cli(srv.port, 'INFO', 'server')).toMatch(/redis_version:7\.0\.15/);
    expect(cli(srv.port, 'CLIENT', 'LIST')).toMatch(/cmd=client\|list/);
    expect(Number(cli(srv.port, 'COMMAND', 'COUNT'))).toBeGreaterThan(50);
    expect(cli(srv.port, 'INCRBYFLOAT', 'f', '0.1')).toBe('0.1');
  });

  it('accepts inline commands and pipelined requests in one chunk', async () => {
    const c = await RawClient.connect(srv.port);
    c.writeRaw('PING\r\nSET inl "a b"\r\nGET inl\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n');
    expect((await c.next()).toString()).toBe('+PONG\r\n');
    expect((await c.next()).toString()).toBe('+OK\r\n');
    expect((await c.next()).toString()).toBe('$3\r\na b\r\n');
    expect((await c.next()).toString()).toBe('$2\r\nhi\r\n');
    c.close();
  });

  it('answers a malformed request with a protocol error, then closes', async () => {
    const c = await RawClient.connect(srv.port);
    c.writeRaw('PING\r\n*1\r\n+oops\r\n');
    expect((await c.next()).toString()).toBe('+PONG\r\n');
    expect((await c.next()).toString()).toBe("-ERR Protocol error: expected '$', got '+'\r\n");
    await c.closed();
    const d = await RawClient.connect(srv.port);
    expect(await d.call('PING')).toBe('+PONG\r\n');
    d.close();
  });

  it('refuses an oversized bulk length without buffering it', async () => {
    const c = await RawClient.connect(srv.port);
    c.writeRaw('*1\r\n$999999999999\r\n');
    expect((await c.next()).toString()).toBe('-ERR Protocol error: invalid bulk length\r\n');
    await c.closed();
  });

  it('requires AUTH when requirepass is set, and HELLO 3 switches protocol', async () => {
    const c = await RawClient.connect(srv.port);
    expect(await c.call('CONFIG', 'SET', 'requirepass', 's3cret')).toBe('+OK\r\n');
    const d = await RawClient.connect(srv.port);
    expect(await d.call('GET', 'x')).toBe('-NOAUTH Authentication required.\r\n');
    expect(await d.call('AUTH', 'wrong')).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    const hello = await d.call('HELLO', '3', 'AUTH', 'default', 's3cret');
    expect(hello.startsWith('%7\r\n')).toBe(true);
    expect(await d.call('GET', 'missing')).toBe('_\r\n');
    expect(await c.call('CONFIG', 'SET', 'requirepass', '')).toBe('+OK\r\n');
    c.close();
    d.close();
  });

  it('CLIENT KILL TYPE normal spares the caller', async () => {
    const a = await RawClient.connect(srv.port);
    const b = await RawClient.connect(srv.port);
    await b.call('PING');
    const n = await a.call('CLIENT', 'KILL', 'TYPE', 'normal');
    expect(Number(n.slice(1))).toBeGreaterThanOrEqual(1);
    await b.closed();
    expect(await a.call('PING')).toBe('+PONG\r\n');
    a.close();
  });
});

describe('ringcache-server process lifecycle', () => {
  it('exits 0 on SIGTERM', async () => {
    const s = await startRingcache();
    const code = await s.stop();
    expect(code).toBe(0);
    expect(s.output()).toMatch(/ready to exit/);
  });

  it('refuses a bad configuration with exit code 1 and a clear message', () => {
    const r = spawnSync(process.execPath, [RINGCACHE_BIN, '--port', '0', '--maxmemory', 'lots'], { encoding: 'utf8', timeout: 10000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/FATAL CONFIG.*maxmemory.*memory value/s);
    const u = spawnSync(process.execPath, [RINGCACHE_BIN, '--no-such-option', '1'], { encoding: 'utf8', timeout: 10000 });
    expect(u.status).toBe(1);
    expect(u.stderr).toMatch(/no-such-option/);
  });
});
