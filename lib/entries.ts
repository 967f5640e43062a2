// The files that gil-lab's workers start from: the JS backend's worker threads (Piscina loads
// the first) and a ProcessPool's child processes. Named in one leaf module, so that a test can
// put in their place entries of its own that wrap these (see __test__/support/faults.js).

import path from 'node:path';

export const JS_WORKER_ENTRY = path.join(__dirname, 'backends', 'js-worker.js');
export const PROCESS_CHILD_ENTRY = path.join(__dirname, 'pools', 'process-child.js');
