// What the OS says about processes: the ProcessPool children of a process, and whether a
// process still runs.
'use strict';
const fs = require('node:fs');

/** The pids of `pid`'s children that are ProcessPool children (Linux's /proc). */
function poolChildrenOf(pid) {
  let threads;
  try {
    threads = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return []; // gone
  }
  const children = threads.flatMap((tid) => {
    try {
      return fs
        .readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  });
  return children.filter((child) => {
    try {
      // The shipped entry, or the crash tests' own (support/fault-child.js).
      return /(process|fault)-child\.js/.test(fs.readFileSync(`/proc/${child}/cmdline`, 'utf8'));
    } catch {
      return false; // gone meanwhile
    }
  });
}

/** Whether `pid` runs: neither gone nor a zombie. */
function running(pid) {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

module.exports = { poolChildrenOf, running };
