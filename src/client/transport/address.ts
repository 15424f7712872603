/**
 * Node addresses as options give them, parsed once at construction:
 *
 *   host:port                                   ([::1]:6379 for IPv6)
 *   redis://[user[:password]@]host[:port][/db]  (port 6379 when left out)
 *   rediss://…                                  (the same, over TLS)
 *
 * User and password are percent-decoded. A malformed address throws ConfigError naming it, with
 * any password masked, so a typo fails `new RingClient` instead of a later connect (ENOTFOUND).
 *
 * `id` is how the topology, the pools and the client's events name the node: `host:port`, plus
 * `/db` when the URL names a database (two shards may be two databases of one server). Credentials
 * and TLS are never part of it.
 */

import { ConfigError } from '../../errors.js';

export interface NodeAddress {
  host: string;
  port: number;
  /** `host:port`, or `host:port/db` when the URL names a database. */
  id: string;
  /** The scheme was `rediss:`. */
  tls: boolean;
  username?: string;
  password?: string;
  db?: number;
}

const DEFAULT_PORT = 6379;

/** The address with its password replaced by `***` (for messages and logs). */
export function maskAddress(spec: string): string {
  return spec.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

function invalid(spec: string, what: string, why: string): ConfigError {
  return new ConfigError(`${what}: invalid address '${maskAddress(spec)}': ${why}`);
}

function checkPort(spec: string, what: string, raw: string): number {
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 1 && port <= 65535)) throw invalid(spec, what, `port must be 1-65535, got '${raw}'`);
  return port;
}

function decode(spec: string, what: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid(spec, what, 'bad percent-encoding in the credentials');
  }
}

/** `host:port`; IPv6 as `[::1]:6379`, or bare as Sentinel reports it (`::1:6379`, split at the last colon). */
function parseHostPort(spec: string, what: string): NodeAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s/@[\]]+)):([^:]*)$/.exec(spec);
  if (m === null) throw invalid(spec, what, 'expected host:port, redis://[user[:password]@]host[:port][/db] or rediss://…');
  const host = m[1] ?? m[2]!;
  const port = checkPort(spec, what, m[3]!);
  return { host, port, id: `${host}:${port}`, tls: false };
}

/** `redis://` or `rediss://` URL. */
function parseUrl(spec: string, what: string): NodeAddress {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw invalid(spec, what, 'not a valid URL');
  }
  const tls = url.protocol === 'rediss:';
  if (url.search !== '' || url.hash !== '') throw invalid(spec, what, 'query strings and fragments are not supported');
  let host = url.hostname;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === '') throw invalid(spec, what, 'no host');
  const port = url.port === '' ? DEFAULT_PORT : checkPort(spec, what, url.port);
  const out: NodeAddress = { host, port, id: `${host}:${port}`, tls };
  if (url.username !== '') out.username = decode(spec, what, url.username);
  if (url.password !== '') out.password = decode(spec, what, url.password);
  const path = url.pathname;
  if (path !== '' && path !== '/') {
    if (!/^\/\d{1,9}$/.test(path)) throw invalid(spec, what, `the path must be a database number (/0, /1 …), got '${path}'`);
    out.db = Number(path.slice(1));
    out.id = `${out.id}/${out.db}`;
  }
  return out;
}

/** Parses one address; `what` names where it was given (`shard 'a' master`, `sentinels[0]`). */
export function parseNodeAddress(spec: unknown, what: string): NodeAddress {
  if (typeof spec !== 'string' || spec === '') throw new ConfigError(`${what}: an address must be a non-empty string, got ${typeof spec === 'string' ? "''" : typeof spec}`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    if (!/^rediss?:\/\//i.test(spec)) throw invalid(spec, what, 'the scheme must be redis:// or rediss://');
    return parseUrl(spec, what);
  }
  return parseHostPort(spec, what);
}
