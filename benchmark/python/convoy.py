"""The convoy effect: round trips through a pipe (write one byte, read it back; os.write and
os.read each release the GIL and take it back), alone, then while one CPU-bound thread runs.

    python3 convoy.py ALONE_COUNT BESIDE_COUNT SWITCH_INTERVAL_S
    -> {"alone_us": ..., "beside_cpu_us": ...}   (microseconds per round trip)
"""

import json
import os
import sys
import threading
import time


def round_trips(count, reader, writer):
    started = time.perf_counter()
    for _ in range(count):
        os.write(writer, b"x")
        os.read(reader, 1)
    return (time.perf_counter() - started) * 1e6 / count


def main():
    alone_count, beside_count, interval = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    sys.setswitchinterval(interval)
    reader, writer = os.pipe()
    alone_us = round_trips(alone_count, reader, writer)

    done = False

    def spin():
        n = 0
        while not done:
            n += 1

    cpu = threading.Thread(target=spin)
    cpu.start()
    time.sleep(0.05)  # let the spinner settle in as the holder
    beside_us = round_trips(beside_count, reader, writer)
    done = True
    cpu.join()
    print(json.dumps({"alone_us": alone_us, "beside_cpu_us": beside_us}))


main()
