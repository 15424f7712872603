/**
 * Pub/Sub (Redis pubsub.c): SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, PUBSUB …,
 * and sharded SSUBSCRIBE / SUNSUBSCRIBE / SPUBLISH.
 *
 * Messages are written straight into each receiver's reply buffer (RESP2 arrays, RESP3 push frames)
 * and flushed before the next I/O turn. A client with any subscription carries ClientFlag.PUBSUB;
 * in RESP2 the dispatcher then allows only the subscription commands, PING, QUIT and RESET.
 * Disconnect and RESET drop every subscription silently.
 */

import { ClientFlag, ExtKey, getExt, setExt, type ClientContext, type HandlerTable, type ServerContext } from '../dispatch/context.js';
import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import { globMatch } from '../util/glob.js';
import * as R from '../dispatch/replies.js';

/** Per-client subscriptions; `sub`/`psub`/`ssub` counts are read by CLIENT LIST. */
export interface ClientSubs {
  channels: Set<string>;
  patterns: Set<string>;
  shard: Set<string>;
  sub: number;
  psub: number;
  ssub: number;
}

interface Registry {
  channels: Map<string, Set<ClientContext>>;
  patterns: Map<string, Set<ClientContext>>;
  shard: Map<string, Set<ClientContext>>;
}

export const CLIENT_SUBS = new ExtKey<ClientSubs>('pubsub.counts');
const REGISTRY = new ExtKey<Registry>('pubsub.registry');

function registry(s: ServerContext): Registry {
  let r = getExt(s.ext, REGISTRY);
  if (r === undefined) {
    r = { channels: new Map(), patterns: new Map(), shard: new Map() };
    setExt(s.ext, REGISTRY, r);
  }
  return r;
}

function subsOf(c: ClientContext): ClientSubs {
  let s = getExt(c.ext, CLIENT_SUBS);
  if (s === undefined) {
    s = { channels: new Set(), patterns: new Set(), shard: new Set(), sub: 0, psub: 0, ssub: 0 };
    setExt(c.ext, CLIENT_SUBS, s);
  }
  return s;
}

function updateFlag(c: ClientContext, s: ClientSubs): void {
  s.sub = s.channels.size;
  s.psub = s.patterns.size;
  s.ssub = s.shard.size;
  if (s.sub + s.psub + s.ssub > 0) c.flags |= ClientFlag.PUBSUB;
  else c.flags &= ~ClientFlag.PUBSUB;
}

type Kind = 'channels' | 'patterns' | 'shard';
const VERB: Record<Kind, [string, string]> = {
  channels: ['subscribe', 'unsubscribe'],
  patterns: ['psubscribe', 'punsubscribe'],
  shard: ['ssubscribe', 'sunsubscribe'],
};

/** The count Redis reports: channels + patterns, or shard channels for the sharded commands. */
function count(s: ClientSubs, kind: Kind): number {
  return kind === 'shard' ? s.shard.size : s.channels.size + s.patterns.size;
}

function confirm(c: ClientContext, verb: string, name: string | null, n: number): void {
  c.reply.push(3);
  c.reply.bulk(verb);
  c.reply.bulkOrNull(name);
  c.reply.integer(n);
}

function subscribe(c: ClientContext, names: readonly string[], kind: Kind): void {
  const s = subsOf(c);
  const reg = registry(c.server)[kind];
  for (const name of names) {
    if (!s[kind].has(name)) {
      s[kind].add(name);
      let set = reg.get(name);
      if (set === undefined) reg.set(name, (set = new Set()));
      set.add(c);
    }
    updateFlag(c, s);
    confirm(c, VERB[kind][0], name, count(s, kind));
  }
}

function drop(c: ClientContext, s: ClientSubs, kind: Kind, name: string): boolean {
  if (!s[kind].delete(name)) return false;
  const reg = registry(c.server)[kind];
  const set = reg.get(name);
  set?.delete(c);
  if (set !== undefined && set.size === 0) reg.delete(name);
  return true;
}

function unsubscribe(c: ClientContext, names: readonly string[], kind: Kind): void {
  const s = subsOf(c);
  const list = names.length > 0 ? names : [...s[kind]];
  if (list.length === 0) {
    confirm(c, VERB[kind][1], null, count(s, kind));
    return;
  }
  for (const name of list) {
    drop(c, s, kind, name);
    updateFlag(c, s);
    confirm(c, VERB[kind][1], name, count(s, kind));
  }
}

/** Drops every subscription of a client without replies (disconnect, RESET). */
function dropAll(c: ClientContext): void {
  const s = getExt(c.ext, CLIENT_SUBS);
  if (s === undefined) return;
  for (const kind of ['channels', 'patterns', 'shard'] as const) for (const n of [...s[kind]]) drop(c, s, kind, n);
  updateFlag(c, s);
}

