// The live timeline of the threads' lock: per thread, a bar while it holds the lock and one while
// it waits for it, over the last WINDOW_MS, redrawn each frame from the lock's trace (which the
// backend reads without waiting on the lock). A red tick marks a drop request.

import type { LockTraceEvent } from './protocol';

const WINDOW_MS = 250;
const ROW = 22;
const LABEL = 90;
const HOLD = '#2f6fd6';
const WAIT = '#e49a2b';
const DROP = '#c62828';

export interface TimelineDrawn {
  holds: number;
  waits: number;
  drops: number;
}

/**
 * Draws the last WINDOW_MS of a trace on `canvas`, a row per thread in the order they first
 * appear; returns how many bars and ticks it drew.
 */
export function drawTimeline(
  canvas: HTMLCanvasElement,
  { nowNs, events }: { nowNs: number; events: readonly LockTraceEvent[] },
  names: string[],
): TimelineDrawn {
  const context = canvas.getContext('2d')!;
  const startNs = nowNs - WINDOW_MS * 1e6;
  const rows = new Map<number, number>(); // thread → row
  canvas.height = Math.max(1, names.length) * ROW + 4;
  const width = canvas.width - LABEL;
  const x = (ns: number) => LABEL + (Math.max(ns, startNs) - startNs) * (width / (WINDOW_MS * 1e6));
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.font = '12px system-ui, sans-serif';
  context.fillStyle = '#1d2330';
  names.forEach((name, row) => context.fillText(name, 4, row * ROW + 15));
  const drawn: TimelineDrawn = { holds: 0, waits: 0, drops: 0 };
  const bar = (row: number, from: number, to: number, color: string) => {
    if (to < startNs || row >= names.length) return;
    context.fillStyle = color;
    context.fillRect(x(from), row * ROW + 3, Math.max(1, x(to) - x(from)), ROW - 6);
  };
  const open = new Map<number, { kind: 'hold' | 'wait'; since: number }>();
  for (const event of events) {
    if (!rows.has(event.thread)) rows.set(event.thread, rows.size);
    const row = rows.get(event.thread)!;
    const was = open.get(event.thread);
    if (event.event === 'drop-request') {
      if (event.timeNs >= startNs) {
        bar(row, event.timeNs, event.timeNs, DROP);
        drawn.drops++;
      }
      continue;
    }
    if (was && event.timeNs >= startNs) {
      bar(row, was.since, event.timeNs, was.kind === 'hold' ? HOLD : WAIT);
      drawn[was.kind === 'hold' ? 'holds' : 'waits']++;
    }
    if (event.event === 'take') open.set(event.thread, { kind: 'hold', since: event.timeNs });
    else if (event.event === 'wait') open.set(event.thread, { kind: 'wait', since: event.timeNs });
    else open.delete(event.thread);
  }
  for (const [thread, { kind, since }] of open) {
    bar(rows.get(thread)!, since, nowNs, kind === 'hold' ? HOLD : WAIT);
    drawn[kind === 'hold' ? 'holds' : 'waits']++;
  }
  return drawn;
}
