/**
 * RDB value codecs of the five core types, as Redis 7.0 writes and reads them (rdb.c
 * rdbSaveObject / rdbLoadObject):
 *
 * - string: RDB_TYPE_STRING (an integer of 32 bits as an integer encoding, long strings LZF).
 * - list: RDB_TYPE_LIST_QUICKLIST_2, nodes of listpacks cut by list-max-listpack-size; reads
 *   also the linked list (1), ziplist (10) and ziplist quicklist (14) of older versions.
 * - set: RDB_TYPE_SET_INTSET while the set is an intset, else RDB_TYPE_SET.
 * - sorted set: RDB_TYPE_ZSET_LISTPACK (member, score pairs in order) while compact, else
 *   RDB_TYPE_ZSET_2 (members from the highest score down, binary doubles); reads also the text
 *   doubles of RDB_TYPE_ZSET and ziplists.
 * - hash: RDB_TYPE_HASH_LISTPACK while compact, else RDB_TYPE_HASH; reads also zipmaps and
 *   ziplists.
 * Reading re-derives encodings as Redis does on load, and refuses duplicates, NaN scores, empty
 * collections and malformed blobs (RdbFormatError) — also where Redis's shallow check would let
 * them through, since every blob is decoded here anyway.
 */

import { RdbFormatError } from '../../../errors.js';
import { formatDouble } from '../../../protocol/double-format.js';
import { Deque } from '../../datatypes/structures/deque.js';
import { HashDict } from '../../datatypes/structures/hash-dict.js';
import { SetValue } from '../../datatypes/structures/set-value.js';
import { NIL } from '../../datatypes/structures/skiplist.js';
import { SortedSet } from '../../datatypes/structures/sorted-set.js';
import { ValueType } from '../../keyspace/entry.js';
import { strText, type StringValue } from '../../keyspace/string-value.js';
import { encodeIntset, decodeIntset } from './intset.js';
import { decodeListpack, encodeListpack, ListpackBuilder } from './listpack.js';
import type { RdbReader } from './rdb-reader.js';
import { RdbType, type RdbLimits, type RdbValueCodec } from './rdb-types.js';
import type { RdbWriter } from './rdb-writer.js';
import { decodeZiplist } from './ziplist.js';
import { decodeZipmap } from './zipmap.js';

const QUICKLIST_PLAIN = 1;
const QUICKLIST_PACKED = 2;
/** quicklist's SIZE_SAFETY_LIMIT and its size classes for negative list-max-listpack-size. */
const SAFETY_LIMIT = 8192;
const SIZE_CLASSES = [4096, 8192, 16384, 32768, 65536];

function empty(): never {
  throw new RdbFormatError('empty collection');
}

export const STRING_CODEC: RdbValueCodec = {
  valueType: ValueType.STRING,
  rdbTypes: [RdbType.STRING],
  encode(w, value) {
    w.writeByte(RdbType.STRING);
    w.writeString(strText(value as StringValue));
  },
  decode(r) {
    return r.readString();
  },
};

/** Whether a quicklist node holding `entries` entries in `bytes` bytes takes one more of `size` bytes. */
function nodeTakes(fill: number, entries: number, bytes: number, size: number): boolean {
  const next = bytes + size + (size < 64 ? 2 : size < 4096 ? 3 : 6);
  if (fill < 0) return next <= SIZE_CLASSES[Math.min(-fill, 5) - 1]!;
  return next <= SAFETY_LIMIT && entries < fill;
}

function encodeList(w: RdbWriter, list: Deque, limits: RdbLimits): void {
  const nodes: Buffer[] = [];
  let lp = new ListpackBuilder();
  for (let i = 0; i < list.size; i++) {
    const s = list.at(i)!;
    if (lp.entries > 0 && !nodeTakes(limits.listMaxListpackSize, lp.entries, lp.bytes, s.length)) {
      nodes.push(lp.finish());
      lp = new ListpackBuilder();
    }
    lp.append(s);
  }
  if (lp.entries > 0) nodes.push(lp.finish());
  w.writeByte(RdbType.LIST_QUICKLIST_2);
  w.writeLen(nodes.length);
  for (const node of nodes) {
    w.writeLen(QUICKLIST_PACKED);
    w.writeBlob(node);
  }
}

