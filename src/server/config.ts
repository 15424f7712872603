/**
 * Server configuration: one table of parameters under their redis.conf names, their types,
 * defaults and validation, shared by the config file, `--name value` arguments and CONFIG GET/SET.
 *
 * Values are kept parsed (numbers, booleans, strings); `format` turns them back into the text
 * CONFIG GET prints (memory sizes as bytes, booleans as yes/no). Parameters Redis has but we do not
 * act on are accepted and stored as text ("harmless"), so tooling that sets them keeps working.
 * Listeners run after a successful change, so subsystems cache hot values instead of looking them up.
 */

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { globMatch } from './util/glob.js';
import { parseMemory } from './util/memory-units.js';
import { parseInteger } from './util/c-parse.js';
import { checkOutputLimits, mergeOutputLimits } from './util/output-limits.js';
import { checkShutdownOnSig, formatShutdownOnSig } from './util/shutdown-flags.js';

type ParamType = 'int' | 'memory' | 'bool' | 'string' | 'enum' | 'text';
export type ConfigValue = number | boolean | string;

interface Param {
  name: string;
  type: ParamType;
  default: ConfigValue;
  mutable: boolean;
  min?: number;
  max?: number;
  values?: readonly string[];
  aliases?: readonly string[];
  /** Extra validation for `text` parameters; returns an error message or null. */
  check?: (v: string) => string | null;
  /** For `text` parameters set in parts: the stored value after setting `text` over `previous`. */
  merge?: (previous: string, text: string) => string;
  /** The upper bound as Redis prints it when it is beyond a double's exact range (LLONG_MAX). */
  maxText?: string;
  /** How CONFIG GET prints a `text` value, when Redis normalises it. */
  show?: (stored: string) => string;
  /** Takes several arguments (`save 60 100`); the others take exactly one in a config file. */
  multi?: boolean;
  /** Only an exact CONFIG GET name shows it, never a pattern (Redis HIDDEN_CONFIG). */
  hidden?: boolean;
  /** Accepted but not acted on: set in a config file or on the command line, it is warned about. */
  inert?: boolean;
  /** An empty value means "unset": CONFIG REWRITE then removes its lines (Redis EMPTY_STRING_IS_NULL). */
  nullIfEmpty?: boolean;
  /** Printed and parsed in octal (Redis OCTAL_CONFIG). */
  octal?: boolean;
}

/** What the config file loader and CONFIG REWRITE need to know about a parameter. */
export interface ParamInfo {
  readonly name: string;
  readonly type: ParamType;
  readonly multi: boolean;
  readonly inert: boolean;
  readonly nullIfEmpty: boolean;
  readonly aliases: readonly string[];
}

const MAXMEMORY_POLICIES = [
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'noeviction',
] as const;
export type MaxmemoryPolicy = (typeof MAXMEMORY_POLICIES)[number];

function p(name: string, type: ParamType, def: ConfigValue, extra: Partial<Param> = {}): Param {
  return { name, type, default: def, mutable: true, ...extra };
}

const INT_MAX = 2147483647;
/** LONG_MAX as a double (2^63): the bound of Redis's long and size_t parameters. */
const LONG_MAX = 2 ** 63;
const LLONG_MAX = '9223372036854775807';

function checkSave(v: string): string | null {
  const parts = v.trim() === '' ? [] : v.trim().split(/\s+/);
  if (parts.length % 2 !== 0) return 'Invalid save parameters';
  for (const x of parts) if (!/^\d+$/.test(x)) return 'Invalid save parameters';
  return null;
}

/** `dir` must be an existing directory (redis-server chdir()s into it and refuses otherwise). */
function checkDir(v: string): string | null {
  try {
    return statSync(v).isDirectory() ? null : 'Not a directory';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : String(err);
  }
}

/** Redis keyspaceEventsStringToFlags reads the value as a C string (up to a NUL). */
function checkNotify(v: string): string | null {
  return /^[KEg$lshzxetmdnA]*(\0|$)/.test(v) ? null : 'Invalid event class character. Use \'Ag$lshzxeKEtmdn\'.';
}

