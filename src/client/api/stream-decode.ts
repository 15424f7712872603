/**
 * Reply decoders of the stream methods: the same typed shapes from RESP2 and RESP3, from
 * redis-server and ringcache-server.
 *
 * - an entry `[id, [field, value, …]]` → `{ id, fields }` (fields as an object; a repeated field
 *   name keeps its last value — XRANGE's raw reply keeps both); an entry deleted since it was
 *   delivered (XREADGROUP history) has `fields: null`;
 * - XREAD/XREADGROUP: a RESP3 map or RESP2 `[[key, entries]…]` → `{ key, entries }[]`, null when
 *   nothing arrived (BLOCK timed out);
 * - XPENDING, XAUTOCLAIM and XINFO replies → objects with camelCase names.
 */

import type { RespValue } from '../../protocol/resp-types.js';
import { text, type Decoder } from './decode.js';

/** One stream entry. */
export interface StreamEntry {
  /** The entry's ID, `<ms>-<seq>`. */
  id: string;
  /** null: the entry was deleted after it was delivered (history reads of XREADGROUP). */
  fields: Record<string, string> | null;
}

/** What XREAD / XREADGROUP returned for one stream. */
export interface StreamRead {
  /** The stream's key. */
  key: string;
  /** Its entries after the ID asked for, oldest first. */
  entries: StreamEntry[];
}

/** XPENDING's summary form: the group's pending entries in total. */
export interface PendingSummary {
  /** How many entries are pending (delivered, not acknowledged). */
  count: number;
  /** Smallest pending ID (null when nothing is pending). */
  min: string | null;
  /** Largest pending ID (null when nothing is pending). */
  max: string | null;
  /** Each consumer with pending entries, and how many it has. */
  consumers: {
    /** The consumer's name. */
    name: string;
    /** How many entries it has pending. */
    count: number;
  }[];
}

/** One pending entry of XPENDING's extended form. */
export interface PendingEntry {
  /** The entry's ID. */
  id: string;
  /** The consumer it was delivered to. */
  consumer: string;
  /** Milliseconds since the last delivery. */
  idleMs: number;
  /** How many times it was delivered. */
  deliveries: number;
}

/** XAUTOCLAIM's answer: the next cursor, what was claimed, and IDs no longer in the stream. */
export interface AutoClaimResult<T> {
  /** The cursor for the next call; '0-0' when the scan is complete. */
  next: string;
  /** The entries (or IDs, with JUSTID) now owned by the claiming consumer. */
  claimed: T[];
  /** IDs that were pending but are no longer in the stream (removed from the PEL). */
  deleted: string[];
}

/** What XINFO STREAM reports with or without FULL. */
export interface StreamCounters {
  /** Number of entries. */
  length: number;
  /** Keys in the stream's radix tree (memory layout; ringcache-server reports its own estimate). */
  radixTreeKeys: number;
  /** Nodes in the stream's radix tree (memory layout). */
  radixTreeNodes: number;
  /** The last ID generated or added (not necessarily still in the stream). */
  lastGeneratedId: string;
  /** The largest ID ever deleted ('0-0' when none). */
  maxDeletedEntryId: string;
  /** Entries ever added to the stream (deleted ones included). */
  entriesAdded: number;
  /** The ID of the first entry, as recorded. */
  recordedFirstEntryId: string;
}

/** XINFO STREAM: the counters, the number of groups, and the first and last entries. */
export interface StreamInfo extends StreamCounters {
  /** Number of consumer groups. */
  groups: number;
  /** The oldest entry (null when the stream is empty). */
  firstEntry: StreamEntry | null;
  /** The newest entry (null when the stream is empty). */
  lastEntry: StreamEntry | null;
}

/** One consumer group, as XINFO GROUPS reports it. */
export interface GroupInfo {
  /** The group's name. */
  name: string;
  /** Number of consumers. */
  consumers: number;
  /** Number of entries delivered and not acknowledged (its PEL). */
  pending: number;
  /** The ID of the last entry delivered to the group. */
  lastDeliveredId: string;
  /** null when unknown (see XINFO GROUPS). */
  entriesRead: number | null;
  /** Entries not yet delivered to the group; null when it cannot be computed. */
  lag: number | null;
}

