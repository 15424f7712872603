/**
 * Byte access to string values for the bit and HyperLogLog commands. A string value is a latin1
 * string (one char per byte, see keyspace/entry.ts); these helpers copy a window of it into a
 * reusable scratch Buffer at memcpy speed so that loops can run over bytes or 32-bit words, and
 * turn bytes back into a string value.
 *
 * Invariants:
 * - A window is at most CHUNK bytes: commands walk bigger values window by window, so the scratch
 *   memory stays bounded whatever the value's size (up to proto-max-bulk-len).
 * - A returned view starts 8-byte aligned (Int32Array views need no copy) and is zero-filled from
 *   the end of the copied bytes up to the next multiple of 8, so word loops need no tail case.
 * - A view stays valid until the next call that takes the same slot; callers never keep one
 *   across a command.
 */

/** Largest window copied at once (bytes). */
export const CHUNK = 1 << 20;

/** Node's internal latin1 codec (Buffer#write/toString without the encoding lookup); typed here. */
interface Latin1Buffer {
  latin1Write(s: string, offset: number, length?: number): number;
  latin1Slice(start: number, end: number): string;
}

/** Scratch slots: a command may hold one view per slot at the same time. */
export const Slot = { A: 0, B: 1, OUT: 2 } as const;
export type Slot = (typeof Slot)[keyof typeof Slot];

const slots: Buffer[] = [];
const wordViews: Int32Array[] = [];
for (let i = 0; i < 3; i++) install(i, Buffer.allocUnsafeSlow(4096));

function install(slot: number, buf: Buffer): void {
  slots[slot] = buf;
  wordViews[slot] = new Int32Array(buf.buffer, buf.byteOffset, buf.length >>> 2);
}

function round8(n: number): number {
  return (n + 7) & ~7;
}

/** The scratch Buffer of `slot`, grown to hold at least `bytes` (contents undefined). */
export function scratch(slot: Slot, bytes: number): Buffer {
  let buf = slots[slot]!;
  if (buf.length < bytes) {
    let size = buf.length;
    while (size < bytes) size *= 2;
    buf = Buffer.allocUnsafeSlow(size);
    install(slot, buf);
  }
  return buf;
}

/** Copies the latin1 string `s` into `buf` at `offset` (the caller made room); returns bytes written. */
export function writeLatin1(buf: Buffer, s: string, offset: number): number {
  if (s.length === 0) return 0;
  return (buf as unknown as Latin1Buffer).latin1Write(s, offset, s.length);
}

/** The bytes buf[start, end) as a string value. */
export function latin1(buf: Buffer, start: number, end: number): string {
  if (end <= start) return '';
  return (buf as unknown as Latin1Buffer).latin1Slice(start, end);
}

/**
 * A view of s[from, from + len) in `slot` (len ≤ CHUNK): bytes past the end of `s` read as zero,
 * and the view is zero-padded to a multiple of 8 bytes. Returns the scratch Buffer itself; the
 * window starts at index 0.
 */
export function byteWindow(s: string, from: number, len: number, slot: Slot = Slot.A): Buffer {
  const padded = round8(len);
  const buf = scratch(slot, padded);
  const avail = Math.max(0, Math.min(len, s.length - from));
  if (avail > 0) writeLatin1(buf, from === 0 && avail === s.length ? s : s.substring(from, from + avail), 0);
  if (avail < padded) buf.fill(0, avail, padded);
  return buf;
}

/** The 32-bit word view of a slot's current scratch Buffer (take the Buffer first: growing replaces it). */
export function slotWords(slot: Slot): Int32Array {
  return wordViews[slot]!;
}