/** `notify-keyspace-events` as Redis prints it back (keyspaceEventsFlagsToString): `A` for all. */
function normalizeNotify(value: string): string {
  const text = value.split('\0')[0]!;
  const has = (ch: string): boolean => text.includes(ch);
  const all = has('A') || [...'g$lshzxetd'].every(has);
  const classes = all ? 'A' : [...'g$lshzxetdn'].filter(has).join('');
  return classes + (has('K') ? 'K' : '') + (has('E') ? 'E' : '') + (has('m') ? 'm' : '');
}

/** `maxmemory-clients`: a memory value or a percentage of maxmemory (Redis 7.0). */
function checkMemoryOrPercent(v: string): string | null {
  const pct = /^(\d+)%$/.exec(v);
  if (pct !== null) return Number(pct[1]) <= 100 ? null : 'percentage argument must be less or equal to 100';
  return parseMemory(v) === null ? 'argument must be a memory or percent value' : null;
}

function checkReplicaof(v: string): string | null {
  const t = v.trim();
  if (t === '' || /^no one$/i.test(t)) return null;
  const parts = t.split(/\s+/);
  if (parts.length !== 2 || !/^\d+$/.test(parts[1]!)) return 'replicaof needs <host> <port>';
  return null;
}

const PARAMS: readonly Param[] = [
  p('port', 'int', 6379, { min: 0, max: 65535 }),
  p('bind', 'text', '127.0.0.1', { multi: true }),
  p('protected-mode', 'bool', true),
  p('requirepass', 'string', '', { nullIfEmpty: true }),
  p('masterauth', 'string', '', { nullIfEmpty: true }),
  p('masteruser', 'string', '', { nullIfEmpty: true }),
  p('aclfile', 'string', '', { mutable: false }),
  p('acllog-max-len', 'int', 128, { min: 0, max: Number.MAX_SAFE_INTEGER, maxText: LLONG_MAX }),
  p('acl-pubsub-default', 'enum', 'resetchannels', { values: ['allchannels', 'resetchannels'] }),
  p('databases', 'int', 16, { min: 1, max: INT_MAX, mutable: false }),
  p('maxclients', 'int', 10000, { min: 1, max: INT_MAX }),
  p('timeout', 'int', 0, { min: 0, max: INT_MAX }),
  p('tcp-keepalive', 'int', 300, { min: 0, max: INT_MAX }),
  p('tcp-backlog', 'int', 511, { min: 0, max: INT_MAX, mutable: false }),
  p('hz', 'int', 10, { min: 0, max: INT_MAX }),
  p('dynamic-hz', 'bool', true, { inert: true }),
  p('loglevel', 'enum', 'notice', { values: ['debug', 'verbose', 'notice', 'warning', 'nothing'] }),
  p('logfile', 'string', '', { mutable: false }),
  p('pidfile', 'string', '', { mutable: false, nullIfEmpty: true }),
  p('daemonize', 'bool', false, { mutable: false }),
  p('dir', 'text', '.', { check: checkDir }),
  p('dbfilename', 'string', 'dump.rcdb'),
  p('appendonly', 'bool', false),
  p('appendfilename', 'string', 'appendonly.aof', { mutable: false }),
  p('appenddirname', 'string', 'appendonlydir', { mutable: false, inert: true }),
  p('appendfsync', 'enum', 'everysec', { values: ['everysec', 'always', 'no'] }),
  p('aof-load-truncated', 'bool', true),
  p('aof-use-rdb-preamble', 'bool', true, { inert: true }),
  p('auto-aof-rewrite-percentage', 'int', 100, { min: 0, max: INT_MAX }),
  p('auto-aof-rewrite-min-size', 'memory', 64 * 1024 * 1024),
  // Redis's test knobs (DEBUG_CONFIG in 7.0): slow saves and loading down, size loading slices.
  p('rdb-key-save-delay', 'int', 0, { min: -2147483648, max: INT_MAX, hidden: true }),
  p('key-load-delay', 'int', 0, { min: -2147483648, max: INT_MAX, hidden: true }),
  p('loading-process-events-interval-bytes', 'int', 2 * 1024 * 1024, { min: 1024, max: INT_MAX, hidden: true }),
  p('save', 'text', '3600 1 300 100 60 10000', { check: checkSave, multi: true }),
  p('stop-writes-on-bgsave-error', 'bool', true),
  p('rdbcompression', 'bool', true, { inert: true }),
  p('rdbchecksum', 'bool', true, { inert: true }),
  p('maxmemory', 'memory', 0),
  p('maxmemory-policy', 'enum', 'noeviction', { values: MAXMEMORY_POLICIES }),
  p('maxmemory-samples', 'int', 5, { min: 1, max: 2147483647 }),
  p('maxmemory-eviction-tenacity', 'int', 10, { min: 0, max: 100 }),
  p('lfu-log-factor', 'int', 10, { min: 0, max: INT_MAX }),
  p('lfu-decay-time', 'int', 1, { min: 0, max: INT_MAX }),
  p('replicaof', 'text', '', { aliases: ['slaveof'], mutable: false, check: checkReplicaof, multi: true }),
  p('replica-read-only', 'bool', true, { aliases: ['slave-read-only'] }),
  p('replica-serve-stale-data', 'bool', true, { aliases: ['slave-serve-stale-data'] }),
  p('replica-priority', 'int', 100, { aliases: ['slave-priority'], min: 0, max: INT_MAX }),
  p('replica-announce-ip', 'string', '', { aliases: ['slave-announce-ip'], nullIfEmpty: true }),
  p('replica-announce-port', 'int', 0, { aliases: ['slave-announce-port'], min: 0, max: 65535 }),
  p('replica-announced', 'bool', true),
  p('repl-backlog-size', 'memory', 1024 * 1024),
  p('repl-backlog-ttl', 'int', 3600, { min: 0, max: INT_MAX, inert: true }),
  p('repl-timeout', 'int', 60, { min: 1, max: INT_MAX, inert: true }),
  p('repl-ping-replica-period', 'int', 10, { aliases: ['repl-ping-slave-period'], min: 1, max: INT_MAX, inert: true }),
  p('repl-diskless-sync', 'bool', true, { inert: true }),
  p('repl-diskless-sync-delay', 'int', 5, { min: 0, max: INT_MAX, inert: true }),
  p('repl-diskless-load', 'enum', 'disabled', { values: ['disabled', 'on-empty-db', 'swapdb'], inert: true }),
  p('min-replicas-to-write', 'int', 0, { aliases: ['min-slaves-to-write'], min: 0, max: INT_MAX, inert: true }),
  p('min-replicas-max-lag', 'int', 10, { aliases: ['min-slaves-max-lag'], min: 0, max: INT_MAX, inert: true }),
  p('notify-keyspace-events', 'text', '', { check: checkNotify, show: normalizeNotify }),
  p('client-query-buffer-limit', 'memory', 1024 * 1024 * 1024, { min: 1024 * 1024 }),
  p(
    'client-output-buffer-limit',
    'text',
    'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    { check: checkOutputLimits, merge: mergeOutputLimits, multi: true },
  ),
  p('proto-max-bulk-len', 'memory', 512 * 1024 * 1024, { min: 1024 * 1024 }),
  p('hll-sparse-max-bytes', 'memory', 3000, { min: 0 }),
  p('tracking-table-max-keys', 'int', 1000000, { min: 0, max: LONG_MAX, maxText: LLONG_MAX }),
  p('stream-node-max-bytes', 'memory', 4096, { min: 0 }),
  p('stream-node-max-entries', 'int', 100, { min: 0, max: Number.MAX_SAFE_INTEGER }),
  p('slowlog-log-slower-than', 'int', 10000, { min: -1, max: Number.MAX_SAFE_INTEGER, maxText: LLONG_MAX }),
  p('slowlog-max-len', 'int', 128, { min: 0, max: Number.MAX_SAFE_INTEGER, maxText: LLONG_MAX }),
  p('latency-monitor-threshold', 'int', 0, { min: 0, max: Number.MAX_SAFE_INTEGER, maxText: LLONG_MAX }),
  p('latency-tracking', 'bool', true),
  p('enable-debug-command', 'enum', 'no', { values: ['no', 'yes', 'local'], mutable: false }),
  p('enable-protected-configs', 'enum', 'no', { values: ['no', 'yes', 'local'], mutable: false }),
  p('enable-module-command', 'enum', 'no', { values: ['no', 'yes', 'local'], mutable: false }),
  p('io-threads', 'int', 1, { min: 1, max: 128, mutable: false, inert: true }),
  p('shutdown-timeout', 'int', 10, { min: 0, max: INT_MAX }),
  p('shutdown-on-sigterm', 'text', 'default', { check: checkShutdownOnSig, show: formatShutdownOnSig, multi: true }),
  p('shutdown-on-sigint', 'text', 'default', { check: checkShutdownOnSig, show: formatShutdownOnSig, multi: true }),
  p('busy-reply-threshold', 'int', 5000, { aliases: ['lua-time-limit'], min: 0, max: INT_MAX, inert: true }),
  p('maxmemory-clients', 'text', '0', { check: checkMemoryOrPercent, inert: true }),
  p('tls-port', 'int', 0, { min: 0, max: 65535 }),
  ...['tls-cert-file', 'tls-key-file', 'tls-key-file-pass', 'tls-client-cert-file', 'tls-client-key-file', 'tls-client-key-file-pass',
    'tls-dh-params-file', 'tls-ca-cert-file', 'tls-ca-cert-dir', 'tls-protocols', 'tls-ciphers', 'tls-ciphersuites'].map((name) =>
    p(name, 'string', '', { nullIfEmpty: true }),
  ),
  p('tls-auth-clients', 'enum', 'yes', { values: ['no', 'yes', 'optional'] }),
  p('tls-replication', 'bool', false),
  p('tls-prefer-server-ciphers', 'bool', false),
  p('tls-session-caching', 'bool', true),
  p('tls-session-cache-size', 'int', 20 * 1024, { min: 0, max: INT_MAX }),
  p('tls-session-cache-timeout', 'int', 300, { min: 0, max: INT_MAX }),
  p('tls-cluster', 'bool', false, { inert: true }),
  // ringcache's own: the Prometheus endpoint (server/metrics/) and hot-key sampling (server/stats/).
  p('metrics-port', 'int', 0, { min: 0, max: 65535 }),
  p('metrics-bind', 'string', '127.0.0.1'),
  p('hotkeys-sampling', 'int', 16, { min: 0, max: 1_000_000 }),
  p('unixsocket', 'string', '', { mutable: false, nullIfEmpty: true }),
  p('unixsocketperm', 'int', 0, { min: 0, max: 0o777, mutable: false, octal: true }),
  // Accepted for compatibility; they tune Redis internals that ringcache does not have.
  ...[
    ['list-max-listpack-size', '-2', 'list-max-ziplist-size'],
    ['list-compress-depth', '0'],
    ['hash-max-listpack-entries', '128', 'hash-max-ziplist-entries'],
    ['hash-max-listpack-value', '64', 'hash-max-ziplist-value'],
    ['set-max-intset-entries', '512'],
    ['zset-max-listpack-entries', '128', 'zset-max-ziplist-entries'],
    ['zset-max-listpack-value', '64', 'zset-max-ziplist-value'],
    ['activerehashing', 'yes'],
    ['lazyfree-lazy-eviction', 'no'],
    ['lazyfree-lazy-expire', 'no'],
    ['lazyfree-lazy-server-del', 'no'],
    ['lazyfree-lazy-user-del', 'no'],
    ['lazyfree-lazy-user-flush', 'no'],
    ['replica-lazy-flush', 'no', 'slave-lazy-flush'],
    ['always-show-logo', 'no'],
    ['set-proc-title', 'yes'],
    ['supervised', 'no'],
    ['jemalloc-bg-thread', 'yes'],
    ['activedefrag', 'no'],
    ['rdb-save-incremental-fsync', 'yes'],
    ['aof-rewrite-incremental-fsync', 'yes'],
    ['aof-timestamp-enabled', 'no'],
    ['no-appendfsync-on-rewrite', 'no'],
    ['crash-log-enabled', 'yes'],
    ['syslog-enabled', 'no'],
    ['oom-score-adj', 'no'],
    ['disable-thp', 'yes'],
    ['cluster-enabled', 'no'],
  ].map(([name, def, alias]) => p(name!, 'text', def!, { inert: true, ...(alias !== undefined ? { aliases: [alias] } : {}) })),
];

