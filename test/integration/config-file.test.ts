/**
 * redis.conf parity on the real binary: include (plain and glob), rename-command, start-up
 * warnings for directives the node does not act on, pidfile, logfile, unixsocket/unixsocketperm,
 * daemonize; CONFIG REWRITE's line-preserving rewrite; the replication role persisted only through
 * CONFIG REWRITE (no state file in the working directory); CONFIG SET port rebinding.
 */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../helpers/poll.js';
import { RawClient } from '../helpers/raw-client.js';
import { RINGCACHE_BIN, freePort, startRingcache, type ServerProcess } from '../helpers/processes.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const servers: ServerProcess[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await new Promise((r) => c.once('exit', r));
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ringcache-conf-'));
  dirs.push(d);
  return d;
}


/** True when the node accepts a connection and answers PING with PONG (start hooks done, not loading). */
function answers(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    const done = (ok: boolean): void => {
      s.destroy();
      res(ok);
    };
    s.once('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n')) done(got.startsWith('+PONG'));
    });
    s.once('error', () => done(false));
    s.once('close', () => done(false));
  });
}

/** True once the node serves commands (it answers -LOADING until its start hooks ran). */
async function ready(port: number): Promise<boolean> {
  if (!(await answers(port))) return false;
  const c = await RawClient.connect(port);
  try {
    return (await c.call('PING')) === '+PONG\r\n';
  } finally {
    c.close();
  }
}

