/**
 * A stream in the snapshot format (persistence/snapshot-format.ts): its collection payload is a
 * sequence of string batches, each led by a tag, written and read in order:
 *
 *   M  last-id · max-deleted-id · entries-added · length · first-id      the counters, once, first
 *   N  (master-id · listpack bytes)…                                     the nodes, as Redis keeps them
 *   G  name · last-delivered-id · entries-read                           starts a group
 *   C  (name · seen-time)…                                               its consumers
 *   P  (entry-id · consumer · delivery-time · delivery-count)…           its pending entries
 *
 * IDs are `ms-seq` text, numbers decimal, listpacks their raw bytes (latin1). The emitter is
 * resumable between batches; the snapshot job abandons and redoes the key if the stream changes
 * meanwhile (every stream change signals, consumer-group ones through signalStateChanged).
 */

import { PersistenceError } from '../../errors.js';
import { LpElement, elementText, latin1Slice, readU32 } from './structures/listpack.js';
import { Consumer, ConsumerGroup, Nack } from './structures/stream-cgroup.js';
import { formatId, idFromKey, idKey, parseStreamId, type StreamId } from './structures/stream-id.js';
import { StreamNode } from './structures/stream-node.js';
import { Stream } from './structures/stream-value.js';

type Phase = 'meta' | 'nodes' | 'group' | 'consumers' | 'pel' | 'done';

/** Writes a stream as tagged batches into a caller's string array. */
export class StreamEmitter {
  private phase: Phase = 'meta';
  private node = 0;
  private readonly groups: ConsumerGroup[];
  private group = 0;
  private consumers: Consumer[] = [];
  private pel: [string, Nack][] = [];
  private pos = 0;

  constructor(private readonly s: Stream) {
    this.groups = s.groups === null ? [] : [...s.groups.values()];
  }

  /** Fills `out` with the next batch (≤ maxItems strings, about maxBytes); returns its length, 0 at the end. */
  next(out: string[], maxItems: number, maxBytes: number): number {
    for (;;) {
      let n = 0;
      switch (this.phase) {
        case 'meta':
          return this.meta(out);
        case 'nodes':
          n = this.nodes(out, maxItems, maxBytes);
          break;
        case 'group':
          n = this.groupHead(out);
          break;
        case 'consumers':
          n = this.consumerBatch(out, maxItems);
          break;
        case 'pel':
          n = this.pelBatch(out, maxItems);
          break;
        default:
          return 0;
      }
      if (n > 0) return n;
    }
  }

  private meta(out: string[]): number {
    const s = this.s;
    this.phase = 'nodes';
    out[0] = 'M';
    out[1] = formatId(s.lastId);
    out[2] = formatId(s.maxDeletedId);
    out[3] = String(s.entriesAdded);
    out[4] = String(s.length);
    out[5] = formatId(s.firstId);
    return 6;
  }

  /** The next nodes, or 0 (moving on to the groups) when they are all written. */
  private nodes(out: string[], maxItems: number, maxBytes: number): number {
    const nodes = this.s.nodes;
    if (this.node >= nodes.length) {
      this.phase = 'group';
      return 0;
    }
    let n = 0;
    out[n++] = 'N';
    let bytes = 0;
    while (this.node < nodes.length && n + 2 <= maxItems && bytes < maxBytes) {
      const node = nodes[this.node++]!;
      out[n++] = formatId(node.master);
      out[n++] = latin1Slice(node.buf, 0, node.used);
      bytes += node.used;
    }
    return n;
  }

  /** The next group's head, or 0 with phase 'done' after the last group. */
  private groupHead(out: string[]): number {
    const g = this.groups[this.group];
    if (g === undefined) {
      this.phase = 'done';
      return 0;
    }
    this.consumers = [...g.consumers.values()];
    this.pel = [...g.pel.entries()];
    this.pos = 0;
    this.phase = 'consumers';
    out[0] = 'G';
    out[1] = g.name;
    out[2] = formatId(g.lastId);
    out[3] = String(g.entriesRead);
    return 4;
  }

