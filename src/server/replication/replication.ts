/**
 * The node's replication role and its transitions: REPLICAOF/SLAVEOF <host> <port> (become a
 * replica, even of another history: the link PSYNCs with our own replid and offset, so a demoted
 * master or a repointed replica resumes partially when the histories allow it) and NO ONE
 * (become a master at once, keeping the dataset; the old replid becomes replid2, as PSYNC2).
 * Every change is recorded in the `replicaof` parameter, which CONFIG REWRITE writes back to the
 * config file (Sentinel sends CONFIG REWRITE after each SLAVEOF); nothing else is persisted, as
 * in Redis.
 */

import { ExtKey, getExt, setExt, type ServerContext } from '../dispatch/context.js';
import { Primary } from './primary.js';
import { MasterLink } from './replica.js';
import { replState, type ReplState } from './repl-state.js';

export class Replication {
  readonly state: ReplState;
  readonly primary: Primary;
  link: MasterLink | null = null;

  constructor(readonly server: ServerContext) {
    this.state = replState(server);
    this.primary = new Primary(server, this.state);
  }

  /** At start: the role `replicaof` gives (file, command line or embedding options). */
  startRole(): void {
    const text = this.server.config.str('replicaof').trim();
    if (text === '' || /^no one$/i.test(text)) return;
    const [host, port] = text.split(/\s+/);
    this.replicaOf(host!, Number(port), false);
  }

  replicaOf(host: string, port: number, persist = true): void {
    const server = this.server;
    if (this.link !== null && this.link.host === host && this.link.port === port) return;
    this.primary.flush();
    if (server.role === 'master') this.primary.disconnectAll();
    this.link?.stop();
    server.role = 'replica';
    server.keyspace.replicaMode = true;
    server.log.notice(`Connecting to MASTER ${host}:${port}`);
    this.link = new MasterLink(server, this.state, this.primary, host, port);
    if (persist) this.persist({ host, port });
  }

  becomeMaster(): void {
    const server = this.server;
    if (server.role === 'master') return;
    this.link?.stop();
    this.link = null;
    this.primary.flush();
    this.state.promote();
    this.primary.active = true;
    server.role = 'master';
    server.keyspace.replicaMode = false;
    server.log.notice(`MASTER MODE enabled (new replid ${this.state.replid}, old ${this.state.replid2} valid up to ${this.state.secondOffset - 1})`);
    this.persist(null);
  }

  /** Records the role in `replicaof`, for CONFIG REWRITE and CONFIG GET. */
  private persist(role: { host: string; port: number } | null): void {
    this.server.config.set('replicaof', role === null ? '' : `${role.host} ${role.port}`, { startup: true });
  }

  stop(): void {
    this.link?.stop();
    this.link = null;
  }
}

const KEY = new ExtKey<Replication>('replication');

export function replication(server: ServerContext): Replication {
  let r = getExt(server.ext, KEY);
  if (r === undefined) {
    r = new Replication(server);
    setExt(server.ext, KEY, r);
  }
  return r;
}
