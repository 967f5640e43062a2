// Starts the built `gil-lab serve` on a free loopback port (--port 0) and resolves to
// { child, url } once it prints its URL; the caller stops it by its pid.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { ROOT } = require('./backends');

function startServe(args = []) {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli', 'main.js'), 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (found) resolve({ child, url: found[0], port: Number(new URL(found[0]).port) });
    });
    child.stderr.on('data', (chunk) => (out += chunk));
    child.once('exit', (code) =>
      reject(new Error(`gil-lab serve exited with ${code} before printing its URL: ${out}`)),
    );
  });
}

module.exports = { startServe };
