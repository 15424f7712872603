/**
 * LATENCY GRAPH's text (Redis latencyCommandGenSparkeline + sparkline.c with SPARKLINE_FILL):
 * a title, a rule, then the samples as a 4-row sparkline with age labels written downwards.
 */

import type { LatencySeries } from './latency.js';

const GRAPH_COLS = 80;

/**
 * Redis's sparklineRenderRange with SPARKLINE_FILL over `values[offset, offset+len)`, scaled on
 * the whole sequence: `rows` rows of `_o#` and `|`, a blank row, then the labels written downwards.
 */
function sparkline(values: readonly number[], labels: readonly string[], offset: number, len: number, rows: number): string {
  const charset = '_o#';
  let min = 0;
  let max = 0;
  values.forEach((v, i) => {
    if (i === 0) min = max = v;
    else if (v < min) min = v;
    else if (v > max) max = v;
  });
  const relmax = max - min === 0 ? 1 : max - min;
  const steps = charset.length * rows;
  let out = '';
  for (let row = 0; ; row++) {
    let loop = false;
    const chars: string[] = new Array<string>(len).fill(' ');
    for (let j = 0; j < len; j++) {
      const step = Math.min(steps - 1, Math.max(0, Math.trunc(((values[j + offset]! - min) * steps) / relmax)));
      if (row < rows) {
        loop = true;
        const idx = step - (rows - row - 1) * charset.length;
        if (idx >= 0 && idx < charset.length) chars[j] = charset[idx]!;
        else if (idx >= charset.length) chars[j] = '|';
      } else {
        if (row === rows) {
          loop = true;
          break;
        }
        const label = labels[j + offset]!;
        if (label.length > row - rows - 1) {
          loop = true;
          chars[j] = label[row - rows - 1]!;
        }
      }
    }
    if (!loop) return out;
    out += chars.join('') + '\n';
  }
}

/** LATENCY GRAPH (Redis latencyCommandGenSparkeline): the event's samples, 80 columns a block. */
export function latencyGraph(event: string, ts: LatencySeries): string {
  const samples = ts.history();
  const now = Math.floor(Date.now() / 1000);
  const values = samples.map((s) => s.latency);
  const labels = samples.map((s) => {
    const e = now - s.time;
    return e < 60 ? `${e}s` : e < 3600 ? `${Math.floor(e / 60)}m` : e < 86400 ? `${Math.floor(e / 3600)}h` : `${Math.floor(e / 86400)}d`;
  });
  const high = Math.max(0, ...values);
  const low = values.length === 0 ? 0 : Math.min(...values);
  let out = `${event} - high ${high} ms, low ${low} ms (all time high ${ts.max} ms)\n${'-'.repeat(GRAPH_COLS)}\n`;
  for (let j = 0; j < values.length; j += GRAPH_COLS) {
    if (j !== 0) out += '\n';
    out += sparkline(values, labels, j, Math.min(GRAPH_COLS, values.length - j), 4);
  }
  return out;
}