const BY_NAME = new Map<string, Param>();
for (const param of PARAMS) {
  BY_NAME.set(param.name, param);
  for (const a of param.aliases ?? []) BY_NAME.set(a, param);
}

export { parseMemory };

/** @internal Called with a parameter's new value (and its canonical name). */
export type ConfigListener = (value: ConfigValue, name: string) => void;
/** @internal Makes a parameter change take effect asynchronously (binding a port): null, or why it failed. */
export type ConfigApplier = () => Promise<string | null>;

/**
 * The node's parameters, by their redis.conf names (`port`, `maxmemory`, `appendonly`, …): what
 * CONFIG GET / CONFIG SET read and change. `server.config` of a RingcacheServer.
 */
export class ServerConfig {
  private readonly values = new Map<string, ConfigValue>();
  private readonly listeners = new Map<string, ConfigListener[]>();
  private readonly appliers = new Map<string, ConfigApplier>();
  /** @internal Path of the config file the server was started with, if any (CONFIG REWRITE target). */
  file: string | null = null;
  /** @internal The `user` directives read from the config file, in order (the ACL feature creates them). */
  readonly users: string[][] = [];

  /** @internal Made by the server, every parameter at its default. */
  constructor() {
    for (const param of PARAMS) this.values.set(param.name, param.default);
  }

