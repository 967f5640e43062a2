"""I/O-bound: COUNT blocking sleeps of MS milliseconds one after the other, then on COUNT
threads at once. time.sleep releases the GIL while it blocks.

    python3 io.py MS COUNT REPEATS  ->  {"sequential_ms": ..., "threads_ms": ...}   (medians)
"""

import json
import sys
import threading
import time

from countdown import median


def timed(run):
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def on_threads(seconds, count):
    threads = [threading.Thread(target=time.sleep, args=(seconds,)) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main():
    ms, count, repeats = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    seconds = ms / 1000
    sequential, threads = [], []
    for _ in range(repeats):
        sequential.append(timed(lambda: [time.sleep(seconds) for _ in range(count)]))
        threads.append(timed(lambda: on_threads(seconds, count)))
    print(json.dumps({"sequential_ms": median(sequential), "threads_ms": median(threads)}))


main()