  private consumerBatch(out: string[], maxItems: number): number {
    if (this.pos >= this.consumers.length) {
      this.phase = 'pel';
      this.pos = 0;
      return 0;
    }
    let n = 0;
    out[n++] = 'C';
    while (this.pos < this.consumers.length && n + 2 <= maxItems) {
      const c = this.consumers[this.pos++]!;
      out[n++] = c.name;
      out[n++] = String(c.seenTime);
    }
    return n;
  }

  private pelBatch(out: string[], maxItems: number): number {
    if (this.pos >= this.pel.length) {
      this.group++;
      this.phase = 'group';
      return 0;
    }
    let n = 0;
    out[n++] = 'P';
    while (this.pos < this.pel.length && n + 4 <= maxItems) {
      const [k, nack] = this.pel[this.pos++]!;
      out[n++] = formatId(idFromKey(k));
      out[n++] = nack.consumer?.name ?? '';
      out[n++] = String(nack.deliveryTime);
      out[n++] = String(nack.deliveryCount);
    }
    return n;
  }
}

function bad(detail: string): never {
  throw new PersistenceError(`Bad stream record: ${detail}`);
}

function idOf(text: string): StreamId {
  return parseStreamId(text, 'min', true)?.id ?? bad(`invalid ID '${text.slice(0, 64)}'`);
}

function numOf(text: string): number {
  const n = Number(text);
  return Number.isFinite(n) && text !== '' ? n : bad(`invalid number '${text.slice(0, 64)}'`);
}

/** Rebuilds a stream from the batches StreamEmitter wrote. */
export class StreamBuilder {
  readonly stream = new Stream();
  private group: ConsumerGroup | null = null;

  add(strs: readonly string[], count: number): void {
    const s = this.stream;
    switch (strs[0]) {
      case 'M':
        if (count !== 6) bad('counters');
        s.lastId = idOf(strs[1]!);
        s.maxDeletedId = idOf(strs[2]!);
        s.entriesAdded = numOf(strs[3]!);
        s.length = numOf(strs[4]!);
        s.firstId = idOf(strs[5]!);
        return;
      case 'N':
        for (let i = 1; i + 1 < count; i += 2) {
          const buf = Buffer.from(strs[i + 1]!, 'latin1');
          if (buf.length < 7 || readU32(buf, 0) !== buf.length || buf[buf.length - 1] !== 0xff) bad('listpack');
          s.pushNode(new StreamNode(idOf(strs[i]!), buf, buf.length));
        }
        return;
      case 'G':
        this.group = s.createGroup(strs[1]!, idOf(strs[2]!), numOf(strs[3]!)) ?? bad('duplicate group');
        return;
      case 'C': {
        const g = this.group ?? bad('consumer outside a group');
        for (let i = 1; i + 1 < count; i += 2) {
          if (g.consumers.has(strs[i]!)) bad('duplicate consumer');
          g.addConsumer(new Consumer(strs[i]!, numOf(strs[i + 1]!)));
        }
        return;
      }
      case 'P': {
        const g = this.group ?? bad('pending entry outside a group');
        for (let i = 1; i + 3 < count; i += 4) {
          const key = idKey(idOf(strs[i]!));
          const owner = g.consumers.get(strs[i + 1]!) ?? bad('pending entry of an unknown consumer');
          const nack = new Nack(numOf(strs[i + 2]!), numOf(strs[i + 3]!), owner);
          g.pel.set(key, nack);
          owner.pel.set(key, nack);
        }
        return;
      }
      default:
        bad(`unknown batch '${String(strs[0]).slice(0, 8)}'`);
    }
  }

  finish(): Stream {
    this.stream.groupsChanged();
    return this.stream;
  }
}

/**
 * What DEBUG DIGEST hashes of a stream, as Redis's xorObjectDigest does: the live entries (ID,
 * fields, values) only, so nodes and consumer-group state (seen-times differ between a master and
 * its replica) do not matter.
 */
export function streamDigest(s: Stream, update: (part: string) => void): void {
  const it = s.iterate(null, null, false);
  const f = new LpElement();
  const v = new LpElement();
  while (it.next()) {
    update(formatId(it.id()));
    for (let i = 0; i < it.numFields; i++) {
      it.field(f);
      update(elementText(it.node!.buf, f));
      it.value(v);
      update(elementText(it.node!.buf, v));
    }
  }
}