/** One consumer of a group, as XINFO CONSUMERS reports it. */
export interface ConsumerInfo {
  /** The consumer's name. */
  name: string;
  /** Number of entries delivered to it and not acknowledged. */
  pending: number;
  /** Milliseconds since its last interaction. */
  idleMs: number;
}

/** A pending entry in XINFO STREAM FULL's group list. */
export interface FullPendingEntry {
  /** The entry's ID. */
  id: string;
  /** The consumer it was delivered to. */
  consumer: string;
  /** Unix time of the last delivery, in milliseconds. */
  deliveryTime: number;
  /** How many times it was delivered. */
  deliveries: number;
}

/** A consumer in XINFO STREAM FULL's group list. */
export interface FullConsumerInfo {
  /** The consumer's name. */
  name: string;
  /** Unix time it was last seen, in milliseconds. */
  seenTime: number;
  /** Number of entries pending for it. */
  pelCount: number;
  /** Its pending entries (at most `count` of them). */
  pending: Omit<FullPendingEntry, 'consumer'>[];
}

/** A consumer group in XINFO STREAM FULL. */
export interface FullGroupInfo {
  /** The group's name. */
  name: string;
  /** The ID of the last entry delivered to the group. */
  lastDeliveredId: string;
  /** Entries the group has read; null when unknown. */
  entriesRead: number | null;
  /** Entries not yet delivered to the group; null when it cannot be computed. */
  lag: number | null;
  /** Number of entries in the group's PEL. */
  pelCount: number;
  /** The group's pending entries (at most `count` of them). */
  pending: FullPendingEntry[];
  /** The group's consumers. */
  consumers: FullConsumerInfo[];
}

/** XINFO STREAM FULL: the counters, the entries (at most `count`), and each group in detail. */
export interface StreamInfoFull extends StreamCounters {
  /** The stream's entries, oldest first (at most `count`). */
  entries: StreamEntry[];
  /** Every consumer group, with its PEL and consumers. */
  groups: FullGroupInfo[];
}

function list(v: RespValue): RespValue[] {
  return Array.isArray(v) ? v : [];
}

function num(v: RespValue): number {
  return typeof v === 'number' ? v : Number(typeof v === 'bigint' ? v : text(v));
}

function numOrNull(v: RespValue): number | null {
  return v === null ? null : num(v);
}

/** A RESP3 map or a RESP2 flat field/value array, as [name, value] pairs. */
function pairs(v: RespValue): [string, RespValue][] {
  const out: [string, RespValue][] = [];
  if (v instanceof Map) for (const [k, x] of v) out.push([text(k), x]);
  else for (let i = 0, a = list(v); i + 1 < a.length; i += 2) out.push([text(a[i]!), a[i + 1]!]);
  return out;
}

/** A map-shaped reply as an object without a prototype (any field name is kept as data). */
function record(v: RespValue): Record<string, RespValue> {
  const out = Object.create(null) as Record<string, RespValue>;
  for (const [k, x] of pairs(v)) out[k] = x;
  return out;
}

export const entry: Decoder<StreamEntry> = (v) => {
  const [id, flat] = list(v);
  if (flat === null || flat === undefined) return { id: text(id ?? null), fields: null };
  const fields = Object.create(null) as Record<string, string>;
  const a = list(flat);
  for (let i = 0; i + 1 < a.length; i += 2) fields[text(a[i]!)] = text(a[i + 1]!);
  return { id: text(id ?? null), fields };
};

export const entries: Decoder<StreamEntry[]> = (v) => list(v).map(entry);

export const entryOrNull: Decoder<StreamEntry | null> = (v) => (v === null ? null : entry(v));

export const reads: Decoder<StreamRead[] | null> = (v) => {
  if (v === null) return null;
  if (v instanceof Map) return [...v].map(([k, e]) => ({ key: text(k), entries: entries(e) }));
  return list(v).map((pair) => {
    const [k, e] = list(pair);
    return { key: text(k ?? null), entries: entries(e ?? null) };
  });
};

export const ids: Decoder<string[]> = (v) => list(v).map(text);

