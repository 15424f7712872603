/**
 * Glob matching with the exact rules of Redis's stringmatchlen (util.c), used by KEYS, SCAN MATCH,
 * PSUBSCRIBE, CONFIG GET and CLIENT KILL patterns: `*`, `?`, `[...]` with ranges and `^` negation,
 * and `\` escapes. Operates on latin1 strings (bytes). Recursion on `*` is bounded by a nesting
 * limit, as Redis bounds it, so hostile patterns cannot blow the stack.
 */

const MAX_NESTING = 1000;

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function match(p: string, pi: number, s: string, si: number, nocase: boolean, nesting: number, skipLongerMatches: { v: boolean }): boolean {
  if (nesting > MAX_NESTING) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const pc = p.charCodeAt(pi);
    if (pc === 42 /* * */) {
      while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
      if (pi + 1 === plen) return true;
      while (si < slen) {
        if (match(p, pi + 1, s, si, nocase, nesting + 1, skipLongerMatches)) return true;
        if (skipLongerMatches.v) return false;
        si++;
      }
      skipLongerMatches.v = true;
      return false;
    } else if (pc === 63 /* ? */) {
      si++;
    } else if (pc === 91 /* [ */) {
      pi++;
      const not = p.charCodeAt(pi) === 94; /* ^ */
      if (not) pi++;
      let matched = false;
      const sc = s.charCodeAt(si);
      for (;;) {
        if (pi >= plen) {
          pi--;
          break;
        }
        const c = p.charCodeAt(pi);
        if (c === 92 /* \ */ && pi + 1 < plen) {
          pi++;
          if (p.charCodeAt(pi) === sc) matched = true;
        } else if (c === 93 /* ] */) {
          break;
        } else if (pi + 2 < plen && p.charCodeAt(pi + 1) === 45 /* - */) {
          let start = c;
          let end = p.charCodeAt(pi + 2);
          let ch = sc;
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = lower(start);
            end = lower(end);
            ch = lower(ch);
          }
          pi += 2;
          if (ch >= start && ch <= end) matched = true;
        } else if (nocase ? lower(c) === lower(sc) : c === sc) {
          matched = true;
        }
        pi++;
      }
      if (not) matched = !matched;
      if (!matched) return false;
      si++;
    } else {
      if (pc === 92 /* \ */ && pi + 1 < plen) pi++;
      const c = p.charCodeAt(pi);
      const sc = s.charCodeAt(si);
      if (nocase ? lower(c) !== lower(sc) : c !== sc) return false;
      si++;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi === plen && si === slen;
}

/** True when `text` matches the glob `pattern` (Redis stringmatchlen semantics). */
export function globMatch(pattern: string, text: string, nocase = false): boolean {
  if (pattern === '*') return true;
  return match(pattern, 0, text, 0, nocase, 0, { v: false });
}
