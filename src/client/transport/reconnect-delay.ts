/**
 * The pause before a reconnect attempt: the application's `retryStrategy(attempt, error)`, or
 * capped exponential backoff with jitter (half the capped exponential, plus a random half). A
 * strategy that returns null, throws, or answers anything but a finite number ≥ 0 stops
 * reconnecting: the answer is then the reason, as text.
 */

/**
 * Decides the pause before reconnect attempt `attempt` (1 = the first after a drop or a failed
 * connect); `error` is why the last socket ended. null (or anything but a finite number ≥ 0)
 * stops reconnecting.
 */
export type RetryStrategy = (attempt: number, error: Error) => number | null;

/** What the delay depends on (a connection's options). */
export interface BackoffOptions {
  /** Replaces the exponential backoff when set. */
  retryStrategy: RetryStrategy | null;
  reconnectBaseDelayMs: number;
  reconnectMaxDelayMs: number;
}

/** Milliseconds to wait before attempt `attempt`, or why to stop reconnecting. */
export function reconnectDelay(o: BackoffOptions, attempt: number, err: Error): number | string {
  if (o.retryStrategy !== null) {
    let ms: unknown;
    try {
      ms = o.retryStrategy(attempt, err);
    } catch (e) {
      return `retryStrategy threw: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (ms === null) return 'retryStrategy returned null';
    return typeof ms === 'number' && ms >= 0 && Number.isFinite(ms) ? ms : `retryStrategy returned ${String(ms)}, not a delay in ms`;
  }
  const exp = Math.min(o.reconnectMaxDelayMs, o.reconnectBaseDelayMs * 2 ** Math.min(attempt - 1, 20));
  return exp / 2 + (Math.random() * exp) / 2;
}
