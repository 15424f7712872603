/**
 * Error-text differences from Redis that the extreme-argument differential accepts, each one
 * documented in docs/server.md ("Argument handling: differences from Redis"). A difference in
 * reply class (error vs not, closed, hang) is never accepted.
 */

export interface KnownTextDiff {
  /** Full command name (`zrange`, `client|list`). */
  readonly command: string;
  readonly ours: RegExp;
  readonly redis: RegExp;
  readonly why: string;
}

export const KNOWN_TEXT_DIFFS: readonly KnownTextDiff[] = [];

export function isKnownTextDiff(command: string, ours: string, redis: string): boolean {
  return KNOWN_TEXT_DIFFS.some((k) => k.command === command && k.ours.test(ours) && k.redis.test(redis));
}
