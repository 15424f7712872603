/**
 * Connection settings per node address: what an address's URL says (credentials, db, rediss://)
 * merged field by field over the defaults that apply to it (the client-wide `username`,
 * `password`, `db`, `tls`; a shard's own `tls`; for Sentinels `sentinelUsername`,
 * `sentinelPassword`, `sentinelTls`). Resolved once at construction.
 *
 * Invariants: an address id (address.ts) maps to one set of settings — the same node given twice
 * with different credentials, db or TLS is a ConfigError; a username needs a password (AUTH
 * takes both); an address the options never named (one a Sentinel reports) gets the defaults.
 */

import type tls from 'node:tls';
import { ConfigError } from '../../errors.js';
import { maskAddress, parseNodeAddress } from './address.js';

/** `true`: TLS with Node's defaults (the system CAs); an object: node:tls connect options. */
export type TlsOption = boolean | tls.ConnectionOptions;

export interface EndpointDefaults {
  username: string | undefined;
  password: string | undefined;
  db: number;
  /** null: plain TCP unless the address is rediss://. */
  tls: tls.ConnectionOptions | null;
}

/** One node's resolved connection settings. */
export interface Endpoint {
  host: string;
  port: number;
  /** How the topology and events name it (address.ts). */
  id: string;
  tls: tls.ConnectionOptions | null;
  username: string | undefined;
  password: string | undefined;
  db: number;
}

/** Validates a `tls` option: false/undefined → null, true → {}, an object → itself. */
export function resolveTls(v: TlsOption | undefined, what: string): tls.ConnectionOptions | null {
  if (v === undefined || v === false) return null;
  if (v === true) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError(`${what} must be true, false or node:tls connect options`);
  return v;
}

/** TLS with Node's defaults, for rediss:// without TLS options (one object, so duplicates compare equal). */
const DEFAULT_TLS: tls.ConnectionOptions = Object.freeze({});

export class Endpoints {
  private readonly byId = new Map<string, Endpoint>();

  constructor(
    private readonly defaults: EndpointDefaults,
    /** What the addresses are (for messages): 'node', 'Sentinel'. */
    private readonly kind: string,
  ) {}

  /**
   * Parses an address given in the options and records its settings; returns its id. `tlsOverride`:
   * a shard's own `tls` (undefined: the defaults').
   */
  add(spec: unknown, what: string, tlsOverride?: tls.ConnectionOptions | null): string {
    const a = parseNodeAddress(spec, what);
    if (a.username !== undefined && a.password === undefined && this.defaults.password === undefined) {
      throw new ConfigError(`${what}: '${maskAddress(String(spec))}' names user '${a.username}' but no password (AUTH needs both)`);
    }
    if (this.kind === 'Sentinel' && a.db !== undefined) throw new ConfigError(`${what}: a Sentinel address has no database ('${maskAddress(String(spec))}')`);
    const base = tlsOverride !== undefined ? tlsOverride : this.defaults.tls;
    const e: Endpoint = {
      host: a.host,
      port: a.port,
      id: a.id,
      tls: a.tls ? (base ?? DEFAULT_TLS) : base,
      username: a.username ?? this.defaults.username,
      password: a.password ?? this.defaults.password,
      db: a.db ?? this.defaults.db,
    };
    const prev = this.byId.get(e.id);
    if (prev !== undefined && (prev.username !== e.username || prev.password !== e.password || prev.tls !== e.tls)) {
      throw new ConfigError(`${what}: ${this.kind} ${e.id} is given twice with different credentials or TLS settings`);
    }
    this.byId.set(e.id, prev ?? e);
    return e.id;
  }

  /** The settings of `id`: as the options gave it, else the defaults for a `host:port` learned later. */
  get(id: string): Endpoint {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    const a = parseNodeAddress(id, `${this.kind} address`);
    return { host: a.host, port: a.port, id: a.id, tls: this.defaults.tls, username: this.defaults.username, password: this.defaults.password, db: a.db ?? this.defaults.db };
  }
}
