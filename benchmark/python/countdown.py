"""What the fidelity scripts share: the CPU-bound loop of David Beazley's GIL talks, a
calibration of its size, and a median."""

import statistics
import time


def countdown(n):
    while n > 0:
        n -= 1


def calibrate(task_ms):
    """A countdown size that takes about task_ms here, alone."""
    n = 100_000
    while True:
        started = time.perf_counter()
        countdown(n)
        took_ms = (time.perf_counter() - started) * 1000
        if took_ms >= task_ms / 4:
            return int(n * task_ms / took_ms)
        n *= 4


def median(values):
    return statistics.median(values)