export const pendingSummary: Decoder<PendingSummary> = (v) => {
  const [count, min, max, consumers] = list(v);
  return {
    count: num(count ?? 0),
    min: min === null || min === undefined ? null : text(min),
    max: max === null || max === undefined ? null : text(max),
    consumers: list(consumers ?? null).map((c) => {
      const [name, n] = list(c);
      return { name: text(name ?? null), count: num(n ?? 0) };
    }),
  };
};

export const pendingEntries: Decoder<PendingEntry[]> = (v) =>
  list(v).map((p) => {
    const [id, consumer, idle, count] = list(p);
    return { id: text(id ?? null), consumer: text(consumer ?? null), idleMs: num(idle ?? 0), deliveries: num(count ?? 0) };
  });

function autoclaim<T>(claimed: Decoder<T[]>): Decoder<AutoClaimResult<T>> {
  return (v) => {
    const [next, got, deleted] = list(v);
    return { next: text(next ?? null), claimed: claimed(got ?? null), deleted: ids(deleted ?? null) };
  };
}

export const autoclaimEntries: Decoder<AutoClaimResult<StreamEntry>> = autoclaim(entries);
export const autoclaimIds: Decoder<AutoClaimResult<string>> = autoclaim(ids);

function streamCounters(r: Record<string, RespValue>): StreamCounters {
  return {
    length: num(r.length ?? 0),
    radixTreeKeys: num(r['radix-tree-keys'] ?? 0),
    radixTreeNodes: num(r['radix-tree-nodes'] ?? 0),
    lastGeneratedId: text(r['last-generated-id'] ?? null),
    maxDeletedEntryId: text(r['max-deleted-entry-id'] ?? null),
    entriesAdded: num(r['entries-added'] ?? 0),
    recordedFirstEntryId: text(r['recorded-first-entry-id'] ?? null),
  };
}

export const streamInfo: Decoder<StreamInfo> = (v) => {
  const r = record(v);
  return { ...streamCounters(r), groups: num(r.groups ?? 0), firstEntry: entryOrNull(r['first-entry'] ?? null), lastEntry: entryOrNull(r['last-entry'] ?? null) };
};

export const streamInfoFull: Decoder<StreamInfoFull> = (v) => {
  const r = record(v);
  return {
    ...streamCounters(r),
    entries: entries(r.entries ?? null),
    groups: list(r.groups ?? null).map((gv) => {
      const g = record(gv);
      return {
        name: text(g.name ?? null),
        lastDeliveredId: text(g['last-delivered-id'] ?? null),
        entriesRead: numOrNull(g['entries-read'] ?? null),
        lag: numOrNull(g.lag ?? null),
        pelCount: num(g['pel-count'] ?? 0),
        pending: list(g.pending ?? null).map((p) => {
          const [id, consumer, time, count] = list(p);
          return { id: text(id ?? null), consumer: text(consumer ?? null), deliveryTime: num(time ?? 0), deliveries: num(count ?? 0) };
        }),
        consumers: list(g.consumers ?? null).map((cv) => {
          const c = record(cv);
          return {
            name: text(c.name ?? null),
            seenTime: num(c['seen-time'] ?? 0),
            pelCount: num(c['pel-count'] ?? 0),
            pending: list(c.pending ?? null).map((p) => {
              const [id, time, count] = list(p);
              return { id: text(id ?? null), deliveryTime: num(time ?? 0), deliveries: num(count ?? 0) };
            }),
          };
        }),
      };
    }),
  };
};

export const groupInfos: Decoder<GroupInfo[]> = (v) =>
  list(v).map((gv) => {
    const g = record(gv);
    return {
      name: text(g.name ?? null),
      consumers: num(g.consumers ?? 0),
      pending: num(g.pending ?? 0),
      lastDeliveredId: text(g['last-delivered-id'] ?? null),
      entriesRead: numOrNull(g['entries-read'] ?? null),
      lag: numOrNull(g.lag ?? null),
    };
  });

export const consumerInfos: Decoder<ConsumerInfo[]> = (v) =>
  list(v).map((cv) => {
    const c = record(cv);
    return { name: text(c.name ?? null), pending: num(c.pending ?? 0), idleMs: num(c.idle ?? 0) };
  });
