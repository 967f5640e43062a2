"""CPU-bound: two countdowns one after the other on one thread, then on two threads at once.

    python3 cpu.py TASK_MS SWITCH_INTERVAL_S REPEATS
    -> {"n": ..., "sequential_ms": ..., "threads_ms": ...}   (medians)
"""

import json
import sys
import threading
import time

from countdown import calibrate, countdown, median


def timed(run):
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def on_threads(n, count):
    threads = [threading.Thread(target=countdown, args=(n,)) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main():
    task_ms, interval, repeats = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    n = calibrate(task_ms)
    sys.setswitchinterval(interval)
    sequential, threads = [], []
    for _ in range(repeats):
        sequential.append(timed(lambda: (countdown(n), countdown(n))))
        threads.append(timed(lambda: on_threads(n, 2)))
    print(json.dumps({"n": n, "sequential_ms": median(sequential), "threads_ms": median(threads)}))


main()
