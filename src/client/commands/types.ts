/** The public option and reply types of the typed command methods (re-exported by the package root). */
export type { ScoredMember, ScanPage } from './decode.js';
export type { SetOptions, GetExOptions, Entries } from './strings.js';
export type { ExpireOptions, CopyOptions, ScanOptions, KeyScanOptions } from './keys.js';
export type { ListEnd, LPosOptions, CountOption, PoppedElement, PoppedElements } from './lists.js';
export type { LimitOption } from './hashes.js';
export type { ScoredInput, ZAddMembers, ZAddOptions, Bound, ZRangeOptions, Aggregate, ZCombineOptions, MinMax, PoppedMembers } from './zsets.js';
