/**
 * The RDB value codec of streams (rdb.c rdbSaveObject / rdbLoadObject for OBJ_STREAM):
 * RDB_TYPE_STREAM_LISTPACKS_2 (19) written, as Redis 7.0 writes it; 19 and the 6.x type 15 read.
 *
 *   nodes    := len n · n × (raw 16-byte master ID · listpack blob)
 *   counters := len length · len last.ms · len last.seq
 *               [19: len first.ms · len first.seq · len maxdel.ms · len maxdel.seq · len entries-added]
 *   groups   := len g · g × (name · len last.ms · len last.seq · [19: len entries-read]
 *               · len p · p × (raw id · ms-time delivery · len count)
 *               · len c · c × (name · ms-time seen · len q · q × raw id))
 *
 * Lengths are unsigned 64-bit (IDs use the whole range; entries-read -1 is 2^64-1); ms-times are
 * 8-byte little-endian. Our nodes already are Redis's listpacks, so they are copied as they are.
 * Reading validates every listpack (bounds, back-lengths) and its stream layout, and refuses
 * duplicate nodes, groups, consumers and PEL entries, a consumer PEL entry missing from its
 * group's PEL, a pending entry without an owner, and a length that disagrees with the nodes —
 * never a value that could fail later.
 */

import { RdbFormatError } from '../../../errors.js';
import { ValueType } from '../../keyspace/entry.js';
import { Consumer, INVALID_ENTRIES_READ, Nack } from '../../datatypes/structures/stream-cgroup.js';
import { StreamId, cmpId, idKey } from '../../datatypes/structures/stream-id.js';
import { StreamNode } from '../../datatypes/structures/stream-node.js';
import { Stream } from '../../datatypes/structures/stream-value.js';
import { decodeListpack } from './listpack.js';
import type { RdbReader } from './rdb-reader.js';
import { RdbType, type RdbValueCodec } from './rdb-types.js';
import type { RdbWriter } from './rdb-writer.js';

const TWO32 = 4294967296;

function bad(what: string): never {
  throw new RdbFormatError(`stream: ${what}`);
}

/** rdbSaveLen of an unsigned 64-bit value given as halves. */
function writeU64(w: RdbWriter, hi: number, lo: number): void {
  if (hi < 0x200000) return w.writeLen(hi * TWO32 + lo);
  const b = Buffer.allocUnsafe(9);
  b[0] = 0x81;
  b.writeUInt32BE(hi, 1);
  b.writeUInt32BE(lo, 5);
  w.writeRaw(b);
}

/** rdbLoadLen of an unsigned 64-bit value, as halves. */
function readU64(r: RdbReader): [number, number] {
  const b = r.readByte();
  const type = b >> 6;
  if (type === 0) return [0, b & 0x3f];
  if (type === 1) return [0, ((b & 0x3f) << 8) | r.readByte()];
  if (b === 0x80) return [0, r.readRaw(4).readUInt32BE(0)];
  if (b === 0x81) {
    const raw = r.readRaw(8);
    return [raw.readUInt32BE(0), raw.readUInt32BE(4)];
  }
  return bad(`bad length encoding ${b}`);
}

/** A 64-bit length as a safe JS number (counts, times). */
function readNumber(r: RdbReader): number {
  const [hi, lo] = readU64(r);
  if (hi >= 0x200000) bad('counter beyond 2^53');
  return hi * TWO32 + lo;
}

function writeId(w: RdbWriter, id: StreamId): void {
  writeU64(w, id.msHi, id.msLo);
  writeU64(w, id.seqHi, id.seqLo);
}

function readId(r: RdbReader): StreamId {
  const [msHi, msLo] = readU64(r);
  const [seqHi, seqLo] = readU64(r);
  return new StreamId(msHi, msLo, seqHi, seqLo);
}