  /** The canonical name of a parameter (resolving aliases), or undefined when unknown. */
  canonical(name: string): string | undefined {
    return BY_NAME.get(name.toLowerCase())?.name;
  }

  /** The current value of an integer parameter (canonical name), e.g. `config.int('port')`; memory sizes in bytes. */
  int(name: string): number {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : Number(v);
  }

  /** The current value of a yes/no parameter (canonical name), e.g. `config.bool('appendonly')`. */
  bool(name: string): boolean {
    return this.values.get(name) === true;
  }

  /** The current value of a parameter (canonical name) as a string, e.g. `config.str('dir')`. */
  str(name: string): string {
    return String(this.values.get(name) ?? '');
  }

  /** @internal `maxmemory-policy`, typed. */
  get maxmemoryPolicy(): MaxmemoryPolicy {
    return this.str('maxmemory-policy') as MaxmemoryPolicy;
  }

  /** @internal Registers a listener for changes of `name` (canonical) and calls it with the current value. */
  watch(name: string, fn: ConfigListener): void {
    const list = this.listeners.get(name) ?? [];
    list.push(fn);
    this.listeners.set(name, list);
    fn(this.values.get(name)!, name);
  }

  /**
   * @internal
   * Registers how a change of these parameters (canonical names) takes effect when that is
   * asynchronous: CONFIG SET waits for it and undoes the change when it fails.
   */
  applyWith(names: readonly string[], fn: ConfigApplier): void {
    for (const name of names) this.appliers.set(name, fn);
  }

