/**
 * ACLs on the real binary: users from the aclfile survive a restart (ACL SAVE, then a new process
 * loads them; ACL LOAD after an edit; a broken file changes nothing); `user` lines in the config
 * file; users in both places, or a broken aclfile, stop the node at start-up (exit code 1);
 * deleted and reloaded users' clients are disconnected; a subscriber losing its channel is
 * disconnected; `requirepass` is the default user's password; ACL LOG is bounded by
 * `acllog-max-len`; scripts and EXEC check the caller's permissions.
 */

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { failedStart, startRingcache, type ServerProcess } from '../helpers/processes.js';

const servers: ServerProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ringcache-acl-'));
  dirs.push(d);
  return d;
}

async function start(args: Record<string, string | number>, dir?: string, configFile?: string): Promise<ServerProcess> {
  const s = await startRingcache({ args, ...(dir !== undefined ? { dir } : {}), ...(configFile !== undefined ? { configFile } : {}) });
  servers.push(s);
  return s;
}

const OK = '+OK\r\n';

describe('ACL on ringcache-server', () => {
  it('aclfile: ACL SAVE persists users across a restart; ACL LOAD applies an edit; a broken file changes nothing', async () => {
    const dir = tempDir();
    const aclfile = join(dir, 'users.acl');
    writeFileSync(aclfile, '');
    let s = await start({ aclfile }, dir);
    let c = await RawClient.connect(s.port);
    expect(await c.call('ACL', 'SETUSER', 'alice', 'on', '>secret', '~app:*', '+@read', '+set', '(%R~logs:* +get)')).toBe(OK);
    expect(await c.call('ACL', 'SAVE')).toBe(OK);
    const saved = readFileSync(aclfile, 'latin1');
    expect(saved).toMatch(/^user alice on #[0-9a-f]{64} ~app:\* resetchannels -@all \+@read .*\(%R~logs:\* resetchannels -@all \+get\)\n/m);
    expect(saved).not.toContain('secret');
    c.close();
    await s.stop();
    servers.splice(servers.indexOf(s), 1);

    s = await start({ aclfile }, dir);
    c = await RawClient.connect(s.port);
    expect(await c.call('AUTH', 'alice', 'secret')).toBe(OK);
    expect(await c.call('SET', 'app:1', 'v')).toBe(OK);
    expect(await c.call('GET', 'logs:1')).toBe('$-1\r\n');
    expect(await c.call('SET', 'logs:1', 'v')).toBe('-NOPERM this user has no permissions to access one of the keys used as arguments\r\n');
    expect(await c.call('DEL', 'app:1')).toBe("-NOPERM this user has no permissions to run the 'del' command\r\n");

    // An edit of the file is applied by ACL LOAD, and alice's connection is closed.
    const admin = await RawClient.connect(s.port);
    writeFileSync(aclfile, 'user default on nopass ~* &* +@all\nuser bob on >pw ~* +get\n');
    expect(await admin.call('ACL', 'LOAD')).toBe(OK);
    await c.closed();
    expect(await admin.call('ACL', 'USERS')).toBe('*2\r\n$3\r\nbob\r\n$7\r\ndefault\r\n');

    // A broken file: every error is reported and nothing changes.
    writeFileSync(aclfile, 'user carol on +nosuch\nuser dave bogus\nnotauser\n');
    const reply = await admin.call('ACL', 'LOAD');
    expect(reply).toContain("users.acl:1: Error in applying operation '+nosuch': Unknown command or category name in ACL.");
    expect(reply).toContain('users.acl:2: Syntax error.');
    expect(reply).toContain('users.acl:3 should start with user keyword followed by the username.');
    expect(reply).toContain('WARNING: ACL errors detected, no change to the previously active ACL rules was performed');
    expect(await admin.call('ACL', 'USERS')).toBe('*2\r\n$3\r\nbob\r\n$7\r\ndefault\r\n');
    admin.close();
  });

  it('start-up: users in the config file; both a config user and an aclfile, or a broken aclfile, exit with code 1', async () => {
    const dir = tempDir();
    const conf = join(dir, 'node.conf');
    writeFileSync(conf, 'user default on >adminpw ~* &* +@all\nuser reader on >r ~* -@all +get\n');
    const s = await start({}, dir, conf);
    const c = await RawClient.connect(s.port);
    expect(await c.call('GET', 'x')).toBe('-NOAUTH Authentication required.\r\n');
    expect(await c.call('AUTH', 'reader', 'r')).toBe(OK);
    expect(await c.call('GET', 'x')).toBe('$-1\r\n');
    expect(await c.call('AUTH', 'adminpw')).toBe(OK);
    expect(await c.call('ACL', 'WHOAMI')).toBe('$7\r\ndefault\r\n');
    // CONFIG REWRITE writes the users as ACL LIST prints them, in place of the old lines.
    expect(await c.call('ACL', 'SETUSER', 'writer', 'on', '>w', '~w:*', '+set')).toBe(OK);
    expect(await c.call('CONFIG', 'REWRITE')).toBe(OK);
    const rewritten = readFileSync(conf, 'latin1');
    expect(rewritten).toMatch(/^user default on sanitize-payload #[0-9a-f]{64} ~\* &\* \+@all\nuser reader on #[0-9a-f]{64} ~\* resetchannels -@all \+get\n/);
    expect(rewritten).toMatch(/\n# Generated by CONFIG REWRITE\n(.*\n)*user writer on #[0-9a-f]{64} ~w:\* resetchannels -@all \+set\n$/);
    c.close();

    const aclfile = join(dir, 'users.acl');
    writeFileSync(aclfile, 'user bob on nopass +get\n');
    const both = await failedStart([conf, '--aclfile', aclfile, '--dir', dir]);
    expect(both.code).toBe(1);
    expect(both.out).toContain('define either an ACL file or declare users directly in your redis.conf, but not both');

    writeFileSync(aclfile, 'user bob on nopass +nosuchcommand\n');
    const broken = await failedStart(['--aclfile', aclfile, '--dir', dir]);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('Aborting Redis startup because of ACL errors');

    const badRule = await failedStart(['--user', 'eve', 'on', '%Q~x', '--dir', dir]);
    expect(badRule.code).toBe(1);
    expect(badRule.out).toContain('Error in user declaration');
  });

  it('deleted users and revoked channels disconnect their clients; requirepass is the default user password', async () => {
    const s = await start({});
    const admin = await RawClient.connect(s.port);
    expect(await admin.call('ACL', 'SETUSER', 'alice', 'on', 'nopass', '~*', '&news', '+@all')).toBe(OK);
    const alice = await RawClient.connect(s.port);
    expect(await alice.call('AUTH', 'alice', 'x')).toBe(OK);
    const sub = await RawClient.connect(s.port);
    expect(await sub.call('AUTH', 'alice', 'x')).toBe(OK);
    expect(await sub.call('SUBSCRIBE', 'news')).toContain('subscribe');
    expect(await sub.call('PING')).toContain('pong');
    expect(await alice.call('SUBSCRIBE', 'sports')).toBe('-NOPERM this user has no permissions to access one of the channels used as arguments\r\n');

    // Removing `news` from alice closes the subscriber, not alice's other connection.
    expect(await admin.call('ACL', 'SETUSER', 'alice', 'resetchannels', '&weather')).toBe(OK);
    await sub.closed();
    expect(await alice.call('PING')).toBe('+PONG\r\n');

    expect(await admin.call('ACL', 'DELUSER', 'alice', 'nobody')).toBe(':1\r\n');
    await alice.closed();
    expect(await admin.call('ACL', 'DELUSER', 'default')).toBe("-ERR The 'default' user cannot be removed\r\n");

    expect(await admin.call('CONFIG', 'SET', 'requirepass', 'pw')).toBe(OK);
    const sha = createHash('sha256').update('pw').digest('hex');
    expect(await admin.call('ACL', 'GETUSER', 'default')).toContain(`$64\r\n${sha}\r\n`);
    const fresh = await RawClient.connect(s.port);
    expect(await fresh.call('GET', 'k')).toBe('-NOAUTH Authentication required.\r\n');
    expect(await fresh.call('AUTH', 'pw')).toBe(OK);
    expect(await admin.call('CONFIG', 'SET', 'requirepass', '')).toBe(OK);
    expect(await admin.call('ACL', 'LIST')).toBe('*1\r\n$34\r\nuser default on nopass ~* &* +@all\r\n');
    fresh.close();
    admin.close();
  });

  it('acl-pubsub-default decides the channels of new users; HELLO AUTH logs in as a user', async () => {
    const s = await start({ 'acl-pubsub-default': 'allchannels' });
    const c = await RawClient.connect(s.port);
    expect(await c.call('ACL', 'SETUSER', 'a', 'on', '>p', '+@all', '~*')).toBe(OK);
    expect(await c.call('CONFIG', 'SET', 'acl-pubsub-default', 'resetchannels')).toBe(OK);
    expect(await c.call('ACL', 'SETUSER', 'b', 'on', '>p', '+@all', '~*')).toBe(OK);
    const sha = createHash('sha256').update('p').digest('hex');
    const lines = [`user a on #${sha} ~* &* +@all`, `user b on #${sha} ~* resetchannels +@all`, 'user default on nopass ~* &* +@all'];
    expect(await c.call('ACL', 'LIST')).toBe(`*3\r\n${lines.map((l) => `$${l.length}\r\n${l}\r\n`).join('')}`);
    const h = await RawClient.connect(s.port);
    expect(await h.call('HELLO', '3', 'AUTH', 'b', 'wrong')).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    expect(await h.call('HELLO', '3', 'AUTH', 'b', 'p')).toMatch(/^%7\r\n/);
    expect(await h.call('ACL', 'WHOAMI')).toBe('$1\r\nb\r\n');
    h.close();
    c.close();
  });

  it('ACL LOG is bounded by acllog-max-len; scripts and EXEC check the caller', async () => {
    const s = await start({ 'acllog-max-len': 3 });
    const admin = await RawClient.connect(s.port);
    expect(await admin.call('ACL', 'SETUSER', 'bob', 'on', 'nopass', '~b*', '+get', '+eval', '+multi', '+exec', '+set')).toBe(OK);
    const bob = await RawClient.connect(s.port);
    expect(await bob.call('AUTH', 'bob', 'x')).toBe(OK);
    for (const k of ['a1', 'a2', 'a3', 'a4', 'a5']) await bob.call('GET', k);
    expect(await admin.call('ACL', 'LOG', '10')).toMatch(/^\*3\r\n/);
    expect(await admin.call('CONFIG', 'SET', 'acllog-max-len', '1')).toBe(OK);
    expect(await admin.call('ACL', 'LOG')).toMatch(/^\*1\r\n/);

    expect(await bob.call('EVAL', "return redis.call('get', 'a1')", '0')).toMatch(
      /^-ERR The user executing the script can't access at least one of the keys mentioned in the command arguments script: /,
    );
    expect(await bob.call('MULTI')).toBe(OK);
    expect(await bob.call('SET', 'b1', 'v')).toBe('+QUEUED\r\n');
    expect(await admin.call('ACL', 'SETUSER', 'bob', '-set')).toBe(OK);
    expect(await bob.call('EXEC')).toBe(
      '*1\r\n-NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: no permission to execute the command or subcommand\r\n',
    );
    bob.close();
    admin.close();
  });
});