function rawId(id: StreamId): Buffer {
  const b = Buffer.allocUnsafe(16);
  b.writeUInt32BE(id.msHi, 0);
  b.writeUInt32BE(id.msLo, 4);
  b.writeUInt32BE(id.seqHi, 8);
  b.writeUInt32BE(id.seqLo, 12);
  return b;
}

function readRawId(b: Buffer): StreamId {
  if (b.length !== 16) bad('node key is not the size of a stream ID');
  return new StreamId(b.readUInt32BE(0), b.readUInt32BE(4), b.readUInt32BE(8), b.readUInt32BE(12));
}

/** rdbSaveMillisecondTime: int64 little-endian. */
function writeMs(w: RdbWriter, ms: number): void {
  const b = Buffer.allocUnsafe(8);
  b.writeBigInt64LE(BigInt(Math.trunc(ms)), 0);
  w.writeRaw(b);
}

function readMs(r: RdbReader): number {
  const v = r.readRaw(8).readBigInt64LE(0);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) bad('time out of range');
  return Number(v);
}

function intOf(s: string | undefined): number {
  if (s === undefined || !/^-?\d+$/.test(s)) bad('listpack stream layout (integer expected)');
  return Number(s);
}

/**
 * streamValidateListpackIntegrity in deep mode, on the validated elements: the master entry,
 * then count + deleted entries, each with its flags, ID deltas, fields and lp-count. Returns the
 * live count.
 */
function checkNodeLayout(items: readonly string[]): number {
  let i = 0;
  const next = (): string => (i < items.length ? items[i++]! : bad('listpack stream layout (truncated)'));
  const live = intOf(next());
  const deleted = intOf(next());
  const masterFields = intOf(next());
  if (live < 0 || deleted < 0 || masterFields < 0) bad('listpack stream layout (counts)');
  for (let j = 0; j < masterFields; j++) next();
  if (intOf(next()) !== 0) bad('listpack stream layout (master terminator)');
  let liveSeen = 0;
  for (let e = 0; e < live + deleted; e++) {
    const flags = intOf(next());
    intOf(next());
    intOf(next());
    let fields = masterFields;
    let extra = 3;
    if (!(flags & 2)) {
      fields = intOf(next());
      if (fields < 0) bad('listpack stream layout (fields)');
      for (let j = 0; j < fields; j++) next();
      extra += fields + 1;
    }
    for (let j = 0; j < fields; j++) next();
    if (intOf(next()) !== fields + extra) bad('listpack stream layout (lp-count)');
    if (!(flags & 1)) liveSeen++;
  }
  if (i !== items.length) bad('listpack stream layout (trailing elements)');
  if (liveSeen !== live) bad('listpack stream layout (live count)');
  return live;
}

