/**
 * The `save <seconds> <changes> [<seconds> <changes> …]` rules (redis.conf): a background save
 * is due when, for some rule, at least `changes` writes happened and at least `seconds` passed
 * since the last successful save. After a failed background save Redis waits
 * CONFIG_BGSAVE_RETRY_DELAY (5 s) before trying again; so do we.
 */

export interface SaveRule {
  readonly seconds: number;
  readonly changes: number;
}

export const BGSAVE_RETRY_DELAY_MS = 5000;

/** Parses the `save` parameter (already validated by the config table). */
export function parseSaveRules(text: string): SaveRule[] {
  const parts = text.trim() === '' ? [] : text.trim().split(/\s+/).map(Number);
  const rules: SaveRule[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) rules.push({ seconds: parts[i]!, changes: parts[i + 1]! });
  return rules;
}

export interface SaveClock {
  /** Changes since the last save (server.dirty). */
  dirty: number;
  /** Last successful save (ms). */
  lastSave: number;
  /** Last background save attempt (ms) and whether it failed. */
  lastTry: number;
  lastFailed: boolean;
}

/** The rule that makes a background save due now, or null. */
export function dueRule(rules: readonly SaveRule[], clock: SaveClock, now: number): SaveRule | null {
  if (clock.lastFailed && now - clock.lastTry <= BGSAVE_RETRY_DELAY_MS) return null;
  for (const r of rules) {
    if (clock.dirty >= r.changes && now - clock.lastSave > r.seconds * 1000) return r;
  }
  return null;
}
