/**
 * Splits an inline command line into arguments with the quoting rules of Redis's sdssplitargs:
 * "double quotes" understand \n \r \t \b \a \\ \" and \xHH escapes, 'single quotes' only \',
 * and a closing quote must be followed by white space or the end of the line.
 * Returns null for unbalanced quotes (Redis: "Protocol error: unbalanced quotes in request").
 */

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

export function splitInlineArgs(line: string): string[] | null {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n || line.charCodeAt(i) === 0) return out;
    let cur = '';
    let mode = 0; // 0 plain, 1 "double", 2 'single'
    for (;;) {
      const c = i < n ? line.charCodeAt(i) : 0;
      if (mode === 1) {
        if (c === 0) return null;
        if (c === 92 && line.charCodeAt(i + 1) === 120) {
          const h = hexValue(line.charCodeAt(i + 2));
          const l = hexValue(line.charCodeAt(i + 3));
          if (h >= 0 && l >= 0) {
            cur += String.fromCharCode(h * 16 + l);
            i += 4;
            continue;
          }
        }
        if (c === 92 && i + 1 < n) {
          const e = line.charCodeAt(i + 1);
          cur +=
            e === 110 ? '\n' : e === 114 ? '\r' : e === 116 ? '\t' : e === 98 ? '\b' : e === 97 ? '\x07' : line[i + 1];
          i += 2;
          continue;
        }
        if (c === 34) {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          i++;
          break;
        }
        cur += line[i];
        i++;
      } else if (mode === 2) {
        if (c === 0) return null;
        if (c === 92 && line.charCodeAt(i + 1) === 39) {
          cur += "'";
          i += 2;
          continue;
        }
        if (c === 39) {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          i++;
          break;
        }
        cur += line[i];
        i++;
      } else {
        if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0) break;
        if (c === 34) mode = 1;
        else if (c === 39) mode = 2;
        else cur += line[i];
        i++;
      }
    }
    out.push(cur);
  }
}
