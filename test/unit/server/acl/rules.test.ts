/**
 * ACL rules without a server: rules and their Redis error codes, selectors, key/channel checks
 * from key specs, the precomputed per-command verdicts, the ACL file parser, the ACL LOG bound
 * and grouping; and the property that a user's description, applied to a fresh user, rebuilds
 * exactly the same permissions (ACL LIST / ACL SAVE round trip).
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupCommand } from '../../../../src/commands/registry.js';
import type { CommandSpec } from '../../../../src/commands/spec.js';
import { AclLog } from '../../../../src/server/acl/acl-log.js';
import { parseAclFile } from '../../../../src/server/acl/acl-file.js';
import { mergeSelectorArgs } from '../../../../src/server/acl/acl-state.js';
import { Acl, checkCommand } from '../../../../src/server/acl/check.js';
import { describeUser } from '../../../../src/server/acl/describe.js';
import { AclUser } from '../../../../src/server/acl/user.js';

function spec(name: string, sub?: string): CommandSpec {
  const top = lookupCommand(name)!;
  return sub === undefined ? top : top.subcommands!.get(sub)!;
}

function user(...rules: string[]): AclUser {
  const u = new AclUser('u', 0);
  for (const r of mergeSelectorArgs(rules) as string[]) expect(u.apply(r, 0)).toBeNull();
  u.refresh();
  return u;
}

function verdict(u: AclUser, argv: string[], sub = false): number {
  return checkCommand(u, sub ? spec(argv[0]!, argv[1]!.toLowerCase()) : spec(argv[0]!.toLowerCase()), argv).code;
}

describe('ACL rules', () => {
  it('refuses malformed rules with Redis error codes and leaves the user unchanged', () => {
    const u = new AclUser('u', 0);
    expect(u.apply('bogus', 0)).toBe('EINVAL');
    expect(u.apply('+nosuch', 0)).toBe('ENOENT');
    expect(u.apply('-@nosuch', 0)).toBe('ENOENT');
    expect(u.apply('#abc', 0)).toBe('EBADMSG');
    expect(u.apply('<nothere', 0)).toBe('ENODEV');
    expect(u.apply('+acl|whoami|x', 0)).toBe('ECHILD');
    expect(u.apply('+select|0|1', 0)).toBe('ENOENT');
    expect(u.apply('%X~a', 0)).toBe('EINVAL');
    expect(u.apply('allkeys', 0)).toBeNull();
    expect(u.apply('~a', 0)).toBe('EEXIST');
    expect(u.apply('&*', 0)).toBeNull();
    expect(u.apply('&a', 0)).toBe('EISDIR');
    expect(mergeSelectorArgs(['(~a', '+get'])).toBe(0);
    expect(mergeSelectorArgs(['(~a', '+get)', 'on'])).toEqual(['(~a +get)', 'on']);
  });

  it('checks commands, subcommands, first arguments, keys by read/write flags and channels', () => {
    const u = user('on', '%R~r*', '%W~w*', '~rw*', '+get', '+set', '+copy', '+config|get', '+select|0', '+publish', '&news*');
    expect(verdict(u, ['GET', 'r1'])).toBe(Acl.OK);
    expect(verdict(u, ['GET', 'w1'])).toBe(Acl.DENIED_KEY);
    expect(verdict(u, ['SET', 'w1', 'v'])).toBe(Acl.OK);
    expect(verdict(u, ['SET', 'w1', 'v', 'GET'])).toBe(Acl.DENIED_KEY); // GET needs read too
    expect(verdict(u, ['SET', 'rw1', 'v', 'GET'])).toBe(Acl.OK);
    expect(verdict(u, ['COPY', 'r1', 'w1'])).toBe(Acl.OK);
    expect(verdict(u, ['COPY', 'w1', 'r1'])).toBe(Acl.DENIED_KEY);
    expect(verdict(u, ['DEL', 'w1'])).toBe(Acl.DENIED_CMD);
    expect(verdict(u, ['CONFIG', 'GET', 'x'], true)).toBe(Acl.OK);
    expect(verdict(u, ['CONFIG', 'SET', 'x', 'y'], true)).toBe(Acl.DENIED_CMD);
    expect(verdict(u, ['SELECT', '0'])).toBe(Acl.OK);
    expect(verdict(u, ['SELECT', '1'])).toBe(Acl.DENIED_CMD);
    expect(verdict(u, ['PUBLISH', 'news1', 'x'])).toBe(Acl.OK);
    expect(verdict(u, ['PUBLISH', 'sport', 'x'])).toBe(Acl.DENIED_CHANNEL);
  });

  it('a selector allows what the root refuses; the verdict table is one lookup for unrestricted commands', () => {
    const u = user('on', '~app:*', '+get', '(', '~logs:*', '+set', ')');
    expect(verdict(u, ['GET', 'app:1'])).toBe(Acl.OK);
    expect(verdict(u, ['SET', 'logs:1', 'v'])).toBe(Acl.OK);
    expect(verdict(u, ['SET', 'app:1', 'v'])).toBe(Acl.DENIED_KEY);
    expect(verdict(u, ['DEL', 'app:1'])).toBe(Acl.DENIED_CMD);
    // Key patterns leave GET to the full check; allkeys + command opens it in the table.
    expect(u.open[spec('get').id]).toBe(0);
    const v = user('on', 'allkeys', '+get', '-set');
    expect(v.open[spec('get').id]).toBe(1);
    expect(v.open[spec('set').id]).toBe(0);
    expect(v.open[spec('auth').id]).toBe(1);
  });

  it('describes a user so that applying the text rebuilds the same permissions', () => {
    const RULES = [
      'on', 'off', 'nopass', '>a', '>b', 'resetpass', '~k*', '%R~r*', '%W~w*', 'allkeys', 'resetkeys', '&c*', 'allchannels',
      'resetchannels', '+get', '-get', '+@read', '-@read', '+@write', '-@dangerous', '+@all', '-@all', '+config|get',
      '-config', '+select|0', '+client', '-client|kill', '(~s* +set)', '(%R~x* +@read -get)', 'clearselectors', 'reset',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...RULES), { maxLength: 12 }), (rules) => {
        const a = new AclUser('a', 0);
        for (const r of rules) a.apply(r, 0);
        a.refresh();
        const text = describeUser(a);
        const b = new AclUser('b', 0);
        for (const r of mergeSelectorArgs(text.trim().split(' ')) as string[]) expect(b.apply(r, 0)).toBeNull();
        b.refresh();
        expect(describeUser(b)).toBe(text);
        expect(Buffer.from(b.open)).toEqual(Buffer.from(a.open));
      }),
      { numRuns: 300 },
    );
  });
});

describe('ACL file and log', () => {
  it('parses users and reports every bad line with Redis texts', () => {
    const ok = parseAclFile('user alice on >pw ~* +get\n\nuser bob off\n', 'f.acl', (n) => new AclUser(n, 0), 0);
    expect('users' in ok && [...ok.users.keys()]).toEqual(['alice', 'bob']);
    const bad = parseAclFile('user a +nosuch\nuser a on\nhello\nuser b bogus bogus\n', 'f.acl', (n) => new AclUser(n, 0), 0);
    expect('error' in bad && bad.error).toBe(
      "f.acl:1: Error in applying operation '+nosuch': Unknown command or category name in ACL. WARNING: Duplicate user 'a' found on line 2. " +
        'f.acl:3 should start with user keyword followed by the username. f.acl:4: Syntax error. ' +
        'WARNING: ACL errors detected, no change to the previously active ACL rules was performed',
    );
  });

  it('ACL LOG groups repeats within 60 s and keeps at most maxLen entries', () => {
    const log = new AclLog();
    log.maxLen = 2;
    log.add(Acl.DENIED_CMD, 'toplevel', 'get', 'u', 'c1', 0);
    log.add(Acl.DENIED_CMD, 'toplevel', 'get', 'u', 'c2', 1000);
    expect(log.length).toBe(1);
    log.add(Acl.DENIED_CMD, 'toplevel', 'get', 'u', 'c3', 70_000);
    log.add(Acl.DENIED_KEY, 'multi', 'k', 'u', 'c4', 70_001);
    expect(log.length).toBe(2);
  });
});