function deliver(to: ClientContext, frame: readonly string[], self: ClientContext | null): void {
  to.reply.push(frame.length);
  for (const part of frame) to.reply.bulk(part);
  if (to !== self) to.requestFlush();
}

/** PUBLISH's core, also used by the server itself (keyspace events, invalidations on RESP2). */
export function publish(server: ServerContext, channel: string, message: string, self: ClientContext | null = null): number {
  const reg = registry(server);
  let n = 0;
  const subs = reg.channels.get(channel);
  if (subs !== undefined) {
    for (const c of subs) deliver(c, ['message', channel, message], self);
    n += subs.size;
  }
  for (const [pattern, clients] of reg.patterns) {
    if (!globMatch(pattern, channel)) continue;
    for (const c of clients) deliver(c, ['pmessage', pattern, channel, message], self);
    n += clients.size;
  }
  return n;
}

function countsReply(c: ClientContext, names: readonly string[], map: Map<string, Set<ClientContext>>): void {
  c.reply.array(names.length * 2);
  for (const n of names) {
    c.reply.bulk(n);
    c.reply.integer(map.get(n)?.size ?? 0);
  }
}

function channelsReply(c: ClientContext, pattern: string | undefined, map: Map<string, Set<ClientContext>>): void {
  const out: string[] = [];
  for (const name of map.keys()) if (pattern === undefined || globMatch(pattern, name)) out.push(name);
  c.reply.bulkArray(out);
}

export const PUBSUB_HANDLERS: HandlerTable = {
  subscribe: (c, argv) => subscribe(c, argv.slice(1), 'channels'),
  psubscribe: (c, argv) => subscribe(c, argv.slice(1), 'patterns'),
  ssubscribe: (c, argv) => subscribe(c, argv.slice(1), 'shard'),
  unsubscribe: (c, argv) => unsubscribe(c, argv.slice(1), 'channels'),
  punsubscribe: (c, argv) => unsubscribe(c, argv.slice(1), 'patterns'),
  sunsubscribe: (c, argv) => unsubscribe(c, argv.slice(1), 'shard'),

  publish(c, argv) {
    c.reply.integer(publish(c.server, argv[1]!, argv[2]!, c));
  },

  spublish(c, argv) {
    const subs = registry(c.server).shard.get(argv[1]!);
    if (subs !== undefined) for (const to of subs) deliver(to, ['smessage', argv[1]!, argv[2]!], c);
    c.reply.integer(subs?.size ?? 0);
  },

  // Redis accepts at most one pattern (its table arity says "at least 2").
  'pubsub|channels': (c, argv) => (argv.length > 3 ? c.reply.error(R.subcommandSyntaxError(argv)) : channelsReply(c, argv[2], registry(c.server).channels)),
  'pubsub|shardchannels': (c, argv) => (argv.length > 3 ? c.reply.error(R.subcommandSyntaxError(argv)) : channelsReply(c, argv[2], registry(c.server).shard)),
  'pubsub|numsub': (c, argv) => countsReply(c, argv.slice(2), registry(c.server).channels),
  'pubsub|shardnumsub': (c, argv) => countsReply(c, argv.slice(2), registry(c.server).shard),
  'pubsub|numpat'(c) {
    c.reply.integer(registry(c.server).patterns.size);
  },
  'pubsub|help'(c) {
    c.reply.statusArray([
      'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      'CHANNELS [<pattern>]',
      "    Return the currently active channels matching a <pattern> (default: '*').",
      'NUMPAT',
      '    Return number of subscriptions to patterns.',
      'NUMSUB [<channel> ...]',
      '    Return the number of subscribers for the specified channels, excluding',
      '    pattern subscriptions(default: no channels).',
      'SHARDCHANNELS [<pattern>]',
      '    Return the currently active shard level channels matching a <pattern> (default: \'*\').',
      'SHARDNUMSUB [<shardchannel> ...]',
      '    Return the number of subscribers for the specified shard level channel(s)',
      'HELP',
      '    Print this help.',
    ]);
  },
};

export const PUBSUB_FEATURE: ServerFeature = {
  name: 'pubsub',
  install(host: FeatureHost) {
    host.dispatcher.hooks.inPubSubContext = (c) => c.reply.proto === 2;
    host.onClientClose(dropAll);
    host.onClientReset(dropAll);
    host.ext.set('pubsub.channels', () => registry(host).channels.size);
    host.ext.set('pubsub.patterns', () => registry(host).patterns.size);
  },
};
