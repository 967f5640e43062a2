// A worker thread for js-lock.test.js: runs "tasks" under the process's JS lock, as the JS
// backend's workers do, and checks between every two ticks that no other thread believes it
// holds the lock (`inside` counts the threads between two ticks while holding it).
'use strict';
const { workerData, parentPort, threadId } = require('node:worker_threads');
const path = require('node:path');

const dist = path.join(__dirname, '..', '..', 'dist');
const { JsGil, JsSeat } = require(path.join(dist, 'gil', 'js-lock.js'));
const { BoardTicker, cellOf } = require(path.join(dist, 'breaker.js'));

const { state, board, inside, index, durationMs, tasks, blockingEvery } = workerData;
const gil = new JsGil(state, board.bits);
const thread = gil.register(`t${index}`, threadId);
const pause = new Int32Array(new SharedArrayBuffer(4));

function spin(ns) {
  const until = process.hrtime.bigint() + BigInt(ns);
  while (process.hrtime.bigint() < until);
}

let ticks = 0;
let overlaps = 0;
for (let task = 0; task < tasks; task++) {
  const taskId = index + 1 + task * 64;
  const seat = new JsSeat(gil, thread, cellOf(taskId));
  const ticker = new BoardTicker(board, taskId, seat);
  const until = Date.now() + durationMs;
  try {
    while (Date.now() < until) {
      if (seat.holds) {
        if (Atomics.add(inside, 0, 1) !== 0) overlaps++;
        spin(5_000);
        Atomics.sub(inside, 0, 1);
      }
      ticks++;
      if (blockingEvery && ticks % blockingEvery === 0) ticker.allowThreads(() => Atomics.wait(pause, 0, 0, 0.02));
      ticker.tick();
    }
  } finally {
    seat.leave();
  }
}
parentPort.postMessage({ ticks, overlaps });
