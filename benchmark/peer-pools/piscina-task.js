// Piscina's worker: the module's export is the task.
'use strict';
module.exports = require('./task').countPrimes;
