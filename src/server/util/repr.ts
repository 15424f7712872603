/**
 * Redis's sdscatrepr: a byte string quoted and escaped (`\\`, `\"`, `\n`, `\r`, `\t`, `\a`, `\b`,
 * other non-printable bytes as `\xHH`), as MONITOR shows arguments and CONFIG REWRITE writes
 * string values; splitInlineArgs (redis.conf parsing) reads it back.
 */

export function reprString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 0x5c || ch === 0x22) out += '\\' + s[i];
    else if (ch === 0x0a) out += '\\n';
    else if (ch === 0x0d) out += '\\r';
    else if (ch === 0x09) out += '\\t';
    else if (ch === 0x07) out += '\\a';
    else if (ch === 0x08) out += '\\b';
    else if (ch >= 0x20 && ch <= 0x7e) out += s[i];
    else out += '\\x' + ch.toString(16).padStart(2, '0');
  }
  return out + '"';
}
