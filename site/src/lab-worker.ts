// A worker of the page: a thread under the JS backend's lock, running the kernels of lib/kernels
// with the same seat and ticker as a worker thread in Node (lib/backends/js-worker.ts). Its
// blocking waits (taking the lock, the sleep kernel) are Atomics.wait, which a worker may call.

import { BoardTicker, cellOf, type BreakerBoard } from '../../lib/breaker';
import { CancelledError } from '../../lib/errors';
import { JsGil, JsSeat, type JsGilThread } from '../../lib/gil/js-lock';
import { countdown } from '../../lib/kernels/countdown';
import { sleep } from '../../lib/kernels/sleep';
import type { FromWorker, PageKernel, ToWorker } from './protocol';

const KERNELS: Record<PageKernel, (size: number, ticker: BoardTicker) => void> = { countdown, sleep };

let joined: { gil: JsGil; thread: JsGilThread; board: BreakerBoard } | undefined;

const reply = (message: FromWorker) => postMessage(message);

onmessage = ({ data }: MessageEvent<ToWorker>) => {
  if (data.type === 'init') {
    const gil = new JsGil(data.lock, data.board.bits);
    joined = { gil, thread: gil.register(data.name, data.threadId), board: data.board };
    reply({ type: 'ready' });
    return;
  }
  const { gil, thread, board } = joined!;
  const { taskId, kernel, size } = data;
  const started = performance.now();
  const seat = new JsSeat(gil, thread, cellOf(taskId));
  let outcome: FromWorker;
  try {
    KERNELS[kernel](size, new BoardTicker(board, taskId, seat));
    outcome = { type: 'done', taskId, ms: performance.now() - started };
  } catch (error) {
    outcome =
      error instanceof CancelledError
        ? { type: 'cancelled', taskId }
        : { type: 'failed', taskId, message: String(error) };
  } finally {
    seat.leave();
  }
  reply(outcome);
};
