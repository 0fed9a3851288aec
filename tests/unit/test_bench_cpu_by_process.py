"""``bench/cpu_by_process.py``: the CPU of a command's processes by kind (README "5 Dec, stop 34")."""
from __future__ import annotations

import subprocess
import sys

from bench.cpu_by_process import kind, main

BURN = "import time\nt = time.process_time()\nwhile time.process_time() - t < {s}:\n    pass\n"


def test_kinds_of_the_suites_processes():
    assert kind("/usr/lib/chromium/headless_shell --type=renderer") == "Chromium"
    assert kind("/usr/bin/python3 -m streamlit run serve.py --server.port 1") == "Streamlit servers"
    assert kind("/usr/bin/python3 -u -c import sys;exec(eval(sys.stdin.readline()))") == \
        "pytest (controller and workers)"
    assert kind("/x/node /x/playwright/driver/package/cli.js run-driver") == "Playwright driver (node)"
    assert kind("/usr/lib/jvm/java-17/bin/java -cp spark") == "Java (Spark)"


def test_counts_the_commands_descendants_and_not_other_processes(capsys):
    outside = subprocess.Popen([sys.executable, "-c", BURN.format(s=2.5)])  # busy, but not the command's
    try:
        # the command: a shell whose child burns 1 s of CPU
        rc = main(["--interval", "0.1", "--", sys.executable, "-c",
                   f"import subprocess, sys; subprocess.run([sys.executable, '-c', {BURN.format(s=1)!r}])"])
    finally:
        outside.kill()
        outside.wait()
    out = capsys.readouterr().out
    assert rc == 0
    other = [line for line in out.splitlines() if line.strip().endswith("other Python")]
    assert other, out
    used = float(other[0].split()[0])
    assert 0.8 <= used < 2.0, out  # the child's second, not the 2,5 s of the process outside the command