  /** @internal The applier of a parameter (applyWith), or undefined. */
  applierOf(name: string): ConfigApplier | undefined {
    return this.appliers.get(name);
  }

  /**
   * Validates and sets one parameter (CONFIG SET's rules; `startup: true` also sets the ones
   * fixed after start-up). Returns null on success, 'unknown' for an unknown name, or the reason
   * text on failure (used in Redis's CONFIG SET and config-file error messages).
   */
  set(name: string, text: string, opts: { startup: boolean } = { startup: false }): string | null {
    const param = BY_NAME.get(name.toLowerCase());
    if (param === undefined) return 'unknown';
    if (!param.mutable && !opts.startup) return "can't set immutable config";
    const parsed = this.parse(param, text);
    if (typeof parsed === 'object') return parsed.error;
    this.values.set(param.name, parsed);
    for (const fn of this.listeners.get(param.name) ?? []) fn(parsed, param.name);
    return null;
  }

  private parse(param: Param, text: string): ConfigValue | { error: string } {
    switch (param.type) {
      case 'int': {
        // Redis numericParseString: string2ll over the whole value (octal parameters: strtoll base 8).
        let n: number | null;
        if (param.octal === true) n = /^[0-7]+$/.test(text.trimStart()) ? parseInt(text, 8) : null;
        else n = parseInteger(text);
        if (n === null) return { error: 'argument couldn\'t be parsed into an integer' };
        if ((param.min !== undefined && n < param.min) || (param.max !== undefined && n > param.max)) {
          return { error: `argument must be between ${param.min} and ${param.maxText ?? param.max} inclusive` };
        }
        return n;
      }
      case 'memory': {
        const n = parseMemory(text);
        if (n === null || n < 0) return { error: 'argument must be a memory value' };
        if (param.min !== undefined && n < param.min) return { error: `argument must be between ${param.min} and 9223372036854775807 inclusive` };
        return n;
      }
      case 'bool': {
        const t = text.toLowerCase();
        if (t === 'yes') return true;
        if (t === 'no') return false;
        return { error: 'argument must be \'yes\' or \'no\'' };
      }
      case 'enum': {
        const t = text.toLowerCase();
        if (!param.values!.includes(t)) return { error: 'argument(s) must be one of the following: ' + param.values!.join(', ') };
        return t;
      }
      case 'string':
        return text;
      case 'text': {
        const err = param.check?.(text) ?? null;
        if (err !== null) return { error: err };
        return param.merge === undefined ? text : param.merge(String(this.values.get(param.name)), text);
      }
    }
  }

