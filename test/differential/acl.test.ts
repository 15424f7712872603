/**
 * ACL differential: a seeded random sequence of ACL SETUSER rules (valid and malformed) and
 * commands run as those users (AUTH, keys, channels, subcommands, first arguments, scripts,
 * MULTI/EXEC, SORT BY/GET, ACL DRYRUN/GETUSER/LIST/LOG) on ringcache-server and redis-server,
 * every reply compared. Redis is the oracle.
 *
 * Normalised: single-command rules after the categories (Redis prints them in its command dict's
 * hash order, we in table order) are sorted; ACL LOG entries keep count, reason, context, object
 * and username (age and client info differ legitimately).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../helpers/differential.js';
import { HarnessError } from '../helpers/harness-error.js';
import { redisSkipReason, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { RawClient } from '../helpers/raw-client.js';
import { OURS_ONLY } from './extreme-args-runner.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

const USERS = ['u0', 'u1', 'u2'];
const PASSWORDS = ['p0', 'p1'];

const RULES = [
  'on', 'off', '>p0', '>p1', '<p0', '<p1', 'nopass', 'resetpass', 'reset',
  '~k*', '~k1', '%R~r*', '%W~w*', '%RW~m*', 'allkeys', 'resetkeys', '~*',
  '&ch*', '&ch1', 'allchannels', 'resetchannels', '&*',
  '+get', '-get', '+set', '+del', '+mget', '+publish', '+subscribe', '+eval', '+sort', '+lpush', '+multi', '+exec',
  '+@read', '-@read', '+@write', '-@write', '+@string', '-@string', '+@keyspace', '+@pubsub', '+@scripting', '+@dangerous',
  '-@dangerous', '+@admin', '+@all', '-@all', 'allcommands', 'nocommands', '+@fast', '-@slow', '+@hash', '+@list',
  '+config|get', '-config|get', '+config', '+client|id', '-client', '+select|0', '+select|1', '+acl|whoami', '-acl',
  '(~s* +set +get)', '(%R~k* +@read)', '(&ch2 +publish)', 'clearselectors',
];

/** Malformed rules: each refuses the whole SETUSER. */
const BAD_RULES = [
  'bogus', '+nosuchcmd', '-@nosuchcat', '#abc', '<nothere', '+acl|whoami|x', '+get|x|y', '%X~a', '(unclosed', '~a b',
];

const KEYS = ['k1', 'k2', 'r1', 'w1', 'm1', 's1', 'x1'];
const CHANNELS = ['ch1', 'ch2', 'other'];

function commandAsUser(rng: Rng): string[] {
  const k = (): string => rng.pick(KEYS);
  switch (rng.int(0, 20)) {
    case 0:
      return ['GET', k()];
    case 1:
      return ['SET', k(), 'v'];
    case 2:
      return ['SET', k(), 'v', 'GET'];
    case 3:
      return ['DEL', k(), k()];
    case 4:
      return ['MGET', k(), k(), k()];
    case 5:
      return ['PUBLISH', rng.pick(CHANNELS), 'hi'];
    case 6:
      return ['CONFIG', 'GET', 'maxmemory'];
    case 7:
      return ['SELECT', rng.pick(['0', '1'])];
    case 8:
      return ['ACL', 'WHOAMI'];
    case 9:
      return ['EVAL', "return redis.call('get', KEYS[1])", '1', k()];
    case 10:
      return ['EVAL', "return redis.pcall('set', KEYS[1], 'x')", '1', k()];
    case 11:
      return ['SORT', k(), 'BY', rng.pick(['w*', 'nosort'])];
    case 12:
      return ['LPUSH', k(), 'a'];
    case 13:
      return ['COPY', k(), k()];
    case 14:
      return ['EVAL', "return redis.acl_check_cmd('set', KEYS[1], 'x')", '1', k()];
    case 15:
      return ['HSET', k(), 'f', 'v'];
    case 16:
      return ['OBJECT', 'ENCODING', k()];
    case 17:
      return ['MULTI'];
    case 18:
      return ['EXEC'];
    case 19:
      return ['PUBSUB', 'NUMSUB', rng.pick(CHANNELS)];
    default:
      return ['LMOVE', k(), k(), 'LEFT', 'RIGHT'];
  }
}

function setuser(rng: Rng): string[] {
  const n = rng.int(1, 4);
  const rules: string[] = rng.bool(0.4) ? ['on', '>p0'] : [];
  for (let i = 0; i < n; i++) rules.push(rng.pick(RULES));
  if (rng.bool(0.15)) rules.splice(rng.int(0, rules.length), 0, rng.pick(BAD_RULES));
  return ['ACL', 'SETUSER', rng.pick(USERS), ...rules];
}

