/**
 * Monitoring (Redis sentinelSendPeriodicCommands and its reply callbacks): INFO to masters and
 * replicas every 10 s (1 s for a replica while its master is ODOWN or failing over, or while it
 * reports its master link down), PING to every instance every second (or down-after if shorter),
 * a hello every 2 s.
 *
 * PING's only valid replies are +PONG, -LOADING and -MASTERDOWN; -BUSY on an SDOWN instance
 * sends one SCRIPT KILL. INFO counts only as a bulk string.
 */

import { ReplyError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { sendHello } from './hello.js';
import type { SentinelHost } from './host.js';
import { refreshInstanceInfo } from './info-refresh.js';
import { F, TIMING, type Instance } from './state.js';

function onPingReply(ri: Instance, r: RespValue): void {
  const link = ri.link;
  if (link === null) return;
  const now = Date.now();
  if (typeof r === 'string' && r.startsWith('PONG')) {
    link.lastAvailTime = now;
    link.actPingTime = 0;
  } else if (r instanceof ReplyError) {
    const text = r.message;
    if (text.startsWith('LOADING') || text.startsWith('MASTERDOWN')) {
      link.lastAvailTime = now;
      link.actPingTime = 0;
    } else if (text.startsWith('BUSY') && ri.flags & F.S_DOWN && !(ri.flags & F.SCRIPT_KILL_SENT)) {
      if (link.send([ri.command('SCRIPT'), 'KILL'], null)) ri.flags |= F.SCRIPT_KILL_SENT;
    }
  }
  link.lastPongTime = now;
}

/** Sends a PING; the pending-ping clock starts only when no earlier PING is unanswered. */
function ping(ri: Instance): void {
  const link = ri.link!;
  if (!link.send([ri.command('PING')], (r) => onPingReply(ri, r))) return;
  link.lastPingTime = Date.now();
  if (link.actPingTime === 0) link.actPingTime = link.lastPingTime;
}

/** The periodic commands for one instance (Redis sentinelSendPeriodicCommands). */
export function sendPeriodicCommands(host: SentinelHost, ri: Instance): void {
  const link = ri.link;
  if (link === null || link.disconnected) return;
  if (link.pendingCommands >= TIMING.max_pending_commands) return;
  const now = Date.now();
  const m = ri.master;
  const infoPeriod =
    ri.flags & F.SLAVE && m !== null && (m.flags & (F.O_DOWN | F.FAILOVER_IN_PROGRESS) || ri.masterLinkDownTime !== 0)
      ? 1000
      : TIMING.info_period;
  const pingPeriod = Math.min(ri.downAfter, TIMING.ping_period);
  if ((ri.flags & F.SENTINEL) === 0 && (ri.infoRefresh === 0 || now - ri.infoRefresh > infoPeriod)) {
    link.send([ri.command('INFO')], (r) => {
      if (typeof r === 'string') refreshInstanceInfo(host, ri, r);
    });
  }
  if (now - link.lastPongTime > pingPeriod && now - link.lastPingTime > pingPeriod / 2) ping(ri);
  if (now - ri.lastPubTime > TIMING.publish_period) sendHello(host, ri);
}

/** First PING right after a connection comes up (Redis sends it from the connect callback). */
export function pingOnConnect(ri: Instance): void {
  if (ri.link !== null && ri.link.lastPingTime < ri.link.ccConnTime) ping(ri);
}
