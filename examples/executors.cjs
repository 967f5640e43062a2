// Executors as Python's concurrent.futures: submit tasks, take each result as it comes
// (asCompleted), or wait for the first one (wait with FIRST_COMPLETED).
//
//   node examples/executors.cjs
'use strict';
const { ThreadPool, ProcessPool, asCompleted, wait, FIRST_COMPLETED } = require('gil-lab');

async function main() {
  // map: the results in the order of the inputs.
  const threads = new ThreadPool({ maxWorkers: 2 });
  try {
    console.log(`map: ${(await threads.map('countPrimes', [10_000, 100_000])).join(', ')}`);

    // asCompleted: the futures in the order they settle, whatever the order they were submitted in.
    const futures = [3_000_000, 1_000, 30_000].map((limit) => threads.submit('countPrimes', limit));
    for await (const future of asCompleted(futures)) {
      console.log(`asCompleted: task ${futures.indexOf(future)} gave ${await future}`);
    }
  } finally {
    await threads.shutdown();
  }

  // wait: the first to finish, then cancel the rest. Each child process has a lock of its own.
  const processes = new ProcessPool({ maxWorkers: 2 });
  try {
    const stop = new AbortController();
    const endless = processes.submit('countPrimes', 2 ** 31 - 1, { signal: stop.signal });
    const quick = processes.submit('countPrimes', 1_000);
    const { done, notDone } = await wait([endless, quick], { returnWhen: FIRST_COMPLETED });
    console.log(`wait: ${done.size} done (${await [...done][0]}), ${notDone.size} still running`);
    stop.abort();
    await endless.catch((error) => console.log(`the endless task: ${error.name}`));
  } finally {
    await processes.shutdown();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
