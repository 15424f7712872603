/**
 * Protocol size limits, with Redis's defaults (networking.c / config.c of Redis 7.0).
 * Shared by the request parser (server), the reply parser (client) and configuration validation.
 */

/** `proto-max-bulk-len`: the largest bulk string a request may carry (512 MiB). */
export const DEFAULT_MAX_BULK_LENGTH = 512 * 1024 * 1024;

/** The largest element count of a request's multibulk header (Redis rejects above INT_MAX; we cap at 1M * 1024). */
export const DEFAULT_MAX_MULTIBULK_LENGTH = 1024 * 1024 * 1024;

/** PROTO_INLINE_MAX_SIZE: an inline command, or a `*`/`$` header line, longer than this is refused. */
export const INLINE_MAX_SIZE = 64 * 1024;

/** Before AUTH, Redis accepts at most this many arguments per command … */
export const UNAUTHENTICATED_MAX_MULTIBULK = 10;

/** … and bulk strings no longer than this. */
export const UNAUTHENTICATED_MAX_BULK = 16384;

/** Bulk payloads at least this long that arrive split are gathered chunk by chunk and joined once. */
export const BIG_ARG_THRESHOLD = 32 * 1024;