/** Sorts the single-command rules that follow the `±@category` rules in a rules string. */
function sortSingles(rules: string): string {
  return rules.replace(/((?:^| )[+-]@[a-z]+)((?: [+-][^@ (][^ ()]*)+)/g, (_m, head: string, tail: string) => head + ' ' + tail.trim().split(' ').sort().join(' '));
}

/** Rules without ringcache's own commands (OURS_ONLY: a category grants them on our side only). */
function withoutOwnCommands(rules: string): string {
  return rules
    .split(' ')
    .filter((r) => !((r.startsWith('+') || r.startsWith('-')) && OURS_ONLY.has(r.slice(1))))
    .join(' ');
}

function normalize(argv: readonly string[], reply: string): string {
  const sub = argv[0] === 'ACL' ? argv[1] : '';
  if (sub === 'LIST' || sub === 'GETUSER') {
    return reply.replace(/\$\d+\r\n([^\r]*)\r\n/g, (_m, s: string) => {
      const t = sortSingles(withoutOwnCommands(s));
      return `$${t.length}\r\n${t}\r\n`;
    });
  }
  if (sub === 'LOG') {
    return reply.replace(/\$11\r\nage-seconds\r\n\$\d+\r\n[^\r]*\r\n/g, '').replace(/\$11\r\nclient-info\r\n\$\d+\r\n[^\r]*\r\n/g, '');
  }
  return reply;
}

interface Side {
  admin: RawClient;
  user: RawClient;
}

async function side(p: ServerProcess): Promise<Side> {
  return { admin: await RawClient.connect(p.port), user: await RawClient.connect(p.port) };
}

describe.skipIf(skip !== null)('ACL differential against redis-server', () => {
  let ours: ServerProcess;
  let redis: ServerProcess;
  beforeAll(async () => {
    [ours, redis] = await Promise.all([startRingcache(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ours?.stop(), redis?.stop()]);
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seeded SETUSER rules and commands run as those users agree (seed ${seed})`, async () => {
      const a = await side(ours);
      const b = await side(redis);
      const history: string[] = [];
      let noperm = 0;
      let authOk = 0;
      try {
        for (const s of [a, b]) {
          await s.admin.call('FLUSHALL');
          await s.admin.call('ACL', 'LOG', 'RESET');
          for (const u of USERS) await s.admin.call('ACL', 'DELUSER', u);
        }
        const rng = new Rng(seed);
        for (let step = 0; step < 400; step++) {
          let who: 'admin' | 'user' = 'admin';
          let argv: string[];
          const r = rng.int(0, 9);
          if (r < 3) argv = setuser(rng);
          else if (r === 3) argv = ['AUTH', rng.pick(USERS), rng.pick(PASSWORDS)];
          else if (r === 4) {
            const sub = rng.bool(0.3) ? [rng.pick(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE']), rng.pick(CHANNELS), rng.pick(['ch*', 'ch1'])] : commandAsUser(rng);
            argv = ['ACL', 'DRYRUN', rng.pick(USERS), ...sub];
          }
          else if (r === 5) argv = rng.bool() ? ['ACL', 'GETUSER', rng.pick(USERS)] : rng.bool() ? ['ACL', 'LIST'] : ['ACL', 'LOG', '3'];
          else argv = commandAsUser(rng);
          if (r === 3 || r >= 6) who = 'user';
          history.push(`${who}: ${argv.map((x) => JSON.stringify(x)).join(' ')}`);
          const [ra, rb] = await Promise.all([a[who].call(...argv), b[who].call(...argv)]);
          if (rb.startsWith('-NOPERM') || rb.includes('The user executing the script')) noperm++;
          if (argv[0] === 'AUTH' && rb === '+OK\r\n') authOk++;
          const na = normalize(argv, ra);
          const nb = normalize(argv, rb);
          if (na !== nb) {
            throw new HarnessError(
              `ACL differential mismatch (seed ${seed}, step ${step})\ncommand: ${history[history.length - 1]}\n` +
                `ringcache: ${JSON.stringify(ra)}\nredis:     ${JSON.stringify(rb)}\nlast commands:\n  ${history.slice(-20).join('\n  ')}`,
            );
          }
        }
      } finally {
        for (const s of [a, b]) {
          s.admin.close();
          s.user.close();
        }
      }
      expect(history.length).toBe(400);
      // The sequence exercised both sides of the rules: users logged in and were refused.
      expect(authOk).toBeGreaterThan(0);
      expect(noperm).toBeGreaterThan(0);
    });
  }
});