  /** The text CONFIG GET prints for a parameter. */
  format(name: string): string {
    const param = BY_NAME.get(name)!;
    const v = this.values.get(param.name)!;
    if (param.type === 'bool') return v === true ? 'yes' : 'no';
    if (param.name === 'dir') return resolve(String(v));
    if (param.octal === true) return Number(v).toString(8);
    return param.show !== undefined ? param.show(String(v)) : String(v);
  }

  /** The text CONFIG GET prints for a parameter's default value. */
  formatDefault(name: string): string {
    const param = BY_NAME.get(name)!;
    const v = param.default;
    if (param.type === 'bool') return v === true ? 'yes' : 'no';
    if (param.octal === true) return Number(v).toString(8);
    return param.show !== undefined ? param.show(String(v)) : String(v);
  }

  /** True when a parameter still has its default value (CONFIG REWRITE leaves those out). */
  isDefault(name: string): boolean {
    const param = BY_NAME.get(name)!;
    return this.values.get(param.name) === param.default;
  }

  /** @internal The parameter's metadata, by name or alias; undefined when unknown. */
  info(name: string): ParamInfo | undefined {
    const param = BY_NAME.get(name.toLowerCase());
    if (param === undefined) return undefined;
    return {
      name: param.name,
      type: param.type,
      multi: param.multi === true,
      inert: param.inert === true,
      nullIfEmpty: param.nullIfEmpty === true,
      aliases: param.aliases ?? [],
    };
  }

  /** Every canonical parameter name, in table order. */
  names(): string[] {
    return PARAMS.map((param) => param.name);
  }

  /** [name, value] pairs for every canonical parameter (and alias) matching a glob pattern. */
  match(pattern: string): [string, string][] {
    const out: [string, string][] = [];
    const seen = new Set<string>();
    const pat = pattern.toLowerCase();
    const hasGlob = /[*?[]/.test(pat);
    for (const [name, param] of BY_NAME) {
      if (seen.has(name) || !globMatch(pat, name, true)) continue;
      // Hidden parameters answer only when named exactly, as in Redis 7.0; aliases match patterns.
      if (param.hidden === true && hasGlob) continue;
      seen.add(name);
      out.push([name, this.format(param.name)]);
    }
    return out;
  }
}
