// The emulated GIL: two CPU-bound tasks on two threads take turns with the lock. Its stats
// count the turns, and its trace says who held it when.
//
//   node examples/lock-stats-and-trace.cjs
'use strict';
const { gil, ThreadPool } = require('gil-lab');

async function main() {
  const pool = new ThreadPool({ maxWorkers: 2 });
  gil.enable({ switchInterval: 0.001 });
  try {
    gil.resetStats();
    await Promise.all([pool.submit('countdown', 100_000_000), pool.submit('countdown', 100_000_000)]);

    const { totals } = gil.stats();
    console.log(
      `lock ${gil.mode}, ${gil.getSwitchInterval() * 1000} ms: ${totals.takes} takes, ${totals.forcedSwitches} forced switches`,
    );
    console.log(`waited ${totals.waitMs.toFixed(1)} ms, held ${totals.holdMs.toFixed(1)} ms`);

    const holders = new Set(
      gil
        .trace()
        .filter((e) => e.event === 'take')
        .map((e) => e.thread),
    );
    console.log(`threads that held it: ${holders.size}`);
    for (const e of gil.trace({ limit: 3 }))
      console.log(`  ${e.timeMs.toFixed(3)} ms  ${e.thread}  ${e.event}${e.reason ? ` (${e.reason})` : ''}`);
  } finally {
    gil.disable();
    await pool.shutdown();
  }
  console.log(`lock ${gil.enabled ? 'on' : 'off'} again: gil.mode is '${gil.mode}'`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
