/** Errors raised by the test harness itself (a server that would not start, a missing reply…). */
export class HarnessError extends Error {
  readonly code = 'ERR_TEST_HARNESS';
}
