// Tables and coloured figures as the CLI prints them.

import Table from 'cli-table3';
import type { CeilingRow } from '../lab/types';
import { speedup, speedupWithin } from '../report/text';
import type { Colors } from './terminal';

/** Colours a speedup (written as `text`) by what it says: green where it is faster, red where it is slower. */
export function speedupColored(value: number | null, colors: Colors, text = speedup(value)): string {
  if (value === null) return colors.dim(text);
  if (value >= 1.1) return colors.green(text);
  if (value <= 0.9) return colors.red(text);
  return text;
}

export interface TableOptions {
  colors: Colors;
  /** Alignment per column; numbers read best right-aligned. */
  align?: ('left' | 'right' | 'center')[];
}

export function table(head: string[], rows: string[][], { colors, align }: TableOptions): string {
  const t = new Table({
    head: head.map((h) => colors.bold(h)),
    colAligns: align,
    // cli-table3 colours heads and borders itself unless told not to; colour is decided here.
    // Compact: no rule between rows, only under the head.
    style: { head: [], border: [], compact: true },
  });
  t.push(...rows);
  return `${t.toString()}\n`;
}

/** Word-wraps `text` (no colour codes in it) to lines of at most `width` characters. */
export function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** The machine's ceiling of a run in one line: "machine: 2 processes 1.63× ±0.05 (ideal 2×) …". */
export function ceilingLine(ceiling: readonly CeilingRow[]): string | null {
  if (ceiling.length === 0) return null;
  const figures = ceiling
    .map((c) => `${c.workers} processes ${speedupWithin(c.speedup, c.speedupCI)} (ideal ${c.workers}×)`)
    .join(', ');
  return `machine: ${figures} — plain CPU-bound processes side by side against one, just before: the most this machine gave in parallel.`;
}

/** The warnings of a record, each on its own wrapped line, or nothing. */
export function warningLines(warnings: readonly string[], colors: Colors, width: number): string {
  if (warnings.length === 0) return '';
  return `${warnings.map((w) => colors.yellow(wrap(`! ${w}`, width))).join('\n')}\n`;
}
