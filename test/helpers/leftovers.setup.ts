/**
 * Runs in every test file (vitest setupFiles): after the file's own hooks, kills any server it
 * started and did not stop, and says so, so a test that leaks processes is visible and the
 * processes do not outlive the run.
 */
import { afterAll } from 'vitest';
import { killLeftovers } from './processes.js';

afterAll(() => {
  const n = killLeftovers();
  if (n > 0) console.warn(`[leftovers] killed ${n} server process(es) this test file started and did not stop`);
});
