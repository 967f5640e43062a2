// A test-only entry for the JS backend's worker threads, in place of the shipped one
// (dist/backends/js-worker.js), which it wraps: a thread may meet a start-up fault before the
// shipped entry joins the lock, and a task that carries a fault (fault-kit.js) meets it inside
// the shipped runTask, as the kernel would run — holding the lock, its errors packed as a
// kernel's — except dieBeforeStart, which strikes before runTask marks the task started.
'use strict';
const path = require('node:path');
const { workerData } = require('node:worker_threads');
const kit = require('./fault-kit');
const { injectFault } = kit;

kit.meetStartupFault(kit.takeStartupFault(process.pid, `threads-${workerData.label}`));

const { jsKernels } = require(path.join(kit.ROOT, 'dist', 'kernels'));
const readFile = jsKernels.readFile;
jsKernels.readFile = {
  ...readFile,
  run: (args, ticker) => {
    const fault = kit.faultOf('readFile', args);
    return fault === undefined ? readFile.run(args, ticker) : injectFault(fault);
  },
};

const shipped = require(path.join(kit.ROOT, 'dist', 'backends', 'js-worker.js'));

module.exports = function runTask(task) {
  kit.meetFaultBeforeStart(kit.faultOf(task.kernel, task.args));
  return shipped.default(task);
};
