"""The tasks of gil-lab's workloads, in a module of their own so that ProcessPoolExecutor's
children import them by name under any start method."""

import os
import time

# The spinners' stop event in a child process, set by init_child.
_child_stop = None


def countdown(n):
    """The CPU-bound loop of David Beazley's GIL talks."""
    while n > 0:
        n -= 1


def timed_countdown(n):
    """A countdown and its time in ms, as the worker that ran it saw it."""
    started = time.perf_counter()
    countdown(n)
    return (time.perf_counter() - started) * 1000


def sleep(seconds):
    time.sleep(seconds)


def init_child(stop):
    global _child_stop
    _child_stop = stop


def spin(chunk, stop=None):
    """CPU-bound until `stop` (or the child's stop event) is set: countdowns of `chunk`."""
    stop = stop or _child_stop
    while not stop.is_set():
        countdown(chunk)


def pid_after(seconds):
    """Keeps a worker busy for `seconds`, so that each warm-up task lands on a worker of its own."""
    time.sleep(seconds)
    return os.getpid()
