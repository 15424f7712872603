/**
 * The registry of RDB value codecs and the two entry points that use it: `writeValue` (the RDB
 * type byte and the value, rdbSaveObjectType + rdbSaveObject) and `readValue` (rdbLoadObjectType +
 * rdbLoadObject). The five core types are registered here; another value type (streams: RDB
 * types 15 and 19) adds its codec with `registerRdbCodec` before the first payload is read.
 * Module types (6, 7) have no codec and are refused.
 */

import { RdbFormatError } from '../../../errors.js';
import type { StoredValue, ValueType } from '../../keyspace/entry.js';
import { BUILTIN_CODECS } from './builtin-codecs.js';
import { STREAM_CODEC } from './stream-codec.js';
import type { RdbReader } from './rdb-reader.js';
import type { RdbLimits, RdbValueCodec } from './rdb-types.js';
import type { RdbWriter } from './rdb-writer.js';

const byValueType = new Map<number, RdbValueCodec>();
const byRdbType = new Map<number, RdbValueCodec>();

/** Adds a codec; a later codec for the same value or RDB type replaces the earlier one. */
export function registerRdbCodec(codec: RdbValueCodec): void {
  byValueType.set(codec.valueType, codec);
  for (const t of codec.rdbTypes) byRdbType.set(t, codec);
}

for (const codec of BUILTIN_CODECS) registerRdbCodec(codec);
registerRdbCodec(STREAM_CODEC);

/** Writes `value` of `type` (type byte, then the value). */
export function writeValue(w: RdbWriter, type: ValueType, value: StoredValue, limits: RdbLimits): void {
  const codec = byValueType.get(type);
  if (codec === undefined) throw new RdbFormatError(`no RDB codec for value type ${type}`);
  codec.encode(w, value, limits);
}

/** Reads one value (type byte, then the value). */
export function readValue(r: RdbReader, limits: RdbLimits): { type: ValueType; value: StoredValue } {
  const rdbType = r.readByte();
  const codec = byRdbType.get(rdbType);
  if (codec === undefined) throw new RdbFormatError(`unsupported RDB value type ${rdbType}`);
  return { type: codec.valueType as ValueType, value: codec.decode(r, rdbType, limits) };
}
