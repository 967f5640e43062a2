// Tables and coloured figures as the CLI prints them.

import Table from 'cli-table3';
import { speedup } from '../report/text';
import type { Colors } from './terminal';

/** Colours a speedup by what it says: green where it is faster, red where it is slower. */
export function speedupColored(value: number | null, colors: Colors): string {
  const text = speedup(value);
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