/** Starts the binary with a config file first, as redis-server is started. */
async function startWithFile(file: string, port: number, extra: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [RINGCACHE_BIN, file, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await until(`port ${port}`, () => {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${out}`);
    return ready(port);
  });
  return child;
}

async function stopChild(child: ChildProcess): Promise<number | null> {
  child.kill('SIGTERM');
  return new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code))));
}

describe('config file directives', () => {
  it('include (glob), rename-command, warnings, pidfile, logfile, unixsocket', async () => {
    const dir = tempDir();
    const port = await freePort();
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'conf.d', 'a.conf'), 'maxmemory-policy allkeys-lru\n');
    writeFileSync(join(dir, 'conf.d', 'b.conf'), 'timeout 7\n');
    const sock = join(dir, 'node.sock');
    const file = join(dir, 'node.conf');
    writeFileSync(
      file,
      [
        '# ringcache test',
        `port ${port}`,
        `dir ${dir}`,
        'save ""',
        `include ${join(dir, 'conf.d', '*.conf')}`,
        `include ${join(dir, 'empty.d', '*.conf')}`,
        'rename-command flushdb badger',
        'rename-command keys ""',
        'hash-max-listpack-entries 64',
        'user alice on >secret ~* +@all',
        `pidfile ${join(dir, 'node.pid')}`,
        `logfile ${join(dir, 'node.log')}`,
        `unixsocket ${sock}`,
        'unixsocketperm 700',
      ].join('\n') + '\n',
    );
    const child = await startWithFile(file, port);
    expect(readFileSync(join(dir, 'node.pid'), 'utf8').trim()).toBe(String(child.pid));
    const log = readFileSync(join(dir, 'node.log'), 'utf8');
    expect(log).toMatch(/Directive 'hash-max-listpack-entries' is accepted for compatibility but has no effect/);
    const c = await RawClient.connect(port);
    expect(await c.call('ACL', 'USERS')).toBe('*2\r\n$5\r\nalice\r\n$7\r\ndefault\r\n');
    expect(await c.call('CONFIG', 'GET', 'maxmemory-policy')).toBe('*2\r\n$16\r\nmaxmemory-policy\r\n$11\r\nallkeys-lru\r\n');
    expect(await c.call('CONFIG', 'GET', 'timeout')).toBe('*2\r\n$7\r\ntimeout\r\n$1\r\n7\r\n');
    expect(await c.call('FLUSHDB')).toMatch(/^-ERR unknown command 'FLUSHDB'/);
    expect(await c.call('KEYS', '*')).toMatch(/^-ERR unknown command 'KEYS'/);
    expect(await c.call('BADGER')).toBe('+OK\r\n');
    c.close();
    expect(statSync(sock).mode & 0o777).toBe(0o700);
    const u = await new Promise<RawClient>((res, rej) => {
      const s = net.connect(sock, () => res(RawClient.fromSocket(s)));
      s.once('error', rej);
    });
    expect(await u.call('PING')).toBe('+PONG\r\n');
    const info = await u.call('CLIENT', 'INFO');
    expect(info).toContain(`addr=${sock}:0 laddr=${sock}:0`);
    expect(info).toMatch(/flags=U /);
    u.close();
    expect(await stopChild(child)).toBe(0);
    expect(existsSync(join(dir, 'node.pid'))).toBe(false);
    expect(existsSync(sock)).toBe(false);
    expect(readFileSync(join(dir, 'node.log'), 'utf8')).toMatch(/Removing the pid file/);
  });

  it('refuses what Redis refuses, naming the line', () => {
    const dir = tempDir();
    const run = (text: string): string => {
      writeFileSync(join(dir, 'bad.conf'), text);
      const r = spawnSync(process.execPath, [RINGCACHE_BIN, join(dir, 'bad.conf')], { encoding: 'utf8', timeout: 10_000 });
      expect(r.status).toBe(1);
      return r.stderr;
    };
    expect(run('port 1 2\n')).toMatch(/bad\.conf:1: 'port 1 2': wrong number of arguments/);
    expect(run('port 0\nrename-command nosuchcommand x\n')).toMatch(/No such command in rename-command/);
    expect(run('port 0\nrename-command get set\n')).toMatch(/Target command name already exists/);
    expect(run(`include ${join(dir, 'missing.conf')}\n`)).toMatch(/can't open config file/);
    expect(run('sentinel monitor m 127.0.0.1 6379 2\n')).toMatch(/sentinel directive while not in sentinel mode/);
  });

  it('daemonize: the command returns, the detached node writes its pidfile and serves', async () => {
    const dir = tempDir();
    const port = await freePort();
    const pidfile = join(dir, 'd.pid');
    const r = spawnSync(
      process.execPath,
      [RINGCACHE_BIN, '--port', String(port), '--daemonize', 'yes', '--pidfile', pidfile, '--logfile', join(dir, 'd.log'), '--dir', dir, '--save', ''],
      { encoding: 'utf8', timeout: 10_000 },
    );
    expect(r.status).toBe(0);
    await until('the daemon', async () => existsSync(pidfile) && (await ready(port)));
    const pid = Number(readFileSync(pidfile, 'utf8'));
    try {
      const c = await RawClient.connect(port);
      expect(await c.call('PING')).toBe('+PONG\r\n');
      c.send(['SHUTDOWN', 'NOSAVE']);
      await until('the pid file removed', () => !existsSync(pidfile));
      await until('the daemon to exit', () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      });
    } finally {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  });
});

describe('CONFIG REWRITE', () => {
  it('keeps comments and order, rewrites only changed directives, writes no defaults', async () => {
    const dir = tempDir();
    const port = await freePort();
    const file = join(dir, 'node.conf');
    const original = [
      '# Top comment',
      `port ${port}`,
      '',
      '# Memory',
      'maxmemory 10mb',
      'maxmemory-policy allkeys-lru',
      '',
      '# Replicas',
      'slave-read-only yes',
      'save 900 1',
      '',
      'save 300 10',
      'rename-command debug ""',
      '# End',
    ].join('\n');
    writeFileSync(file, original + '\n');
    const child = await startWithFile(file, port, ['--dir', dir]);
    const c = await RawClient.connect(port);
    for (const [k, v] of [
      ['maxmemory', '20mb'],
      ['timeout', '5'],
      ['notify-keyspace-events', 'KEA'],
      ['client-output-buffer-limit', 'pubsub 1mb 512kb 30'],
      ['replica-read-only', 'no'],
      ['save', '60 100'],
      ['hz', '10'],
    ]) {
      expect(await c.call('CONFIG', 'SET', k!, v!), `${k} ${v}`).toBe('+OK\r\n');
    }
    expect(await c.call('REPLICAOF', '127.0.0.1', '1')).toBe('+OK\r\n');
    expect(await c.call('CONFIG', 'REWRITE')).toBe('+OK\r\n');
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '# Top comment',
        `port ${port}`,
        '',
        '# Memory',
        'maxmemory 20mb',
        'maxmemory-policy allkeys-lru',
        '',
        '# Replicas',
        'replica-read-only no',
        'save 60 100',
        '',
        'rename-command debug ""',
        '# End',
        '',
        '# Generated by CONFIG REWRITE',
        'timeout 5',
        `dir "${dir}"`,
        'replicaof 127.0.0.1 1',
        'notify-keyspace-events "AKE"',
        'client-output-buffer-limit pubsub 1mb 512kb 30',
        // The ACL users, as Redis writes them (no aclfile).
        'user default on nopass ~* &* +@all',
        '',
      ].join('\n'),
    );
    // Back to master: the replicaof line goes; a second rewrite changes nothing else.
    expect(await c.call('REPLICAOF', 'NO', 'ONE')).toBe('+OK\r\n');
    expect(await c.call('CONFIG', 'REWRITE')).toBe('+OK\r\n');
    const second = readFileSync(file, 'utf8');
    expect(second).not.toMatch(/replicaof/);
    // (As in Redis, the client-output-buffer-limit classes reuse the existing line in class order.)
    for (const line of ['timeout 5', 'notify-keyspace-events "AKE"', 'client-output-buffer-limit pubsub 1mb 512kb 30', '# Top comment', '# End']) {
      expect(second).toContain(`${line}\n`);
    }
    c.close();
    expect(await stopChild(child)).toBe(0);
    // The rewritten file starts the node with the same settings.
    const again = await startWithFile(file, port, ['--dir', dir]);
    const d = await RawClient.connect(port);
    expect(await d.call('CONFIG', 'GET', 'maxmemory')).toBe(`*2\r\n$9\r\nmaxmemory\r\n$8\r\n${20 * 1024 * 1024}\r\n`);
    expect(await d.call('CONFIG', 'GET', 'client-output-buffer-limit')).toMatch(/pubsub 1048576 524288 30/);
    expect(await d.call('CONFIG', 'GET', 'save')).toBe('*2\r\n$4\r\nsave\r\n$6\r\n60 100\r\n');
    expect(await d.call('DEBUG', 'HELP')).toMatch(/^-ERR unknown command 'DEBUG'/);
    d.close();
    await stopChild(again);
  });

  it('without a config file: Redis\'s error', async () => {
    const srv = await startRingcache();
    servers.push(srv);
    const c = await RawClient.connect(srv.port);
    expect(await c.call('CONFIG', 'REWRITE')).toBe('-ERR The server is running without a config file\r\n');
    c.close();
  });
});

describe('role persistence', () => {
  it('a replica restarted with its rewritten config file comes back a replica; no state file in its directory', async () => {
    const master = await startRingcache();
    servers.push(master);
    const dir = tempDir();
    const port = await freePort();
    const file = join(dir, 'replica.conf');
    writeFileSync(file, `port ${port}\ndir ${dir}\nsave ""\n`);
    const child = await startWithFile(file, port);
    const c = await RawClient.connect(port);
    // As Sentinel reconfigures a node: SLAVEOF and CONFIG REWRITE in one transaction.
    expect(await c.call('MULTI')).toBe('+OK\r\n');
    expect(await c.call('SLAVEOF', '127.0.0.1', String(master.port))).toBe('+QUEUED\r\n');
    expect(await c.call('CONFIG', 'REWRITE')).toBe('+QUEUED\r\n');
    expect(await c.call('EXEC')).toBe('*2\r\n+OK\r\n+OK\r\n');
    c.close();
    expect(readFileSync(file, 'utf8')).toContain(`replicaof 127.0.0.1 ${master.port}`);
    expect(await stopChild(child)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['replica.conf']);
    const again = await startWithFile(file, port);
    const d = await RawClient.connect(port);
    await until('the link up', async () => /master_link_status:up/.test(await d.call('INFO', 'replication')));
    expect(await d.call('ROLE')).toMatch(new RegExp(`^\\*5\\r\\n\\$5\\r\\nslave\\r\\n\\$9\\r\\n127\\.0\\.0\\.1\\r\\n:${master.port}\\r\\n`));
    d.close();
    await stopChild(again);
  });

  it('a node started in a directory with an old ringcache-role.conf stays a master', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ringcache-role.conf'), 'replicaof 127.0.0.1 1\n');
    const srv = await startRingcache({ dir });
    servers.push(srv);
    const c = await RawClient.connect(srv.port);
    expect(await c.call('ROLE')).toMatch(/^\*3\r\n\$6\r\nmaster\r\n/);
    c.close();
  });
});

describe('CONFIG SET port', () => {
  it('moves the listener; a port in use is refused and nothing changes', async () => {
    const srv = await startRingcache();
    servers.push(srv);
    const c = await RawClient.connect(srv.port);
    const next = await freePort();
    expect(await c.call('CONFIG', 'SET', 'port', String(next))).toBe('+OK\r\n');
    await until('the old port closed', async () => !(await answers(srv.port)));
    const d = await RawClient.connect(next);
    expect(await d.call('CONFIG', 'GET', 'port')).toBe(`*2\r\n$4\r\nport\r\n$${String(next).length}\r\n${next}\r\n`);
    const blocker = net.createServer();
    const busy = await freePort();
    await new Promise<void>((r) => blocker.listen(busy, '127.0.0.1', () => r()));
    try {
      expect(await d.call('CONFIG', 'SET', 'maxmemory', '1000', 'port', String(busy))).toBe(
        "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port\r\n",
      );
      expect(await d.call('CONFIG', 'GET', 'maxmemory')).toBe('*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
      expect(await d.call('PING')).toBe('+PONG\r\n');
    } finally {
      blocker.close();
      c.close();
      d.close();
    }
    // srv.stop() signals the process: the port it started on no longer matters.
  });
});