export const STREAM_CODEC: RdbValueCodec = {
  valueType: ValueType.STREAM,
  rdbTypes: [RdbType.STREAM_LISTPACKS, RdbType.STREAM_LISTPACKS_2],

  encode(w, value) {
    const s = value as Stream;
    w.writeByte(RdbType.STREAM_LISTPACKS_2);
    w.writeLen(s.nodes.length);
    for (const n of s.nodes) {
      w.writeBlob(rawId(n.master));
      w.writeBlob(n.buf.subarray(0, n.used));
    }
    w.writeLen(s.length);
    writeId(w, s.lastId);
    writeId(w, s.firstId);
    writeId(w, s.maxDeletedId);
    w.writeLen(s.entriesAdded);
    const groups = s.groups === null ? [] : [...s.groups.values()];
    w.writeLen(groups.length);
    for (const g of groups) {
      w.writeString(g.name);
      writeId(w, g.lastId);
      if (g.entriesRead === INVALID_ENTRIES_READ) writeU64(w, 0xffffffff, 0xffffffff);
      else w.writeLen(g.entriesRead);
      w.writeLen(g.pel.size);
      for (const [k, nack] of g.pel.entries()) {
        w.writeRaw(rawKey(k));
        writeMs(w, nack.deliveryTime);
        w.writeLen(nack.deliveryCount);
      }
      w.writeLen(g.consumers.size);
      for (const c of g.consumers.values()) {
        w.writeString(c.name);
        writeMs(w, c.seenTime);
        w.writeLen(c.pel.size);
        for (const [k] of c.pel.entries()) w.writeRaw(rawKey(k));
      }
    }
  },

  decode(r, rdbType) {
    const s = new Stream();
    const v2 = rdbType === RdbType.STREAM_LISTPACKS_2;
    const nodes: StreamNode[] = [];
    let live = 0;
    const count = r.readCount(2);
    for (let i = 0; i < count; i++) {
      const master = readRawId(r.readBlob());
      const blob = r.readBlob();
      const items = decodeListpack(blob);
      if (items.length === 0) bad('empty listpack');
      live += checkNodeLayout(items);
      const buf = Buffer.allocUnsafeSlow(blob.length);
      blob.copy(buf);
      nodes.push(new StreamNode(master, buf, buf.length));
    }
    nodes.sort((a, b) => cmpId(a.master, b.master));
    for (let i = 0; i < nodes.length; i++) {
      if (i > 0 && cmpId(nodes[i - 1]!.master, nodes[i]!.master) === 0) bad('listpack re-added with existing key');
      s.pushNode(nodes[i]!);
    }
    s.length = readNumber(r);
    if (s.length !== live) bad('length inconsistent with the nodes');
    s.lastId = readId(r);
    if (v2) {
      s.firstId = readId(r);
      s.maxDeletedId = readId(r);
      s.entriesAdded = readNumber(r);
    } else {
      s.entriesAdded = s.length;
      s.firstId = s.length === 0 ? s.firstId : s.edgeId(true, true);
    }
    const groups = r.readCount(3);
    for (let i = 0; i < groups; i++) {
      const name = r.readString();
      const lastId = readId(r);
      let entriesRead: number;
      if (v2) {
        const [hi, lo] = readU64(r);
        entriesRead = hi === 0xffffffff && lo === 0xffffffff ? INVALID_ENTRIES_READ : hi < 0x200000 ? hi * TWO32 + lo : bad('entries-read beyond 2^53');
      } else {
        entriesRead = s.estimateDistance(lastId);
      }
      const g = s.createGroup(name, lastId, entriesRead) ?? bad(`duplicated consumer group name ${name}`);
      const pel = r.readCount(16 + 8 + 1);
      for (let j = 0; j < pel; j++) {
        const key = idKey(readRawId(r.readRaw(16)));
        const nack = new Nack(readMs(r), readNumber(r), null);
        if (!g.pel.set(key, nack)) bad('duplicated global PEL entry');
      }
      const consumers = r.readCount(1 + 8 + 1);
      for (let j = 0; j < consumers; j++) {
        const cname = r.readString();
        if (g.consumers.has(cname)) bad('duplicate consumer');
        const c = new Consumer(cname, readMs(r));
        g.addConsumer(c);
        const owned = r.readCount(16);
        for (let k = 0; k < owned; k++) {
          const key = idKey(readRawId(r.readRaw(16)));
          const nack = g.pel.get(key) ?? bad('consumer entry not found in group global PEL');
          if (nack.consumer !== null) bad('duplicated consumer PEL entry');
          nack.consumer = c;
          c.pel.set(key, nack);
        }
      }
      for (const nack of g.pel.values()) if (nack.consumer === null) bad('PEL entry without consumer');
    }
    s.groupsChanged();
    return s;
  },
};

/** The raw 16-byte ID of a PEL key (idKey's 8 16-bit chunks, big-endian). */
function rawKey(k: string): Buffer {
  const b = Buffer.allocUnsafe(16);
  for (let i = 0; i < 8; i++) b.writeUInt16BE(k.charCodeAt(i), 2 * i);
  return b;
}
