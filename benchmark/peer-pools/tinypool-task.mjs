// tinypool's worker: an ES module whose default export is the task.
import task from './task.js';

export default task.countPrimes;
