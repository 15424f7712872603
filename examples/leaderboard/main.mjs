// Daily leaderboards over a fleet of three ringcache-server nodes, with sorted sets and no SORT.
//
// Each game mode has one board per day, `leaderboard:<mode>:<day>`, a sorted set of player → score
// that expires two days after the day ends, so old boards clean themselves up; the ring spreads
// the boards over the shards. A score event is one script: ZINCRBY, then the player's new rank and the board's
// size, and the expiry set on the board's first write. Queries: the top N with scores (ZREVRANGE
// … WITHSCORES), a player's rank (ZREVRANK) and neighbours (ZREVRANGE around the rank).
// Everything is checked against a plain in-memory model of the same events.
// Exits 0 when every check holds, 1 otherwise.
import { RingClient } from 'ringcache';
import { startFleet } from '../cache-aside/fleet.mjs';
import { Checks } from '../shared/checks.mjs';

const SCORE = `
local score = redis.call('ZINCRBY', KEYS[1], ARGV[2], ARGV[1])
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIREAT', KEYS[1], ARGV[3]) end
return {score, redis.call('ZREVRANK', KEYS[1], ARGV[1]), redis.call('ZCARD', KEYS[1])}`;

const DAY_MS = 86_400_000;
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
// Today's boards and the two days before (older ones have expired), one per game mode.
const DAYS = [2, 1, 0].flatMap((back) =>
  ['solo', 'duo', 'squad'].map((mode) => `${mode}:${new Date(today - back * DAY_MS).toISOString().slice(0, 10)}`),
);
const PLAYERS = 500;
const EVENTS = 9000;
const TOP = 10;

const checks = new Checks('leaderboard');
const check = (ok, what) => checks.check(ok, what);

/** Redis orders equal scores by member, descending for ZREVRANGE. */
function modelTop(board, n) {
  return [...board.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? 1 : x[0] > y[0] ? -1 : 0)).slice(0, n);
}

const nodes = await startFleet(3);
const client = new RingClient({ shards: nodes.map((n, i) => ({ name: `lb-${i}`, master: `127.0.0.1:${n.port}` })) });
try {
  const score = client.script(SCORE);
  const model = new Map(DAYS.map((d) => [d, new Map()]));
  const random = Math.random;
  const expireAt = (board) => Date.parse(`${board.slice(board.indexOf(':') + 1)}T00:00:00Z`) + 3 * DAY_MS;
  let lastReply = null;
  for (let i = 0; i < EVENTS; i += 100) {
    // 100 events at a time, concurrently, as a game server would send them.
    const batch = Array.from({ length: 100 }, () => {
      const day = DAYS[Math.floor(random() * DAYS.length)];
      // Skewed popularity: a few players play (and score) much more than the others.
      const player = `player:${Math.floor(PLAYERS * random() ** 2)}`;
      const points = 1 + Math.floor(random() * 50);
      const board = model.get(day);
      board.set(player, (board.get(player) ?? 0) + points);
      return score.run([`leaderboard:${day}`], [player, points, expireAt(day)]);
    });
    lastReply = (await Promise.all(batch)).at(-1);
  }
  const shards = new Set(DAYS.map((d) => client.locate(`leaderboard:${d}`)));
  console.log(`${EVENTS} score events over ${DAYS.length} daily boards; boards on shards: ${DAYS.map((d) => client.locate(`leaderboard:${d}`)).join(', ')}`);
  check(shards.size > 1, 'the boards are spread over the shards');
  check(Array.isArray(lastReply) && lastReply.length === 3, 'a score event answers [new score, rank, board size] from one script');

  for (const day of DAYS) {
    const key = `leaderboard:${day}`;
    const board = model.get(day);
    // The client may hand WITHSCORES back as [member, score] pairs: flatten either shape.
    const top = (await client.call('ZREVRANGE', key, 0, TOP - 1, 'WITHSCORES')).flat().map(String);
    const expected = modelTop(board, TOP).flatMap(([p, s]) => [p, String(s)]);
    check(JSON.stringify(top) === JSON.stringify(expected), `${day}: top ${TOP} matches the model (leader ${top[0]} with ${top[1]})`);
    check(Number(await client.call('ZCARD', key)) === board.size, `${day}: ${board.size} players on the board`);
    const sorted = modelTop(board, board.size);
    const probe = sorted[Math.floor(sorted.length / 2)][0];
    const rank = Number(await client.call('ZREVRANK', key, probe));
    check(rank === Math.floor(sorted.length / 2), `${day}: ${probe} ranks #${rank + 1}`);
    const around = await client.call('ZREVRANGE', key, Math.max(0, rank - 2), rank + 2);
    check(around.includes(probe) && around.length === 5, `${day}: neighbours of ${probe}: ${around.join(', ')}`);
    const ttl = Number(await client.call('PTTL', key));
    check(ttl > 0 && Math.abs(Date.now() + ttl - expireAt(day)) < 5000, `${day}: the board expires two days after the day ends`);
  }
} finally {
  await client.close();
  await Promise.all(nodes.map((n) => n.stop()));
}
checks.finish();
