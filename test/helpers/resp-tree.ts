/**
 * Parses one raw RESP2/RESP3 reply frame into a plain tree, for differential tests that must mask
 * values that legitimately differ between servers (clock readings, idle times) before comparing.
 * Aggregates keep their type letter, so a RESP3 map never equals a RESP2 array.
 */

import { HarnessError } from './harness-error.js';

export type RespNode = string | number | null | { t: string; v: RespNode[] };

export function parseResp(raw: string): RespNode {
  let pos = 0;
  const line = (): string => {
    const end = raw.indexOf('\r\n', pos);
    if (end === -1) throw new HarnessError(`incomplete RESP frame: ${JSON.stringify(raw.slice(0, 80))}`);
    const s = raw.slice(pos, end);
    pos = end + 2;
    return s;
  };
  const node = (): RespNode => {
    const head = line();
    const type = head[0]!;
    const rest = head.slice(1);
    switch (type) {
      case '+':
      case '-':
      case ',':
      case '#':
      case '(':
        return type + rest;
      case ':':
        return Number(rest);
      case '_':
        return null;
      case '$':
      case '=':
      case '!': {
        const n = Number(rest);
        if (n < 0) return null;
        const s = raw.slice(pos, pos + n);
        pos += n + 2;
        return s;
      }
      case '*':
      case '~':
      case '>':
      case '%': {
        const n = Number(rest);
        if (n < 0) return null;
        const count = type === '%' ? 2 * n : n;
        const v: RespNode[] = [];
        for (let i = 0; i < count; i++) v.push(node());
        return { t: type, v };
      }
      default:
        throw new HarnessError(`not a RESP frame: ${JSON.stringify(raw.slice(0, 80))}`);
    }
  };
  return node();
}

/** The elements of an aggregate node (an empty list for anything else). */
export function items(n: RespNode): RespNode[] {
  return n !== null && typeof n === 'object' ? n.v : [];
}

/** In a flat field/value list (RESP2 map) or RESP3 map, replaces the values of `fields` with 'T'. */
export function maskFields(n: RespNode, fields: readonly string[]): void {
  const v = items(n);
  for (let i = 0; i + 1 < v.length; i += 2) if (typeof v[i] === 'string' && fields.includes(v[i] as string)) v[i + 1] = 'T';
}

/** The value of field `name` in a flat field/value list or map, or undefined. */
export function field(n: RespNode, name: string): RespNode | undefined {
  const v = items(n);
  for (let i = 0; i + 1 < v.length; i += 2) if (v[i] === name) return v[i + 1];
  return undefined;
}
