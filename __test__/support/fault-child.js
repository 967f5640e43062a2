// A test-only entry for a ProcessPool's children, in place of the shipped one
// (dist/pools/process-child.js), which it wraps: a child may meet a start-up fault before it
// says it is ready, and a task that carries a fault (fault-kit.js) meets it where the shipped
// child would run the kernel — except dieBeforeStart, which strikes as the task arrives,
// before the shipped child says it started it. A panic runs on the native test build's own
// threads, in this process: what is tested is that the child lives on.
'use strict';
const path = require('node:path');
const kit = require('./fault-kit');
const { injectFault } = kit;

const child = require(path.join(kit.ROOT, 'dist', 'pools', 'process-child.js'));
const { info } = require(path.join(kit.ROOT, 'dist', 'loader.js'));

function panic() {
  const { backend, platform } = info();
  if (backend !== 'native') return undefined;
  const testBuild = require(kit.testBuildPath(platform));
  return (message) => testBuild.__panicForTesting(null, null, message);
}

kit.meetStartupFault(kit.takeStartupFault(process.ppid, 'processes'));

// Heard before the shipped child's listener, which listen() adds below.
process.on('message', (message) => {
  if (message.type === 'run') kit.meetFaultBeforeStart(kit.faultOf(message.kernel, message.args));
});

child.listen(async (kernel, args, signal) => {
  const fault = kit.faultOf(kernel, args);
  return fault === undefined ? child.runKernel(kernel, args, signal) : injectFault(fault, panic());
});
