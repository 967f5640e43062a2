// The task every peer pool's worker runs: gil-lab's JS countPrimes, sync on the worker's own
// thread (arguments checked, as gil-lab's own JS workers do). countPrimes(0) is the tiny task
// of the dispatch table: the pools' own cost is all there is to measure.
'use strict';
const { countPrimesSync } = require('../..').kernelsFor('js');

module.exports = { countPrimes: (limit) => countPrimesSync(limit) };
