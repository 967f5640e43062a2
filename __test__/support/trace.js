// The waits in a trace of the lock, checked against the lock's counts: one set of rules for
// both locks (`check_waits` in crates/core/src/gil/tests.rs states them for the native one).
'use strict';

/**
 * Checks each thread's waits in `events` (oldest first, each `{ thread, event, reason, time }`)
 * against its counts (`threads`: each `{ thread, contendedTakes, forcedSwitches, wait }`, times
 * in the events' unit). Per thread: a wait ends at the thread's next take, with only its drop
 * requests between, and drop requests come only then; a forced release is followed by a wait
 * (for the hand-off, then for the lock); the waits, from their start to their take, cover the
 * thread's wait time at least (less `tolerance`, for rounding); and each contended take has a
 * wait of its own, so the thread has at least `contendedTakes` waits, and at most one more per
 * forced switch. Returns the number of waits in all, and what broke a rule, in words.
 */
function checkWaits(events, threads, tolerance = 0) {
  const problems = [];
  let all = 0;
  for (const t of threads) {
    const mine = events.filter((e) => e.thread === t.thread);
    let waits = 0;
    let waited = 0;
    let since = null;
    mine.forEach((e, i) => {
      if (e.event === 'wait') {
        if (since !== null) problems.push(`${t.thread}: a wait inside a wait, at ${e.time}`);
        since = e.time;
        waits++;
      } else if (e.event === 'drop-request') {
        if (since === null) problems.push(`${t.thread}: a drop request while not waiting, at ${e.time}`);
      } else if (e.event === 'take') {
        if (since !== null) waited += e.time - since;
        since = null;
      } else {
        if (since !== null) problems.push(`${t.thread}: a release while waiting, at ${e.time}`);
        if (e.reason === 'forced' && mine[i + 1]?.event !== 'wait') {
          problems.push(`${t.thread}: no wait after the forced release at ${e.time}`);
        }
      }
    });
    if (waited < t.wait - tolerance) problems.push(`${t.thread}: the waits cover ${waited} of ${t.wait}`);
    if (waits < t.contendedTakes || waits > t.contendedTakes + t.forcedSwitches) {
      problems.push(
        `${t.thread}: ${waits} waits for ${t.contendedTakes} contended takes and ${t.forcedSwitches} forced switches`,
      );
    }
    all += waits;
  }
  return { waits: all, problems };
}

module.exports = { checkWaits };
