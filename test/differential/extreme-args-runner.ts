/**
 * The extreme-argument differential's runner: ringcache-server and real redis-server side by side,
 * the same dataset on both before every call, each call sent to both, replies compared by class
 * (error / not an error / connection closed / no reply) and by error text, counts kept per command.
 *
 * Invariants:
 * - both servers hold the same keys before each call: the dataset is re-seeded after any call that
 *   may write, and connection state is dropped (reconnect) after any call that may change it;
 * - a server that does not answer within `callTimeoutMs` is counted as hanging and restarted, so
 *   one hang costs one call, not the run;
 * - every process started here is stopped by `stop()`.
 */

import { ReplyError } from '../../src/errors.js';
import { decodeFrame, implementedCommands, redisCommandDocs, type CommandDoc } from '../helpers/command-docs.js';
import { RawClient } from '../helpers/raw-client.js';
import { startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { isKnownClassDiff, isKnownTextDiff } from './extreme-args-known.js';
import { describeValue, KEYS } from './extreme-args-pool.js';
import type { Pins } from './extreme-args-gen.js';

/** Never run: they stop the server, make the connection a replica or monitor, or repoint replication. */
const SKIP = new Set([
  'shutdown',
  'monitor',
  'sync',
  'psync',
  'replicaof',
  'slaveof',
  'failover',
  'debug',
  // Output suppression is the subject of node17b's tests; here it would hide every later reply.
  'client|reply',
  'acl|setuser',
  'acl|deluser',
  'acl|load',
  'acl|save',
  'module|load',
  'module|loadex',
]);

/**
 * ringcache's own commands: Redis has no oracle for them (it answers "unknown command"), so they
 * are not run here; each has its own tests (RINGCACHE.HOTKEYS: test/integration/hot-keys.test.ts).
 * Every implemented command Redis does not document must be listed (`unlistedOwnCommands`).
 */
export const OURS_ONLY: ReadonlySet<string> = new Set(['ringcache.hotkeys']);

/** Redis commands newer than the oracle (redis-server 7.0): CLIENT SETINFO (7.2; client libraries send it). */
export const NEWER_THAN_ORACLE: ReadonlySet<string> = new Set(['client|setinfo']);

/** Groups whose commands may change connection state (db, protocol, subscriptions, MULTI…). */
const STATEFUL_GROUPS = new Set(['connection', 'pubsub', 'transactions', 'server', 'scripting', 'cluster', 'sentinel']);

/** Commands that start background work a second call would be refused during. */
const BACKGROUND = new Set(['bgsave', 'bgrewriteaof', 'save']);

/** Parameters CONFIG SET may touch; restored after each call. */
const SAFE_PARAMS = ['hz', 'timeout', 'maxmemory-samples', 'lfu-log-factor', 'tracking-table-max-keys', 'notify-keyspace-events'];

const GETKEYS_TARGETS = ['zunionstore', 'set', 'lmpop', 'sort', 'xread', 'georadius', 'migrate', 'eval', 'zinter', 'sintercard', 'object', 'memory'];

export const PINS: Pins = {
  'config|set': { parameter: SAFE_PARAMS },
  'config|get': { parameter: ['hz', 'maxmemory*', '*'] },
  migrate: { host: ['127.0.0.1'], port: ['1'] },
  // Real command names, so the arguments after them reach the key extraction.
  'command|getkeys': { command: GETKEYS_TARGETS },
  'command|getkeysandflags': { command: GETKEYS_TARGETS },
  'command|info': { 'command-name': ['get', 'client|list', 'zadd', 'nosuch'] },
  'command|docs': { 'command-name': ['get', 'client|list', 'zadd', 'nosuch'] },
};

/** Commands that take seconds on redis-server too (PFSELFTEST: ten million HLL additions). */
export const SLOW: ReadonlySet<string> = new Set(['pfselftest']);

const UNPAUSE: readonly string[][] = [['CLIENT', 'UNPAUSE']];

/** EXTREME_ARGS_TRACE=1 prints every call before it is sent (to find a call that stalls a run). */
const TRACE = process.env.EXTREME_ARGS_TRACE === '1';

/** Server options both sides start with: a bound on one client's output, as Redis offers it. */
const SERVER_ARGS = { 'client-output-buffer-limit': 'normal 16mb 0 0' };

export type ReplyClass = { kind: 'error'; text: string } | { kind: 'value' } | { kind: 'closed' } | { kind: 'hang' };

export interface CommandCounts {
  calls: number;
  classDiffs: number;
  textDiffs: number;
  documented: number;
  hangs: number;
  internal: number;
  examples: string[];
}

function newCounts(): CommandCounts {
  return { calls: 0, classDiffs: 0, textDiffs: 0, documented: 0, hangs: 0, internal: 0, examples: [] };
}

function describeClass(r: ReplyClass): string {
  return r.kind === 'error' ? `-${JSON.stringify(r.text.length > 300 ? `${r.text.slice(0, 300)}…` : r.text)}` : r.kind;
}

/** The library FCALL and FCALL_RO find: `f` may write, `ro` is read-only. */
const LIBRARY = "#!lua name=lib\nredis.register_function('f', function(keys, args) return #keys end)\n" +
  "redis.register_function{function_name='ro', callback=function(keys, args) return #args end, flags={'no-writes'}}";

/** Seed commands; each runs only when our server implements it, so both datasets stay equal. */
function seedCommands(geoScores: string[]): string[][] {
  return [
    ['SET', KEYS.string, 'hello'],
    ['SET', KEYS.number, '42'],
    ['SET', KEYS.float, '1.5'],
    ['RPUSH', KEYS.list, 'a', 'b', 'c', '1', '2', '3'],
    ['HSET', KEYS.hash, 'a', '1', 'b', '2', 'f', '1.5', 'c', 'hello'],
    ['SADD', KEYS.set, 'a', 'b', 'c'],
    ['SADD', KEYS.intset, '1', '2', '3'],
    ['ZADD', KEYS.zset, '1', 'a', '2', 'b', '3', 'c'],
    ['ZADD', KEYS.lexzset, '0', 'a', '0', 'b', '0', 'c', '0', 'd'],
    ['ZADD', KEYS.geo, ...geoScores],
    ['XADD', KEYS.stream, '1-1', 'f', 'v'],
    ['XADD', KEYS.stream, '2-1', 'f', 'v'],
    ['PFADD', KEYS.hll, 'a', 'b', 'c'],
    // A group with one pending entry, so group commands reach their later arguments.
    ['XGROUP', 'CREATE', KEYS.stream, 'g', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', KEYS.stream, '>'],
    // FLUSHALL keeps functions; REPLACE restores the library a FUNCTION call may have changed.
    ['FUNCTION', 'LOAD', 'REPLACE', LIBRARY],
  ];
}

export interface RunnerOptions {
  callTimeoutMs?: number;
  log?: (line: string) => void;
}

export class ExtremeArgsRunner {
  readonly counts = new Map<string, CommandCounts>();
  docs = new Map<string, CommandDoc>();
  implemented = new Set<string>();
  private ours!: ServerProcess;
  private redis!: ServerProcess;
  private a!: RawClient;
  private b!: RawClient;
  private seeds: string[][] = [];
  private configA = new Map<string, string>();
  private configB = new Map<string, string>();
  private readonly callTimeoutMs: number;
  private readonly log: (line: string) => void;

  constructor(opts: RunnerOptions = {}) {
    this.callTimeoutMs = opts.callTimeoutMs ?? 10_000;
    this.log = opts.log ?? (() => {});
  }

  async start(): Promise<void> {
    [this.ours, this.redis] = await Promise.all([startRingcache({ args: SERVER_ARGS }), startRedis({ args: SERVER_ARGS })]);
    await this.connect();
    this.docs = await redisCommandDocs(this.b);
    this.implemented = await implementedCommands(this.a);
    await this.b.call('GEOADD', 'tmpgeo', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania');
    const geo = decodeFrame(Buffer.from(await this.b.call('ZRANGE', 'tmpgeo', '0', '-1', 'WITHSCORES'), 'latin1'));
    const pairs = Array.isArray(geo) ? geo.map(String) : [];
    const geoScores: string[] = [];
    for (let i = 0; i + 1 < pairs.length; i += 2) geoScores.push(pairs[i + 1]!, pairs[i]!);
    this.seeds = seedCommands(geoScores).filter((cmd) => this.implemented.has(cmd[0]!.toLowerCase()));
    this.configA = await this.readConfig(this.a);
    this.configB = await this.readConfig(this.b);
    await this.seed();
  }

  async stop(): Promise<void> {
    this.a?.close();
    this.b?.close();
    await Promise.all([this.ours?.stop(), this.redis?.stop()]);
  }

  /** Commands we implement that Redis does not document, listed neither in OURS_ONLY nor NEWER_THAN_ORACLE (none). */
  unlistedOwnCommands(): string[] {
    return [...this.implemented].filter((name) => !this.docs.has(name) && !OURS_ONLY.has(name) && !NEWER_THAN_ORACLE.has(name)).sort();
  }

  /** The commands under test: implemented by us, documented by Redis, not skipped; sorted. */
  commandsUnderTest(filter: readonly string[] = []): CommandDoc[] {
    const out: CommandDoc[] = [];
    for (const [name, doc] of this.docs) {
      if (!this.implemented.has(name) || SKIP.has(name)) continue;
      if (filter.length > 0 && !filter.includes(name)) continue;
      out.push(doc);
    }
    return out.sort((x, y) => x.fullName.localeCompare(y.fullName));
  }

  private async connect(): Promise<void> {
    this.a = await RawClient.connect(this.ours.port);
    this.b = await RawClient.connect(this.redis.port);
  }

  private async reconnect(): Promise<void> {
    this.a.close();
    this.b.close();
    await this.connect();
  }

  private async readConfig(client: RawClient): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const p of SAFE_PARAMS) {
      const v = decodeFrame(Buffer.from(await client.call('CONFIG', 'GET', p), 'latin1'));
      if (Array.isArray(v) && v.length === 2) out.set(p, String(v[1]));
    }
    return out;
  }

  private async pipeline(client: RawClient, cmds: string[][]): Promise<void> {
    for (const cmd of cmds) client.send(cmd);
    for (let i = 0; i < cmds.length; i++) await client.next(this.callTimeoutMs);
  }

  /** Both servers back to the seeded dataset and configuration. */
  private async seed(): Promise<void> {
    const restore = (cfg: Map<string, string>): string[][] => [...cfg].map(([k, v]) => ['CONFIG', 'SET', k, v]);
    await Promise.all([
      this.pipeline(this.a, [['CLIENT', 'UNPAUSE'], ...restore(this.configA), ['FLUSHALL'], ...this.seeds].filter((c) => this.runsOn(c, true))),
      this.pipeline(this.b, [['CLIENT', 'UNPAUSE'], ...restore(this.configB), ['FLUSHALL'], ...this.seeds]),
    ]);
  }

  private runsOn(cmd: readonly string[], ours: boolean): boolean {
    if (!ours) return true;
    const name = cmd[0]!.toLowerCase();
    return this.implemented.has(cmd.length > 1 && this.implemented.has(`${name}|${cmd[1]!.toLowerCase()}`) ? `${name}|${cmd[1]!.toLowerCase()}` : name);
  }

  private async restart(which: 'ours' | 'redis'): Promise<void> {
    this.a.close();
    this.b.close();
    if (which === 'ours') {
      await this.ours.kill();
      this.ours = await startRingcache({ args: SERVER_ARGS });
    } else {
      await this.redis.kill();
      this.redis = await startRedis({ args: SERVER_ARGS });
    }
    await this.connect();
  }

  /**
   * Sends one call and classifies its reply. `tail` (when not null) wraps the call in MULTI … EXEC
   * with the `tail` commands after it: blocking commands then answer at once, and CLIENT PAUSE is
   * undone in the same transaction (under PAUSE ALL, Redis postpones even CLIENT UNPAUSE).
   */
  private async send(client: RawClient, argv: string[], tail: readonly string[][] | null, timeoutMs: number): Promise<ReplyClass> {
    const classify = (v: unknown): ReplyClass => (v instanceof ReplyError ? { kind: 'error', text: v.message } : { kind: 'value' });
    try {
      if (tail === null) {
        client.send(argv);
        return classify(decodeFrame(await client.next(timeoutMs)));
      }
      client.send(['MULTI']);
      client.send(argv);
      for (const cmd of tail) client.send(cmd);
      client.send(['EXEC']);
      await client.next(timeoutMs);
      const queued = decodeFrame(await client.next(timeoutMs));
      for (let i = 0; i < tail.length; i++) await client.next(timeoutMs);
      const exec = decodeFrame(await client.next(timeoutMs));
      if (queued instanceof ReplyError) return classify(queued);
      return classify(Array.isArray(exec) ? exec[0] : exec);
    } catch (e) {
      return e instanceof Error && /no reply within/.test(e.message) ? { kind: 'hang' } : { kind: 'closed' };
    }
  }

  /** Runs one call on both servers, compares and counts; returns a report line when they differ. */
  async call(doc: CommandDoc, argv: string[], what: string): Promise<string | null> {
    const timeoutMs = SLOW.has(doc.fullName) ? this.callTimeoutMs * 6 : this.callTimeoutMs;
    const tail = doc.fullName === 'client|pause' ? UNPAUSE : doc.flags.has('blocking') || doc.fullName === 'wait' ? [] : null;
    if (TRACE) process.stderr.write(`${doc.fullName} [${what}] ${argv.map(describeValue).join(' ')}\n`);
    const [ra, rb] = await Promise.all([this.send(this.a, argv, tail, timeoutMs), this.send(this.b, argv, tail, timeoutMs)]);
    const counts = this.counts.get(doc.fullName) ?? newCounts();
    this.counts.set(doc.fullName, counts);
    counts.calls++;
    let diff: string | null = null;
    if (ra.kind === 'hang') counts.hangs++;
    if (ra.kind === 'error' && /internal error/.test(ra.text)) counts.internal++;
    if (ra.kind === 'error' && rb.kind === 'value' && isKnownClassDiff(doc.fullName, ra.text)) {
      counts.documented++;
    } else if (ra.kind !== rb.kind) {
      counts.classDiffs++;
      diff = 'class';
    } else if (ra.kind === 'error' && rb.kind === 'error' && ra.text !== rb.text) {
      if (isKnownTextDiff(doc.fullName, ra.text, rb.text)) counts.documented++;
      else {
        counts.textDiffs++;
        diff = 'text';
      }
    }
    let line: string | null = null;
    if (diff !== null || counts.internal > 0) {
      line = `${doc.fullName} [${what}] ${argv.map(describeValue).join(' ')}\n    ours:  ${describeClass(ra)}\n    redis: ${describeClass(rb)}`;
      if (counts.examples.length < 5 && diff !== null) counts.examples.push(line);
    }
    await this.after(doc, ra, rb);
    return diff === null ? null : line;
  }

  private async after(doc: CommandDoc, ra: ReplyClass, rb: ReplyClass): Promise<void> {
    if (ra.kind === 'hang') {
      this.log(`ringcache-server did not answer ${doc.fullName} within ${this.callTimeoutMs} ms: restarting it`);
      await this.restart('ours');
    }
    if (rb.kind === 'hang') await this.restart('redis');
    const lost = (r: ReplyClass): boolean => r.kind === 'closed' || r.kind === 'hang';
    const stateful = STATEFUL_GROUPS.has(doc.group) || lost(ra) || lost(rb);
    if (stateful) await this.reconnect();
    const writes = doc.flags.has('write') || doc.flags.has('may_replicate') || stateful;
    if (BACKGROUND.has(doc.fullName)) await Promise.all([this.idle(this.a), this.idle(this.b)]);
    if (writes) await this.seed();
  }

  /** Waits (bounded) until a server runs no background save or rewrite, so the next one is not refused. */
  private async idle(client: RawClient): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const info = String(decodeFrame(Buffer.from(await client.call('INFO', 'persistence'), 'latin1')));
      if (!/(rdb_bgsave_in_progress|aof_rewrite_in_progress|aof_rewrite_scheduled):1/.test(info)) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
