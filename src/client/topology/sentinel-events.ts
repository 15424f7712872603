/**
 * Sentinel's pub/sub events and command replies, parsed. Pure: text in, records out.
 *
 * Event payloads (PROTOCOL-NOTES §2.2): `+switch-master <name> <old-ip> <old-port> <new-ip> <new-port>`;
 * instance events carry "instance details", `<master|slave|sentinel> <name> <ip> <port>[ @ <master>
 * <master-ip> <master-port>]` with name = master name, `ip:port` for a replica, runid for a Sentinel.
 * Replies: SENTINEL replicas/sentinels answer flat field/value arrays in RESP2 and maps in RESP3.
 */

import type { RespValue } from '../../protocol/resp-types.js';

/** The channels the watcher subscribes to. */
export const WATCHED_EVENTS = [
  '+switch-master',
  '+sdown',
  '-sdown',
  '+odown',
  '-odown',
  '+slave',
  '+convert-to-slave',
  '+slave-reconf-done',
  '+failover-end',
  '+role-change',
  '+sentinel',
] as const;

export type SentinelEvent =
  | { readonly type: 'switch-master'; readonly master: string; readonly from: string; readonly to: string }
  | {
      readonly type: 'instance';
      /** The event name without its sign ('sdown', 'slave', …) and whether it was '+' or '-'. */
      readonly event: string;
      readonly sign: '+' | '-';
      readonly role: 'master' | 'slave' | 'sentinel';
      readonly address: string;
      /** The master the instance belongs to (its own name for a master). */
      readonly master: string;
    };

function validPort(p: string | undefined): boolean {
  return p !== undefined && /^\d{1,5}$/.test(p);
}

/** Parses one event; null for channels we do not follow and malformed payloads. */
export function parseSentinelEvent(channel: string, payload: string): SentinelEvent | null {
  const w = payload.trim().split(/\s+/);
  if (channel === '+switch-master') {
    if (w.length < 5 || !validPort(w[2]) || !validPort(w[4])) return null;
    return { type: 'switch-master', master: w[0]!, from: `${w[1]}:${w[2]}`, to: `${w[3]}:${w[4]}` };
  }
  const sign = channel[0];
  if ((sign !== '+' && sign !== '-') || w.length < 4 || !validPort(w[3])) return null;
  const role = w[0];
  if (role !== 'master' && role !== 'slave' && role !== 'sentinel') return null;
  const at = w.indexOf('@');
  const master = role === 'master' ? w[1]! : at !== -1 ? w[at + 1] : undefined;
  if (master === undefined) return null;
  return { type: 'instance', event: channel.slice(1), sign, role, address: `${w[2]}:${w[3]}`, master };
}

/**
 * Drops events already seen within `windowMs` (the same event arrives once per subscribed
 * Sentinel). Bounded: entries older than the window are swept on insert.
 */
export class EventDeduper {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time `channel payload` is offered within the window. */
  fresh(channel: string, payload: string): boolean {
    const t = this.now();
    const key = `${channel} ${payload}`;
    const last = this.seen.get(key);
    if (this.seen.size > 256) for (const [k, at] of this.seen) if (t - at > this.windowMs) this.seen.delete(k);
    if (last !== undefined && t - last <= this.windowMs) return false;
    this.seen.set(key, t);
    return true;
  }
}

function str(v: RespValue | undefined): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString();
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return '';
}

/** One instance record of SENTINEL replicas/sentinels/master: RESP2 flat array or RESP3 map. */
export function fieldsOf(v: RespValue): Map<string, string> {
  const out = new Map<string, string>();
  if (v instanceof Map) for (const [k, x] of v) out.set(str(k), str(x));
  else if (Array.isArray(v)) for (let i = 0; i + 1 < v.length; i += 2) out.set(str(v[i]), str(v[i + 1]));
  return out;
}

export interface InstanceRecord {
  address: string;
  /** Usable for reads: no s_down/o_down/disconnected flag and (when asked) master-link-status ok. */
  healthy: boolean;
}

const BAD_FLAGS = ['s_down', 'o_down', 'disconnected'];

/**
 * SENTINEL replicas <m>: each replica and whether reads may go to it. `linkStatus` false ignores
 * `master-link-status` (Sentinel refreshes it from INFO only every 10 s, so it lags both ways;
 * the client's own link checker is fresher when it runs).
 */
export function parseReplicas(reply: RespValue, linkStatus = true): InstanceRecord[] {
  if (!Array.isArray(reply)) return [];
  return reply.map(fieldsOf).flatMap((f) => {
    const ip = f.get('ip');
    const port = f.get('port');
    if (ip === undefined || !validPort(port) || port === '0') return [];
    const flags = (f.get('flags') ?? '').split(',');
    const linkOk = !linkStatus || (f.get('master-link-status') ?? 'ok') === 'ok';
    return [{ address: `${ip}:${port}`, healthy: linkOk && !flags.some((x) => BAD_FLAGS.includes(x)) }];
  });
}

/** SENTINEL sentinels <m>: the other Sentinels' addresses. */
export function parseSentinels(reply: RespValue): string[] {
  if (!Array.isArray(reply)) return [];
  return reply.map(fieldsOf).flatMap((f) => {
    const ip = f.get('ip');
    const port = f.get('port');
    return ip !== undefined && validPort(port) ? [`${ip}:${port}`] : [];
  });
}

/** SENTINEL get-master-addr-by-name: `ip:port`, or null when this Sentinel does not know the master. */
export function parseMasterAddr(reply: RespValue): string | null {
  if (!Array.isArray(reply) || reply.length < 2) return null;
  const port = str(reply[1]);
  return validPort(port) ? `${str(reply[0])}:${port}` : null;
}

/** ROLE's first element: 'master', 'slave', 'sentinel' (or '' when the reply is not a ROLE reply). */
export function parseRole(reply: RespValue): string {
  return Array.isArray(reply) ? str(reply[0]) : '';
}
