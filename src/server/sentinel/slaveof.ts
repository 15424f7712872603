/**
 * The reconfiguration Sentinel sends to a master or replica (Redis sentinelSendSlaveOf), in one
 * transaction so that nothing runs in between: SLAVEOF, CONFIG REWRITE (persist the role),
 * CLIENT KILL TYPE normal and pubsub (clients reconnect and ask Sentinel again), EXEC.
 */

import type { SentinelHost } from './host.js';
import type { Addr, Instance } from './state.js';

/**
 * SLAVEOF in a transaction with CONFIG REWRITE and CLIENT KILL TYPE normal|pubsub (Redis
 * sentinelSendSlaveOf); `to` null sends SLAVEOF NO ONE. Replies are ignored: the effect is read
 * from later INFO. False when the command link is down.
 */
export function sendSlaveOf(host: SentinelHost, ri: Instance, to: Addr | null): boolean {
  const link = ri.link;
  if (link === null || link.disconnected) return false;
  const target = to === null ? ['NO', 'ONE'] : [to.host, String(to.port)];
  if (!link.send([ri.command('MULTI')], null)) return false;
  link.send([ri.command('SLAVEOF'), ...target], null);
  link.send([ri.command('CONFIG'), 'REWRITE'], null);
  link.send([ri.command('CLIENT'), 'KILL', 'TYPE', 'normal'], null);
  link.send([ri.command('CLIENT'), 'KILL', 'TYPE', 'pubsub'], null);
  link.send([ri.command('EXEC')], null);
  host.log.verbose(`Sent SLAVEOF ${target.join(' ')} to ${ri.addr.host}:${ri.addr.port}`);
  return true;
}
