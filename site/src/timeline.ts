// The live timeline of the shared lock: per worker, a bar while it holds the lock and one while
// it waits for it, over the last WINDOW_MS, redrawn each frame from the lock's trace (read with
// atomic loads: the page never waits on the lock). A red tick marks a drop request.

import type { JsGil } from '../../lib/gil/js-lock';

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

/** Draws the last WINDOW_MS of `gil`'s trace on `canvas`; returns how many bars and ticks it drew. */
export function drawTimeline(canvas: HTMLCanvasElement, gil: JsGil, names: string[]): TimelineDrawn {
  const context = canvas.getContext('2d')!;
  const nowNs = gil.nowNs();
  const startNs = nowNs - WINDOW_MS * 1e6;
  const slots = new Map<number, number>(); // slot → row
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
  for (const event of gil.trace(4096)) {
    if (!slots.has(event.slot)) slots.set(event.slot, slots.size);
    const row = slots.get(event.slot)!;
    const was = open.get(event.slot);
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
    if (event.event === 'take') open.set(event.slot, { kind: 'hold', since: event.timeNs });
    else if (event.event === 'wait') open.set(event.slot, { kind: 'wait', since: event.timeNs });
    else open.delete(event.slot);
  }
  for (const [slot, { kind, since }] of open) {
    bar(slots.get(slot)!, since, nowNs, kind === 'hold' ? HOLD : WAIT);
    drawn[kind === 'hold' ? 'holds' : 'waits']++;
  }
  return drawn;
}
