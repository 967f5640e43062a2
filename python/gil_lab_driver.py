"""The driver proper (Python 3.8+; see driver.py). It answers one request at a time, each a
JSON object on a line of stdin, with one JSON object on a line of stdout:

    -> {"id": 1, "op": "open", "model": "threads", "workers": 2}
    <- {"id": 1, "ok": true, "executor": 1, "startup_ms": 3.2}

Requests:
- calibrate {ms}: a countdown size that takes about `ms` here, alone -> {n}
- countdown {n}: one countdown of `n` on this thread -> {ms}
- set_switch_interval {seconds} -> {switch_interval}, as sys.getswitchinterval() then reads
- open {model, workers}: an executor of `model` (sequential, threads, processes, async) with
  its workers started -> {executor, startup_ms}
- warm {executor, workload, ...}: the real task once on each worker at once -> {times}, each
  task's ms (cpu), or the run's ms (io, latency)
- run {executor, workload, tasks, ...}: one timed run -> {ms}
    cpu: `tasks` countdowns of `n`; io: `tasks` sleeps of `seconds` (asyncio.sleep in async);
    latency: `round_trips` pipe round trips on this thread, alone (sequential) or beside one
    CPU-bound spinner per worker of the executor, which start `head_start` seconds before
- close {executor}; exit

Times are taken here with time.perf_counter, around the work only. A request that fails
answers {"ok": false, "error": "..."}; the driver goes on. On EOF it shuts everything down.
"""

import asyncio
import concurrent.futures
import json
import multiprocessing
import os
import sys
import sysconfig
import threading
import time

from gil_lab_tasks import countdown, init_child, pid_after, sleep, spin, timed_countdown

# Decrements between two looks at a spinner's stop event: well under a millisecond.
SPIN_CHUNK = 10000
# How long each warm-up task keeps its worker, so that every worker gets one.
WARM_UP_SECONDS = 0.05


def ms_since(started):
    return (time.perf_counter() - started) * 1000


def gil_enabled():
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    return True if is_enabled is None else bool(is_enabled())


def hello():
    return {
        "hello": "gil-lab-driver",
        "ok": True,
        "version": "%d.%d.%d" % tuple(sys.version_info[:3]),
        "implementation": sys.implementation.name,
        "executable": sys.executable,
        "free_threaded_build": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "gil_enabled": gil_enabled(),
        "switch_interval": sys.getswitchinterval(),
        "cpu_count": os.cpu_count(),
        "start_method": multiprocessing.get_start_method(),
        "pid": os.getpid(),
    }


def calibrate(ms):
    """Grows n until a countdown takes 20 ms, takes the fastest of three at that n, scales."""
    n = 10000
    while True:
        started = time.perf_counter()
        countdown(n)
        if ms_since(started) >= 20:
            break
        n *= 4
    fastest = min(timed_countdown(n) for _ in range(3))
    return max(1, int(n * ms / fastest))


def round_trips(count):
    reader, writer = os.pipe()
    try:
        for _ in range(count):
            os.write(writer, b"x")
            os.read(reader, 1)
    finally:
        os.close(reader)
        os.close(writer)


class Sequential:
    """The tasks one after another on this thread."""

    workers = 1

    def cpu(self, tasks, n):
        for _ in range(tasks):
            countdown(n)

    def warm_cpu(self, n):
        return [timed_countdown(n)]

    def io(self, tasks, seconds):
        for _ in range(tasks):
            time.sleep(seconds)

    def spinners(self):
        return None

    def close(self):
        pass


class Pool:
    """threading or multiprocessing, through concurrent.futures."""

    def __init__(self, model, workers):
        self.workers = workers
        if model == "threads":
            self.stop = threading.Event()
            self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
        else:
            context = multiprocessing.get_context()
            self.stop = context.Event()
            self.executor = concurrent.futures.ProcessPoolExecutor(
                max_workers=workers, mp_context=context, initializer=init_child, initargs=(self.stop,))
        self.threads = model == "threads"
        # Start every worker now: each warm-up task holds its worker long enough that the next
        # one needs another.
        self.all(pid_after, [WARM_UP_SECONDS] * workers)

    def all(self, task, args):
        return [f.result() for f in [self.executor.submit(task, arg) for arg in args]]

    def cpu(self, tasks, n):
        self.all(countdown, [n] * tasks)

    def warm_cpu(self, n):
        return self.all(timed_countdown, [n] * self.workers)

    def io(self, tasks, seconds):
        self.all(sleep, [seconds] * tasks)

    def spinners(self):
        """Starts one CPU-bound spinner per worker; returns what stops them and waits for them."""
        self.stop.clear()
        spinning = [
            self.executor.submit(spin, SPIN_CHUNK, self.stop) if self.threads else self.executor.submit(spin, SPIN_CHUNK)
            for _ in range(self.workers)
        ]

        def stop():
            self.stop.set()
            for f in spinning:
                f.result()

        return stop

    def close(self):
        self.stop.set()
        self.executor.shutdown(wait=True)