function decodeList(r: RdbReader, rdbType: number): Deque {
  let items: string[] = [];
  if (rdbType === RdbType.LIST) {
    for (let n = r.readCount(); n > 0; n--) items.push(r.readString());
  } else if (rdbType === RdbType.LIST_ZIPLIST) {
    items = decodeZiplist(r.readBlob());
  } else {
    for (let n = r.readCount(); n > 0; n--) {
      const container = rdbType === RdbType.LIST_QUICKLIST_2 ? r.readLen() : QUICKLIST_PACKED;
      if (container !== QUICKLIST_PACKED && container !== QUICKLIST_PLAIN) throw new RdbFormatError('quicklist integrity check failed');
      const blob = r.readBlob();
      if (blob.length === 0) throw new RdbFormatError('empty quicklist node');
      if (container === QUICKLIST_PLAIN) items.push(blob.toString('latin1'));
      else for (const s of rdbType === RdbType.LIST_QUICKLIST_2 ? decodeListpack(blob) : decodeZiplist(blob)) items.push(s);
    }
  }
  if (items.length === 0) empty();
  const list = new Deque(items.length);
  for (const s of items) list.pushBack(s);
  return list;
}

export const LIST_CODEC: RdbValueCodec = {
  valueType: ValueType.LIST,
  rdbTypes: [RdbType.LIST, RdbType.LIST_ZIPLIST, RdbType.LIST_QUICKLIST, RdbType.LIST_QUICKLIST_2],
  encode: (w, value, limits) => encodeList(w, value as Deque, limits),
  decode: (r, rdbType) => decodeList(r, rdbType),
};

function addMember(set: SetValue, m: string, limits: RdbLimits): void {
  if (!set.add(m, limits.setMaxIntsetEntries)) throw new RdbFormatError('duplicate set members detected');
}

export const SET_CODEC: RdbValueCodec = {
  valueType: ValueType.SET,
  rdbTypes: [RdbType.SET, RdbType.SET_INTSET],
  encode(w, value) {
    const set = value as SetValue;
    const members = set.list();
    if (set.isIntset) {
      w.writeByte(RdbType.SET_INTSET);
      w.writeBlob(encodeIntset(members));
      return;
    }
    w.writeByte(RdbType.SET);
    w.writeLen(members.length);
    for (const m of members) w.writeString(m);
  },
  decode(r, rdbType, limits) {
    const set = new SetValue();
    if (rdbType === RdbType.SET_INTSET) {
      for (const m of decodeIntset(r.readBlob())) addMember(set, m, limits);
    } else {
      for (let n = r.readCount(); n > 0; n--) addMember(set, r.readString(), limits);
    }
    if (set.size === 0) empty();
    return set;
  },
};

/** A listpack score: an integer entry, or a double's text (zzlGetScore). */
function scoreFromText(text: string): number {
  const v = Number(text);
  if (!Number.isNaN(v) && text.trim() !== '') return v;
  if (/^[+-]?inf(inity)?$/i.test(text)) return text.charCodeAt(0) === 45 ? -Infinity : Infinity;
  throw new RdbFormatError('bad sorted set score');
}

function addScored(z: SortedSet, member: string, score: number): void {
  if (Number.isNaN(score)) throw new RdbFormatError('sorted set with a NaN score');
  if (!z.set(member, score)) throw new RdbFormatError('duplicate sorted set members detected');
}

function encodeZset(w: RdbWriter, z: SortedSet): void {
  const list = z.list;
  if (z.compact) {
    const lp = new ListpackBuilder();
    for (let n = list.first(); n !== NIL; n = list.next(n)) {
      lp.append(list.member(n));
      lp.append(formatDouble(list.score(n)));
    }
    w.writeByte(RdbType.ZSET_LISTPACK);
    w.writeBlob(lp.finish());
    return;
  }
  w.writeByte(RdbType.ZSET_2);
  w.writeLen(z.size);
  for (let n = list.tail; n !== NIL; n = list.prev(n)) {
    w.writeString(list.member(n));
    w.writeBinaryDouble(list.score(n));
  }
}

