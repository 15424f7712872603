/**
 * SHUTDOWN's flags as words (Redis 7.0 shutdown_on_sig_enum): `save`, `nosave`, `now`, `force`,
 * and `default` for none. Parsed here for SHUTDOWN and for `shutdown-on-sigterm` /
 * `shutdown-on-sigint`, which print them back in Redis's order.
 */

/** What SHUTDOWN (or a signal) asked for: Redis 7.0's SAVE / NOSAVE / NOW / FORCE flags. */
export interface ShutdownRequest {
  /** SAVE: write a snapshot even without save rules. */
  readonly save: boolean;
  /** NOSAVE: no snapshot even with save rules. */
  readonly nosave: boolean;
  /** NOW: do not wait for lagging replicas. */
  readonly now: boolean;
  /** FORCE: errors writing the AOF or the snapshot are logged and ignored. */
  readonly force: boolean;
}

export const SHUTDOWN_WORDS = ['default', 'save', 'nosave', 'now', 'force'] as const;

/** The flags the words name; null for an unknown word or SAVE with NOSAVE. */
export function parseShutdownFlags(words: readonly string[]): ShutdownRequest | null {
  const req = { save: false, nosave: false, now: false, force: false };
  for (const w of words) {
    const word = w.toLowerCase();
    if (word === 'save') req.save = true;
    else if (word === 'nosave') req.nosave = true;
    else if (word === 'now') req.now = true;
    else if (word === 'force') req.force = true;
    else if (word !== 'default') return null;
  }
  return req.save && req.nosave ? null : req;
}

/** Validates a `shutdown-on-sig*` value; returns Redis's error text or null. */
export function checkShutdownOnSig(text: string): string | null {
  const words = text.split(/\s+/).filter((w) => w !== '');
  if (words.length === 0 || words.some((w) => !(SHUTDOWN_WORDS as readonly string[]).includes(w.toLowerCase()))) {
    return `argument(s) must be one of the following: ${SHUTDOWN_WORDS.join(', ')}`;
  }
  if (parseShutdownFlags(words) === null) return "shutdown options SAVE and NOSAVE can't be used simultaneously";
  return null;
}

/** A `shutdown-on-sig*` value as CONFIG GET prints it: `default`, or the flags in Redis's order. */
export function formatShutdownOnSig(text: string): string {
  const req = parseShutdownFlags(text.split(/\s+/).filter((w) => w !== ''));
  if (req === null) return text;
  const out: string[] = [];
  if (req.save) out.push('save');
  if (req.nosave) out.push('nosave');
  if (req.now) out.push('now');
  if (req.force) out.push('force');
  return out.length === 0 ? 'default' : out.join(' ');
}
