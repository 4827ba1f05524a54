"""A warm start for the snippet tests: import the heavy libraries once, then fork one child per snippet.

Usage: python tools/run/warm_runner.py MODULE [MODULE ...]   (tools/model/snippets.py:WarmRunner starts it)

Importing TensorFlow and Keras costs 3-8 s per process here, and it was most of the snippet suite's time. This
process (started with exactly the environment a cold run of the snippet gets: device, threads, quick mode) imports
the given modules, then serves requests, one JSON object per line on stdin:

    {"path": "snippets/x/01_y.py", "cwd": "/tmp/...", "stdout": "/tmp/.../out", "stderr": "/tmp/.../err", "timeout": 120,
     "env": {...}}

For each it forks a child that does what `python tools/run/run_snippet.py PATH` does in a fresh interpreter: its own
working directory, the network guard, `runpy.run_path(PATH, run_name="__main__")`, stdout and stderr to their own
files, the exit status of an interpreter (0, the SystemExit code, or 1 with the traceback on stderr). The parent
never runs snippet code, so every child starts from the same state: only the imports are shared. After the fork
the child reseeds NumPy's global generator from the OS, as a fresh interpreter would (Python's `random` reseeds
itself after a fork). The reply, one JSON line on the original stdout, is {"returncode": N or null, "seconds": s};
null means the child was killed at its timeout.

What a warm start cannot give is anything read at import time: an environment variable a snippet sets for
TensorFlow or Keras (KERAS_BACKEND, TF_* ...) comes too late here. tools/model/snippets.py:cold_start_reason finds such
snippets and runs them cold. GPU runs stay cold too (see tools/model/snippets.py).
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import signal
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_snippet  # noqa: E402  (the network guard of the cold runner, shared)


def run_child(request: dict) -> int:
    """In the forked child: run one snippet as __main__; return the exit status an interpreter would have."""
    os.setpgid(0, 0)  # its own process group, so a timeout kills whatever it started as well
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    for fd, name in ((1, "stdout"), (2, "stderr")):
        target = os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request.get("env", {}))  # the same as the runner's but for per-test variables (PYTEST_CURRENT_TEST)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()  # fresh entropy, as in a new interpreter
    run_snippet.block_network()
    try:
        run_snippet.run_as_main(request["path"])
        status = 0
    except SystemExit as exit_:
        code = exit_.code
        if code is None or isinstance(code, int):
            status = code or 0
        else:
            print(code, file=sys.stderr)
            status = 1
    except BaseException:  # noqa: BLE001 - an uncaught exception ends an interpreter with its traceback and 1
        traceback.print_exc()
        status = 1
    atexit._run_exitfuncs()  # what the interpreter does on its way out (the parent's own handlers included)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    return status


def serve(requests, replies) -> None:
    for line in requests:
        request = json.loads(line)
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # nothing buffered in the parent may be written twice
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            status = 70  # EX_SOFTWARE: the child failed before it could run the snippet
            try:
                status = run_child(request)
            finally:
                os._exit(status)
        deadline = started + float(request["timeout"])
        returncode = None
        while True:
            done, wait_status = os.waitpid(pid, os.WNOHANG)
            if done:
                returncode = os.waitstatus_to_exitcode(wait_status)
                break
            if time.perf_counter() > deadline:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.waitpid(pid, 0)
                break
            time.sleep(0.02)
        replies.write(json.dumps({"returncode": returncode, "seconds": time.perf_counter() - started}) + "\n")
        replies.flush()


def main() -> None:
    # Replies go to the original stdout; fd 1 itself points at stderr while the libraries load, so that nothing
    # they print can be taken for a reply.
    replies = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    started = time.perf_counter()
    for module in sys.argv[1:]:
        importlib.import_module(module)
    replies.write(json.dumps({"ready": True, "modules": sys.argv[1:], "seconds": time.perf_counter() - started}) + "\n")
    replies.flush()
    serve(sys.stdin, replies)


if __name__ == "__main__":
    main()
