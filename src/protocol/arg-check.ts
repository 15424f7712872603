/**
 * What a command argument may be, checked before any byte of the command is encoded: a string, a
 * Buffer, a finite number or a bigint, at most `maxBulk` bytes long (the server's
 * proto-max-bulk-len: a longer bulk makes the server close the connection, failing every other
 * command on it). Anything else (undefined, null, NaN, ±Infinity, booleans, objects, arrays,
 * symbols, functions) cannot be sent.
 *
 * `badArgument` is on every command's path, so it allocates nothing and measures a string's UTF-8
 * length only when it could be over the limit (a UTF-16 unit takes 1 to 3 bytes).
 */

/** Redis's default proto-max-bulk-len: 512 MiB. */
export const DEFAULT_MAX_BULK = 512 * 1024 * 1024;

/** Index of the first argument that cannot be sent (the command name must be a non-empty string), or -1. */
export function badArgument(argv: readonly unknown[], maxBulk: number): number {
  const n = argv.length;
  if (n === 0) return 0;
  const name = argv[0];
  if (typeof name !== 'string' || name.length === 0) return 0;
  for (let i = 1; i < n; i++) {
    const a = argv[i];
    if (typeof a === 'string') {
      if (a.length * 3 > maxBulk && (a.length > maxBulk || Buffer.byteLength(a, 'utf8') > maxBulk)) return i;
    } else if (typeof a === 'number') {
      if (a - a !== 0) return i; // NaN, ±Infinity
    } else if (typeof a !== 'bigint' && !(Buffer.isBuffer(a) && a.length <= maxBulk)) return i;
  }
  return -1;
}

function describe(a: unknown): string {
  if (a === null) return 'null';
  if (Array.isArray(a)) return 'an array (spread it, or pass its items as separate arguments)';
  switch (typeof a) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return String(a);
    case 'boolean':
      return `a boolean (${String(a)})`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return `an object (${Object.prototype.toString.call(a).slice(8, -1)})`;
  }
}

/** Why argument `i` (as found by badArgument) cannot be sent. */
export function badArgumentReason(argv: readonly unknown[], i: number, maxBulk: number): string {
  if (argv.length === 0) return 'the command is empty';
  const a = argv[i];
  if (i === 0) return `the command name must be a non-empty string, got ${typeof a === 'string' ? 'an empty string' : describe(a)}`;
  if (typeof a === 'string' || Buffer.isBuffer(a)) {
    const bytes = typeof a === 'string' ? Buffer.byteLength(a, 'utf8') : a.length;
    return `argument ${i} is ${bytes} bytes, over the server's proto-max-bulk-len of ${maxBulk} bytes (client option maxBulkBytes)`;
  }
  const what = typeof a === 'number' ? `${describe(a)}, not a finite number` : describe(a);
  return `argument ${i} is ${what}; arguments must be strings, Buffers, finite numbers or bigints`;
}
