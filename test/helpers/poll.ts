/**
 * Bounded polling for tests: wait until a condition holds, or fail with a HarnessError naming what
 * was awaited. A condition that throws counts as not yet true. The one copy every test uses.
 */

import { HarnessError } from './harness-error.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every `everyMs` until it is true; HarnessError after `timeoutMs`. */
export async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 15_000, everyMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await Promise.resolve(fn()).catch(() => false)) return;
    await sleep(everyMs);
  }
  throw new HarnessError(`timed out waiting for ${what}`);
}
