/**
 * `ringcache-server --sentinel`: the node's own network layer, RESP, sessions, pub/sub and
 * CONFIG REWRITE, serving Sentinel's command set instead of the keyspace's (Redis keeps only
 * commands flagged `sentinel`): PING, AUTH, HELLO, QUIT, CLIENT, COMMAND, SHUTDOWN,
 * (P)SUBSCRIBE/(P)UNSUBSCRIBE, and Sentinel's own SENTINEL, INFO (server, clients, cpu, stats,
 * sentinel), ROLE and PUBLISH (hello messages only). Any other command is unknown.
 *
 * Sentinel needs its config file (it persists its state there): without one, or when it cannot
 * be written, the node does not start, as redis-sentinel.
 */

import { accessSync, constants } from 'node:fs';
import { ConfigError } from '../../errors.js';
import type { HandlerTable } from '../dispatch/context.js';
import { getExt, setExt } from '../dispatch/context.js';
import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import { ADMIN_HANDLERS } from '../handlers/admin.js';
import { CLIENT_HANDLERS } from '../handlers/client.js';
import { CONNECTION_HANDLERS } from '../handlers/connection.js';
import { infoText, setInfoSection } from '../handlers/info.js';
import { INTROSPECTION_HANDLERS } from '../handlers/introspection.js';
import { CLIENT_LIMITS_FEATURE } from '../network/client-limits.js';
import { PUBSUB_FEATURE, PUBSUB_HANDLERS } from '../pubsub/pubsub.js';
import { RingcacheServer, type ServerOptions } from '../server.js';
import { HELLO_CHANNEL, processHello } from './hello.js';
import { SENTINEL, SENTINEL_HANDLERS } from './sentinel-commands.js';
import { Sentinel } from './sentinel.js';
import { F } from './state.js';

const SECTIONS = ['server', 'clients', 'cpu', 'stats', 'sentinel'];

function pick(table: HandlerTable, names: readonly string[]): HandlerTable {
  const out: Record<string, HandlerTable[string]> = {};
  for (const [k, h] of Object.entries(table)) if (names.includes(k.split('|')[0]!)) out[k] = h;
  return out;
}

function sentinelSection(s: Sentinel): [string, string | number][] {
  const st = s.state;
  const out: [string, string | number][] = [
    ['sentinel_masters', st.masters.size],
    ['sentinel_tilt', st.tilt ? 1 : 0],
    ['sentinel_tilt_since_seconds', st.tilt ? Math.floor((Date.now() - st.tiltStart) / 1000) : -1],
    ['sentinel_running_scripts', 0],
    ['sentinel_scripts_queue_length', 0],
    ['sentinel_simulate_failure_flags', (st.simCrashAfterElection ? 1 : 0) | (st.simCrashAfterPromotion ? 2 : 0)],
  ];
  let i = 0;
  for (const m of st.masters.values()) {
    const status = m.flags & F.O_DOWN ? 'odown' : m.flags & F.S_DOWN ? 'sdown' : 'ok';
    out.push([`master${i++}`, `name=${m.name},status=${status},address=${m.addr.host}:${m.addr.port},slaves=${m.slaves.size},sentinels=${m.sentinels.size + 1}`]);
  }
  return out;
}

const MODE_HANDLERS: HandlerTable = {
  info(c, argv) {
    const asked = argv.slice(1).map((a) => a.toLowerCase());
    const all = asked.length === 0 || asked.some((a) => a === 'all' || a === 'default' || a === 'everything');
    const text = infoText(c.server, all ? SECTIONS : asked.filter((a) => SECTIONS.includes(a)));
    c.reply.verbatim(text.replace('redis_mode:standalone', 'redis_mode:sentinel'));
  },
  role(c) {
    const names = [...getExt(c.server.ext, SENTINEL)!.state.masters.keys()];
    c.reply.array(2);
    c.reply.bulk('sentinel');
    c.reply.bulkArray(names);
  },
  publish(c, argv) {
    if (argv[1] !== HELLO_CHANNEL) return c.reply.error('ERR Only HELLO messages are accepted by Sentinel instances.');
    processHello(getExt(c.server.ext, SENTINEL)!, argv[2]!);
    c.reply.integer(1);
  },
};

export const SENTINEL_HANDLER_TABLES: Readonly<Record<string, HandlerTable>> = {
  connection: pick(CONNECTION_HANDLERS, ['ping', 'auth', 'hello', 'quit']),
  client: CLIENT_HANDLERS,
  introspection: pick(INTROSPECTION_HANDLERS, ['command']),
  admin: pick(ADMIN_HANDLERS, ['shutdown']),
  pubsub: pick(PUBSUB_HANDLERS, ['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe']),
  mode: MODE_HANDLERS,
  sentinel: SENTINEL_HANDLERS,
};

const SENTINEL_FEATURE: ServerFeature = {
  name: 'sentinel',
  install(host: FeatureHost) {
    const s = new Sentinel(host);
    setExt(host.ext, SENTINEL, s);
    const err = s.configure((host.ext.get('sentinel.directives') as string[][] | undefined) ?? []);
    if (err !== null) throw new ConfigError(err);
    setInfoSection(host, 'sentinel', () => sentinelSection(s));
    host.onStart(() => s.start());
    host.onShutdown(() => s.stop());
  },
};

export const SENTINEL_FEATURES: readonly ServerFeature[] = [PUBSUB_FEATURE, CLIENT_LIMITS_FEATURE, SENTINEL_FEATURE];

/** Creates a node in Sentinel mode (not yet listening: call `listen()`). */
export function createSentinel(options: ServerOptions): RingcacheServer {
  if (options.configFile === undefined) throw new ConfigError('Sentinel needs config file on disk to save state. Exiting...');
  try {
    accessSync(options.configFile, constants.W_OK);
  } catch (err) {
    throw new ConfigError(`Sentinel config file ${options.configFile} is not writable: ${(err as Error).message}. Exiting...`);
  }
  return new RingcacheServer({ ...options, sentinel: true }, SENTINEL_FEATURES, SENTINEL_HANDLER_TABLES);
}
