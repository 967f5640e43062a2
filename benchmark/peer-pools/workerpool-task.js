// workerpool's worker: registers the task by name.
'use strict';
const workerpool = require('workerpool');
workerpool.worker(require('./task'));