function decodeZset(r: RdbReader, rdbType: number, limits: RdbLimits): SortedSet {
  const z = new SortedSet();
  if (rdbType === RdbType.ZSET || rdbType === RdbType.ZSET_2) {
    for (let n = r.readCount(rdbType === RdbType.ZSET_2 ? 9 : 2); n > 0; n--) {
      const member = r.readString();
      addScored(z, member, rdbType === RdbType.ZSET_2 ? r.readBinaryDouble() : r.readTextDouble());
    }
    if (z.size === 0) empty();
    z.fit(limits.zsetMaxListpackEntries, limits.zsetMaxListpackValue);
    return z;
  }
  const items = rdbType === RdbType.ZSET_LISTPACK ? decodeListpack(r.readBlob()) : decodeZiplist(r.readBlob());
  if (items.length % 2 !== 0) throw new RdbFormatError('sorted set listpack with an odd number of entries');
  for (let i = 0; i < items.length; i += 2) addScored(z, items[i]!, scoreFromText(items[i + 1]!));
  if (z.size === 0) empty();
  z.fit(limits.zsetMaxListpackEntries, Infinity);
  return z;
}

export const ZSET_CODEC: RdbValueCodec = {
  valueType: ValueType.ZSET,
  rdbTypes: [RdbType.ZSET, RdbType.ZSET_2, RdbType.ZSET_ZIPLIST, RdbType.ZSET_LISTPACK],
  encode: (w, value) => encodeZset(w, value as SortedSet),
  decode: (r, rdbType, limits) => decodeZset(r, rdbType, limits),
};

function encodeHash(w: RdbWriter, h: HashDict): void {
  const flat: string[] = [];
  for (let s = 0; s < h.slotCount; s++) {
    const f = h.fieldAt(s);
    if (f !== undefined) flat.push(f, h.valueAt(s)!);
  }
  if (h.compact) {
    w.writeByte(RdbType.HASH_LISTPACK);
    w.writeBlob(encodeListpack(flat));
    return;
  }
  w.writeByte(RdbType.HASH);
  w.writeLen(flat.length / 2);
  for (const s of flat) w.writeString(s);
}

/** Fills a hash from flattened pairs; `maxValue` converts on a long field or value (RDB_TYPE_HASH, zipmaps). */
function fillHash(h: HashDict, flat: readonly string[], limits: RdbLimits, checkLength: boolean): void {
  if (flat.length % 2 !== 0) throw new RdbFormatError('hash listpack with an odd number of entries');
  for (let i = 0; i < flat.length; i += 2) {
    const f = flat[i]!;
    const v = flat[i + 1]!;
    if (checkLength && (f.length > limits.hashMaxListpackValue || v.length > limits.hashMaxListpackValue)) h.convert();
    if (!h.set(f, v)) throw new RdbFormatError('duplicate hash fields detected');
  }
  if (h.size === 0) empty();
  if (h.size > limits.hashMaxListpackEntries) h.convert();
}

function decodeHash(r: RdbReader, rdbType: number, limits: RdbLimits): HashDict {
  const h = new HashDict();
  if (rdbType === RdbType.HASH) {
    const n = r.readCount(2);
    const flat: string[] = [];
    for (let i = 0; i < n; i++) flat.push(r.readString(), r.readString());
    fillHash(h, flat, limits, true);
  } else if (rdbType === RdbType.HASH_ZIPMAP) {
    fillHash(h, decodeZipmap(r.readBlob()), limits, true);
  } else {
    fillHash(h, rdbType === RdbType.HASH_LISTPACK ? decodeListpack(r.readBlob()) : decodeZiplist(r.readBlob()), limits, false);
  }
  return h;
}

export const HASH_CODEC: RdbValueCodec = {
  valueType: ValueType.HASH,
  rdbTypes: [RdbType.HASH, RdbType.HASH_ZIPMAP, RdbType.HASH_ZIPLIST, RdbType.HASH_LISTPACK],
  encode: (w, value) => encodeHash(w, value as HashDict),
  decode: (r, rdbType, limits) => decodeHash(r, rdbType, limits),
};

export const BUILTIN_CODECS: readonly RdbValueCodec[] = [STRING_CODEC, LIST_CODEC, SET_CODEC, ZSET_CODEC, HASH_CODEC];
