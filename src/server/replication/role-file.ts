/**
 * Persists this node's replication role in `<dir>/ringcache-role.conf` (one line: `replicaof
 * <host> <port>`, or `replicaof no one`), rewritten atomically on every role change, so that a
 * restarted node comes back with its last role even without a config file to CONFIG REWRITE.
 * At start it applies only when no configuration (file or command line) set `replicaof`.
 */

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerContext } from '../dispatch/context.js';

const FILE = 'ringcache-role.conf';

export interface PersistedRole {
  host: string;
  port: number;
}

/** The persisted master address, null for a master, undefined when nothing was persisted. */
export function readRole(server: ServerContext): PersistedRole | null | undefined {
  let text: string;
  try {
    text = readFileSync(join(server.config.str('dir'), FILE), 'utf8');
  } catch {
    return undefined;
  }
  const m = /^replicaof\s+(\S+)\s+(\S+)/m.exec(text);
  if (m === null) return undefined;
  if (m[1]!.toLowerCase() === 'no' && m[2]!.toLowerCase() === 'one') return null;
  const port = Number(m[2]);
  return Number.isInteger(port) && port > 0 && port < 65536 ? { host: m[1]!, port } : undefined;
}

export function writeRole(server: ServerContext, role: PersistedRole | null): void {
  const path = join(server.config.str('dir'), FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, `replicaof ${role === null ? 'no one' : `${role.host} ${role.port}`}\n`);
    renameSync(tmp, path);
  } catch (err) {
    server.log.warning(`Could not persist the replication role in ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