class AsyncIO:
    """asyncio: one event loop, up to `workers` tasks at once on it."""

    def __init__(self, workers):
        self.workers = workers
        self.loop = asyncio.new_event_loop()

    def gather(self, tasks, body):
        async def run_all():
            slots = asyncio.Semaphore(self.workers)

            async def one():
                async with slots:
                    await body()

            await asyncio.gather(*[one() for _ in range(tasks)])

        self.loop.run_until_complete(run_all())

    def cpu(self, tasks, n):
        async def body():
            countdown(n)

        self.gather(tasks, body)

    def warm_cpu(self, n):
        return [timed_countdown(n) for _ in range(self.workers)]

    def io(self, tasks, seconds):
        self.gather(tasks, lambda: asyncio.sleep(seconds))

    def spinners(self):
        raise ValueError("the latency workload has no async model")

    def close(self):
        self.loop.close()


class Driver:
    def __init__(self):
        self.executors = {}
        self.next_id = 1

    def executor(self, request):
        found = self.executors.get(request["executor"])
        if found is None:
            raise ValueError("no open executor %r" % (request["executor"],))
        return found

    def op_calibrate(self, request):
        return {"n": calibrate(float(request["ms"]))}

    def op_countdown(self, request):
        return {"ms": timed_countdown(int(request["n"]))}

    def op_set_switch_interval(self, request):
        sys.setswitchinterval(float(request["seconds"]))
        return {"switch_interval": sys.getswitchinterval()}

    def op_open(self, request):
        model, workers = request["model"], int(request["workers"])
        started = time.perf_counter()
        if model == "sequential":
            executor = Sequential()
        elif model in ("threads", "processes"):
            executor = Pool(model, workers)
        elif model == "async":
            executor = AsyncIO(workers)
        else:
            raise ValueError("unknown model %r" % (model,))
        startup_ms = ms_since(started)
        executor_id = self.next_id
        self.next_id += 1
        self.executors[executor_id] = executor
        return {"executor": executor_id, "startup_ms": startup_ms}

    def op_run(self, request):
        executor = self.executor(request)
        workload, tasks = request["workload"], int(request.get("tasks", 1))
        if workload == "cpu":
            n = int(request["n"])
            started = time.perf_counter()
            executor.cpu(tasks, n)
            return {"ms": ms_since(started)}
        if workload == "io":
            seconds = float(request["seconds"])
            started = time.perf_counter()
            executor.io(tasks, seconds)
            return {"ms": ms_since(started)}
        if workload == "latency":
            count = int(request["round_trips"])
            stop = executor.spinners()
            try:
                if stop is not None:
                    time.sleep(float(request["head_start"]))
                started = time.perf_counter()
                round_trips(count)
                ms = ms_since(started)
            finally:
                if stop is not None:
                    stop()
            return {"ms": ms}
        raise ValueError("unknown workload %r" % (workload,))

    def op_warm(self, request):
        if request["workload"] == "cpu":
            return {"times": self.executor(request).warm_cpu(int(request["n"]))}
        return {"times": [self.op_run(request)["ms"]]}

    def op_close(self, request):
        self.executors.pop(request["executor"]).close()
        return {}

    def close_all(self):
        for executor in self.executors.values():
            executor.close()
        self.executors.clear()

    def answer(self, request):
        handler = getattr(self, "op_" + str(request.get("op")), None)
        if handler is None:
            raise ValueError("unknown op %r" % (request.get("op"),))
        return handler(request)


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    driver = Driver()
    send(hello())
    try:
        for line in iter(sys.stdin.readline, ""):
            request = json.loads(line)
            if request.get("op") == "exit":
                break
            try:
                reply = driver.answer(request)
                reply.update({"id": request.get("id"), "ok": True})
            except Exception as error:  # a failed request is an answer, not the driver's end
                reply = {"id": request.get("id"), "ok": False, "error": "%s: %s" % (type(error).__name__, error)}
            send(reply)
    finally:
        driver.close_all()
