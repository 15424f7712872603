/**
 * The JavaScript shape of parsed RESP2/RESP3 replies (client side):
 * simple string → string; error / bulk error → ReplyError (a value, not thrown); integer → number
 * (bigint beyond the safe range); bulk / verbatim → string, or Buffer in buffer mode; null → null;
 * boolean → boolean; double → number; big number → bigint; array / set → array; map → Map;
 * push → delivered out of band as an array; attribute → skipped. With the parser's `resp2Shape`
 * (the client), RESP3-only types arrive as RESP2 sends them instead (no Map, boolean or bigint but
 * for integers beyond 2^53; doubles as strings).
 */

import type { ReplyError } from '../errors.js';

/** A parsed reply: what `call()` and raw script/function replies resolve with (see the module comment for the mapping). */
export type RespValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Buffer
  | ReplyError
  | RespValue[]
  | Map<RespValue, RespValue>;
