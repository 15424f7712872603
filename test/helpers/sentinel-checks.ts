/**
 * Small checks shared by the tests that run a real Sentinel fleet: wait for the fleet to converge,
 * read an INFO field of a node, find a key owned by a shard (placement.ts), poll a condition with a bound.
 */

import { RawClient } from './raw-client.js';
import type { SentinelFleet } from './sentinel.js';

import { sleep, until } from './poll.js';

export { sleep, until };

export { keyOn } from './placement.js';

/** One raw command on a fresh connection; the raw reply text. */
export async function raw(port: number, ...args: string[]): Promise<string> {
  const r = await RawClient.connect(port);
  try {
    return await r.call(...args);
  } finally {
    r.close();
  }
}

export async function infoField(port: number, section: string, re: RegExp): Promise<string | null> {
  return re.exec(await raw(port, 'INFO', section))?.[1] ?? null;
}

/** Calls of `cmd` on the node since start (INFO commandstats). */
export async function calls(port: number, cmd: string): Promise<number> {
  return Number((await infoField(port, 'commandstats', new RegExp(`cmdstat_${cmd}:calls=(\\d+)`))) ?? 0);
}

/** Waits until every Sentinel knows the other Sentinels and each master's replicas with their link up (bounded). */
export async function fleetReady(fleet: SentinelFleet, masters: readonly string[], replicas = 1): Promise<void> {
  await until(
    'the Sentinel fleet to converge',
    async () => {
      for (const s of fleet.sentinels) {
        const info = await raw(s.port, 'INFO', 'sentinel');
        for (const m of masters) {
          if (!new RegExp(`name=${m},status=ok,address=[^,]+,slaves=${replicas},sentinels=${fleet.sentinels.length}`).test(info)) return false;
          // Sentinel's copy of each replica's link status (from INFO, refreshed every 10 s).
          const reps = await raw(s.port, 'SENTINEL', 'replicas', m);
          if ((reps.match(/master-link-status\r\n\$2\r\nok\r\n/g) ?? []).length !== replicas) return false;
        }
      }
      for (const rs of fleet.replicas.values()) {
        for (const r of rs) if ((await infoField(r.port, 'replication', /master_link_status:(\w+)/)) !== 'up') return false;
      }
      return true;
    },
    30_000,
  );
}
