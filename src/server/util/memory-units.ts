/**
 * redis.conf memory values: `100`, `1k` (1000), `1kb` (1024), `5mb`, `1gb` … (Redis memtoull).
 */

const UNITS: Readonly<Record<string, number>> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };

/** Bytes for a memory value, or null when the text is not one. */
export function parseMemory(text: string): number | null {
  const m = /^(-?\d+)(k|kb|m|mb|g|gb|b)?$/i.exec(text.trim());
  if (m === null) return null;
  return Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]!;
}
