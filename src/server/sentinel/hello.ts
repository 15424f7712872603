/**
 * The hello protocol (Redis sentinelSendHello / sentinelProcessHelloMessage): every 2 s each
 * Sentinel PUBLISHes `ip,port,runid,current_epoch,master_name,master_ip,master_port,config_epoch`
 * on `__sentinel__:hello` to the master, its replicas and the other Sentinels. A hello makes its
 * sender known (+sentinel), raises our current epoch, and a higher config epoch with another
 * master address switches the master (+config-update-from, +switch-master): the highest
 * config epoch wins, which is how every Sentinel converges after a failover.
 */

import type { SentinelHost } from './host.js';
import { F, FO, sameHost, type Instance } from './state.js';

export const HELLO_CHANNEL = '__sentinel__:hello';

/** The master address to announce: the promoted replica's once the failover reached reconf-slaves. */
export function currentMasterAddr(m: Instance): { host: string; port: number } {
  if (m.flags & F.FAILOVER_IN_PROGRESS && m.promoted !== null && m.failoverState >= FO.RECONF_SLAVES) return m.promoted.addr;
  return m.addr;
}

export function sendHello(host: SentinelHost, ri: Instance): boolean {
  const link = ri.link;
  if (link === null || link.disconnected) return false;
  const st = host.state;
  const ip = st.announceIp !== '' ? st.announceIp : link.localAddress();
  if (ip === null) return false;
  const port = st.announcePort !== 0 ? st.announcePort : host.port;
  const m = ri.owner;
  const ma = currentMasterAddr(m);
  const payload = `${ip},${port},${st.myid},${st.currentEpoch},${m.name},${ma.host},${ma.port},${m.configEpoch}`;
  if (!link.send([ri.command('PUBLISH'), HELLO_CHANNEL, payload], null)) return false;
  ri.lastPubTime = Date.now();
  return true;
}

/** Another Sentinel with this runid (any address), or at this address (any runid). */
function findSentinel(m: Instance, ip: string, port: number, runid: string | null): Instance | undefined {
  for (const s of m.sentinels.values()) {
    if (runid !== null && s.runid !== runid) continue;
    if (sameHost(s.addr.host, ip) && s.addr.port === port) return s;
  }
  return undefined;
}

function removeSentinelByRunid(host: SentinelHost, m: Instance, runid: string): number {
  let n = 0;
  for (const s of [...m.sentinels.values()]) {
    if (s.runid === runid) {
      host.dropInstance(s);
      n++;
    }
  }
  return n;
}

/** Learns the sender of a hello and what it says about the master. */
function learnSentinel(host: SentinelHost, m: Instance, ip: string, port: number, runid: string): Instance {
  const removed = removeSentinelByRunid(host, m, runid);
  if (removed > 0) {
    host.event('notice', '+sentinel-address-switch', m, `ip ${ip} port ${port} for ${runid}`);
  } else {
    const other = findSentinel(m, ip, port, null);
    if (other !== undefined && other.runid !== null) {
      host.event('notice', '+sentinel-invalid-addr', other);
      const obsolete = other.runid;
      for (const master of host.state.masters.values()) removeSentinelByRunid(host, master, obsolete);
    }
  }
  const si = host.addInstance(m, F.SENTINEL, runid, { host: ip, port });
  si.runid = runid;
  if (removed === 0) host.event('notice', '+sentinel', si);
  else for (const master of host.state.masters.values()) updateSentinelAddress(host, master, si);
  host.flushConfig();
  return si;
}

/** The same Sentinel seen under a new address: every master's entry for it moves too. */
function updateSentinelAddress(host: SentinelHost, m: Instance, moved: Instance): void {
  for (const s of m.sentinels.values()) {
    if (s === moved || s.runid !== moved.runid) continue;
    s.addr = { ...moved.addr };
    host.event('notice', '+sentinel-address-update', s);
  }
}

export function processHello(host: SentinelHost, payload: string): void {
  const st = host.state;
  if (payload.includes(st.myid)) return;
  const t = payload.split(',');
  if (t.length !== 8) return;
  const m = st.masters.get(t[4]!);
  if (m === undefined) return;
  const ip = t[0]!;
  const port = parseInt(t[1]!, 10) || 0;
  const runid = t[2]!;
  const epoch = Number(t[3]) || 0;
  const masterIp = t[5]!;
  const masterPort = parseInt(t[6]!, 10) || 0;
  const configEpoch = Number(t[7]) || 0;
  const si = findSentinel(m, ip, port, runid) ?? learnSentinel(host, m, ip, port, runid);
  if (epoch > st.currentEpoch) {
    st.currentEpoch = epoch;
    host.flushConfig();
    host.event('warning', '+new-epoch', null, String(epoch));
  }
  if (m.configEpoch < configEpoch) {
    m.configEpoch = configEpoch;
    if (masterPort !== m.addr.port || !sameHost(m.addr.host, masterIp)) {
      host.event('warning', '+config-update-from', si);
      host.event('warning', '+switch-master', null, `${m.name} ${m.addr.host} ${m.addr.port} ${masterIp} ${masterPort}`);
      host.resetMasterAndChangeAddress(m, masterIp, masterPort);
    }
  }
  si.lastHelloTime = Date.now();
}
