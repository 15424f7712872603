/** The public option and reply types of the typed command methods (re-exported by the package root). */
export type { ScoredMember, KeyedScoredMember, ScanPage, LcsMatch, LcsIdxResult } from './decode.js';
export type { SetOptions, GetExOptions, Entries, LcsIdxOptions } from './args/strings.js';
export type { BitRange, BitOpName, BitFieldType, BitFieldOffset, BitFieldOp } from './args/bitmaps.js';
export type { ExpireOptions, CopyOptions, ScanOptions, KeyScanOptions } from './args/keys.js';
export type { ListEnd, LPosOptions, CountOption, PoppedElement, PoppedElements } from './args/lists.js';
export type { LimitOption } from './args/hashes.js';
export type { ScoredInput, ZAddMembers, ZAddOptions, Bound, ZRangeOptions, Aggregate, ZCombineOptions, MinMax, PoppedMembers } from './args/zsets.js';
export type { StreamFields, StreamTrim, XAddOptions, XReadOptions, XReadGroupOptions, StreamOffsets, XClaimOptions } from './args/streams.js';
export type { XRangeOptions, XGroupCreateOptions, XPendingRangeOptions } from './methods/streams.js';
export type { StreamEntry, StreamRead, PendingSummary, PendingEntry, AutoClaimResult, StreamCounters, StreamInfo, StreamInfoFull, FullGroupInfo, FullConsumerInfo, FullPendingEntry, GroupInfo, ConsumerInfo } from './stream-decode.js';
export type { GeoUnit, GeoPosition, GeoPointInput, GeoAddOptions, GeoFrom, GeoShape, GeoSearchOptions, GeoSearchWithOptions, GeoSearchResult } from './args/geo.js';
export type { SortOptions, RestoreOptions } from './args/sort-dump.js';
export type { FlushMode, FunctionLoadOptions, FunctionListOptions, FunctionInfo, LibraryInfo } from './methods/scripting.js';
export type { Script, ScriptOptions } from './script.js';
