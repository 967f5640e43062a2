"""gil-lab's CPython driver: started by gil-lab (lib/lab/cpython/), driven over its stdin and
stdout with one JSON object per line.

This file is the entry point and must parse on any Python, so that an interpreter that is too
old answers with its version instead of a syntax error: the driver itself, in
gil_lab_driver.py, needs Python 3.8 or later.
"""

import json
import os
import sys

MINIMUM = (3, 8)


def too_old():
    version = "%d.%d.%d" % tuple(sys.version_info[:3])
    sys.stdout.write(json.dumps({"hello": "gil-lab-driver", "ok": False, "version": version,
                                 "executable": sys.executable, "minimum": "%d.%d" % MINIMUM}) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    if tuple(sys.version_info[:2]) < MINIMUM:
        too_old()
        sys.exit(3)
    # The task functions must import by name in ProcessPoolExecutor's children, whatever the
    # start method: put this folder on the path they inherit.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from gil_lab_driver import main

    main()
