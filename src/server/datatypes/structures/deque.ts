/**
 * A double-ended queue of latin1 strings on a growable ring buffer: O(1) push and pop at both
 * ends and O(1) indexed access (never Array#shift); O(n) only for removals and insertions inside.
 * Tracks its byte size for MEMORY USAGE and maxmemory.
 */

import type { CollectionValue } from '../../keyspace/entry.js';

/** Estimated heap bytes per element beyond its characters: the slot plus a string header. */
const PER_ELEMENT = 24;
const BASE = 64;

export class Deque implements CollectionValue {
  private buf: (string | undefined)[];
  private head = 0;
  private len = 0;
  private chars = 0;

  constructor(capacity = 8) {
    let cap = 8;
    while (cap < capacity) cap <<= 1;
    this.buf = new Array<string | undefined>(cap);
  }

  get size(): number {
    return this.len;
  }

  get bytes(): number {
    return BASE + this.buf.length * 8 + this.len * PER_ELEMENT + this.chars;
  }

  private mask(i: number): number {
    return (this.head + i) & (this.buf.length - 1);
  }

  private grow(): void {
    const next = new Array<string | undefined>(this.buf.length * 2);
    for (let i = 0; i < this.len; i++) next[i] = this.buf[this.mask(i)];
    this.buf = next;
    this.head = 0;
  }

  pushBack(v: string): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[this.mask(this.len)] = v;
    this.len++;
    this.chars += v.length;
  }

  pushFront(v: string): void {
    if (this.len === this.buf.length) this.grow();
    this.head = (this.head - 1) & (this.buf.length - 1);
    this.buf[this.head] = v;
    this.len++;
    this.chars += v.length;
  }

  popFront(): string | undefined {
    if (this.len === 0) return undefined;
    const v = this.buf[this.head]!;
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.len--;
    this.chars -= v.length;
    return v;
  }

  popBack(): string | undefined {
    if (this.len === 0) return undefined;
    const i = this.mask(this.len - 1);
    const v = this.buf[i]!;
    this.buf[i] = undefined;
    this.len--;
    this.chars -= v.length;
    return v;
  }

  /** Element at index i (0-based from the head), or undefined. */
  at(i: number): string | undefined {
    return i < 0 || i >= this.len ? undefined : this.buf[this.mask(i)];
  }

  set(i: number, v: string): void {
    const j = this.mask(i);
    this.chars += v.length - this.buf[j]!.length;
    this.buf[j] = v;
  }

  /** Elements [start, end] inclusive (already clamped by the caller). */
  range(start: number, end: number): string[] {
    const out: string[] = [];
    for (let i = start; i <= end; i++) out.push(this.buf[this.mask(i)]!);
    return out;
  }

  /** Rebuilds from a new element sequence (LREM, LTRIM, LINSERT: O(n) operations). */
  replaceAll(items: readonly string[]): void {
    let cap = 8;
    while (cap < items.length) cap <<= 1;
    this.buf = new Array<string | undefined>(cap);
    this.head = 0;
    this.len = 0;
    this.chars = 0;
    for (const v of items) this.pushBack(v);
  }

  toArray(): string[] {
    return this.range(0, this.len - 1);
  }

  clone(): Deque {
    const d = new Deque(this.len);
    for (let i = 0; i < this.len; i++) d.pushBack(this.buf[this.mask(i)]!);
    return d;
  }
}
