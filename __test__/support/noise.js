// A background load like a browser tab's: a child process that alternately spins and idles,
// 0.2–1.2 s each, for tests that must hold beside a busy neighbour. Stopped by its pid.
'use strict';
const { spawn } = require('node:child_process');

const SCRIPT = `
  const phase = () => 200 + Math.random() * 1000;
  const spin = () => {
    const end = Date.now() + phase();
    while (Date.now() < end);
    setTimeout(spin, phase());
  };
  spin();`;

/** Starts the noise; `stop()` kills it and resolves once it has exited. */
function startNoise() {
  const child = spawn(process.execPath, ['-e', SCRIPT], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    pid: child.pid,
    stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
      return exited;
    },
  };
}

module.exports = { startNoise };
