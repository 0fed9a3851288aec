"""The server side of ``bench/bench_load.py``: ``streamlit run serve.py`` on 127.0.0.1, its CPU and memory.

The server runs with the allocator settings of the deployment (:data:`MALLOC_ENV`, the same values as
``Environment=`` in ``deploy/systemd/giamngheo.service`` and ``scripts/run.sh``; a test keeps them equal):
glibc gives threads that allocate at once their own arenas (up to 8 per core), and Streamlit runs every
script run in a new thread, so memory freed by one run may stay in an arena the next runs do not use.
With ``MALLOC_ARENA_MAX=2`` the server measured 27–44 MB less RSS at the same CPU per page view (README
"Server memory across rounds"; it did not stop RSS from growing across rounds). pyarrow's own pool
(mimalloc) kept 60–85 MB resident for 12 MB in use; ``ARROW_DEFAULT_MEMORY_POOL=system`` measured
24–48 MB less RSS at about the same CPU. ``bench_load.py --glibc-defaults`` runs the server without any of
them, ``--arrow-pool`` with another pyarrow pool, to compare.
"""
from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: allocator settings the server runs with, in production and here (README "Server memory across rounds"):
#: glibc's malloc and pyarrow's memory pool
MALLOC_ENV: dict[str, str] = {"MALLOC_ARENA_MAX": "2", "ARROW_DEFAULT_MEMORY_POOL": "system"}
#: names of the environment variables that choose an allocator setting
ALLOCATOR_PREFIXES = ("MALLOC_", "ARROW_DEFAULT_MEMORY_POOL")
CLK_TCK = os.sysconf("SC_CLK_TCK")
#: the size of a thread's stack mapping: glibc gives a new thread the soft RLIMIT_STACK (8 MiB here) unless told
#: (its 8 MiB default when that is unlimited); a heuristic: a mapping of that size is counted as a stack
_STACK_LIMIT = resource.getrlimit(resource.RLIMIT_STACK)[0]
THREAD_STACK = _STACK_LIMIT if 0 < _STACK_LIMIT != resource.RLIM_INFINITY else 8 << 20
#: jemalloc from Debian's ``libjemalloc2``, preloaded into the server by ``bench_load.py --malloc jemalloc``
JEMALLOC = Path("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2")
#: jemalloc's settings for that comparison: a background thread returns freed pages after a second
JEMALLOC_CONF = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0"


def jemalloc_env(env: dict[str, str]) -> dict[str, str]:
    """``env`` with jemalloc preloaded (:data:`JEMALLOC`, :data:`JEMALLOC_CONF`) instead of glibc's malloc.

    glibc's own settings (``MALLOC_ARENA_MAX``) do not apply to it and are dropped; pyarrow's system pool
    then allocates with jemalloc too.

    >>> e = jemalloc_env({"MALLOC_ARENA_MAX": "2", "PATH": "/bin"})
    >>> sorted(e), e["LD_PRELOAD"].endswith("libjemalloc.so.2")
    (['LD_PRELOAD', 'MALLOC_CONF', 'PATH'], True)
    """
    out = {k: v for k, v in env.items() if k != "MALLOC_ARENA_MAX"}
    out["LD_PRELOAD"] = str(JEMALLOC)
    out["MALLOC_CONF"] = JEMALLOC_CONF
    return out


def server_env(*, glibc_defaults: bool = False) -> dict[str, str]:
    """The server's environment: this one, unbuffered output, and :data:`MALLOC_ENV` unless ``glibc_defaults``.

    With ``glibc_defaults`` the allocator variables of this environment (``MALLOC_*``,
    ``ARROW_DEFAULT_MEMORY_POOL``) are removed as well, so the comparison is with glibc's and pyarrow's defaults.

    >>> all(server_env()[k] == v for k, v in MALLOC_ENV.items())
    True
    >>> any(k.startswith(ALLOCATOR_PREFIXES) for k in server_env(glibc_defaults=True))
    False
    """
    env = {k: v for k, v in os.environ.items() if not (glibc_defaults and k.startswith(ALLOCATOR_PREFIXES))}
    env["PYTHONUNBUFFERED"] = "1"
    if not glibc_defaults:
        env.update(MALLOC_ENV)
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (the kernel picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """utime + stime of process ``pid`` (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 and 15 of proc(5)


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of process ``pid`` in MB."""
    vals = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            vals[key] = int(rest.split()[0]) / 1024
    return vals["VmRSS"], vals["VmHWM"]


def thread_count(pid: int) -> int:
    """How many threads process ``pid`` has now."""
    return len(os.listdir(f"/proc/{pid}/task"))


def rss_regions(pid: int) -> dict[str, float]:
    """Resident MB of process ``pid`` by kind of mapping (``/proc/<pid>/smaps``), to tell who holds memory.

    ``glibc main heap`` is ``[heap]`` (brk); ``glibc arenas`` the other threads' heaps (64 MiB
    reservations); ``pymalloc arenas`` Python's small-object arenas (1 MiB each in 3.11); ``1 GiB
    reservations`` the arenas mimalloc (pyarrow's memory pool) reserves; ``thread stacks`` the 8 MiB
    mappings glibc gives each thread (Streamlit starts one per script run; glibc keeps up to 40 MiB of the
    stacks of ended threads for reuse, their touched pages resident); ``other anonymous`` large blocks
    glibc mmaps one by one (arrays, buffers); ``files`` code and mapped files.
    """
    out: dict[str, float] = {}
    kind = "files"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split(maxsplit=6)
        if len(head) >= 5 and "-" in head[0] and ":" not in head[0]:
            lo, hi = (int(x, 16) for x in head[0].split("-"))
            size, name = hi - lo, head[5] if len(head) > 5 else ""
            if name == "[heap]":
                kind = "glibc main heap"
            elif name:
                kind = "files" if name.startswith("/") else "other named"
            elif size == 64 << 20 or (size < 64 << 20 and size > 32 << 20 and size % (1 << 20) != 0):
                kind = "glibc arenas"
            elif size == 1 << 20:
                kind = "pymalloc arenas"
            elif size >= 1 << 30:
                kind = "1 GiB reservations"
            elif size == THREAD_STACK:
                kind = "thread stacks"
            else:
                kind = "other anonymous"
        elif line.startswith("Rss:"):
            out[kind] = out.get(kind, 0.0) + int(line.split()[1]) / 1024
    return out


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def active_sessions(url: str) -> int | None:
    """Streamlit's own count of connected sessions (``/_stcore/metrics``), None if unreadable."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=5) as r:
            for line in r.read().decode().splitlines():
                if line.startswith("active_sessions "):
                    return int(float(line.split()[1]))
    except OSError:
        return None
    return None


def cache_bytes(url: str) -> dict[str, int]:
    """Bytes held by each kind of Streamlit cache (``cache_memory_bytes`` of ``/_stcore/metrics``, summed by
    ``cache_type``: ``st_cache_data``, ``st_cache_resource``, ``st_session_state``, the media store …); {} if unreadable."""
    out: dict[str, int] = {}
    try:
        with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=10) as r:
            for line in r.read().decode().splitlines():
                if line.startswith("cache_memory_bytes{"):
                    kind = line.split('cache_type="', 1)[1].split('"', 1)[0]
                    out[kind] = out.get(kind, 0) + int(float(line.rsplit(" ", 1)[1]))
    except (OSError, IndexError, ValueError):
        return {}
    return out


#: the bench-only probe ``bench_load.py --tracemalloc`` loads into the server (``sitecustomize``)
MEMTRACE_DIR = Path(__file__).resolve().parent / "memtrace"


def memtrace_env(env: dict[str, str], out: Path, frames: int = 12) -> dict[str, str]:
    """``env`` with :data:`MEMTRACE_DIR` first on ``PYTHONPATH``: the server then runs under tracemalloc and
    writes a snapshot into ``out`` whenever :func:`memtrace_dump` asks.

    >>> e = memtrace_env({"PYTHONPATH": "/x"}, Path("/tmp/m"))
    >>> e["PYTHONPATH"].split(os.pathsep)[1], e["BENCH_MEMTRACE_DIR"]
    ('/x', '/tmp/m')
    """
    env = dict(env)
    env["PYTHONPATH"] = os.pathsep.join([str(MEMTRACE_DIR), *filter(None, [env.get("PYTHONPATH")])])
    env["BENCH_MEMTRACE_DIR"] = str(out)
    env["BENCH_MEMTRACE_FRAMES"] = str(frames)
    return env


def memtrace_dump(out: Path, label: str, timeout: float = 600) -> bool:
    """Ask the server's probe for a snapshot labelled ``label`` and wait until it is written (the first
    call only starts tracing). Blocking: call it through ``asyncio.to_thread`` from a coroutine."""
    (out / f"trigger-{label}").write_text("")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any((out / f"{kind}-{label}.{ext}").exists() for kind, ext in (("stats", "json"), ("error", "txt"),
                                                                           ("started", "txt"))):
            return (out / f"stats-{label}.json").exists()
        time.sleep(0.5)
    return False


def start_server(port: int, extra: list[str], log: Path, root: Path = ROOT, *,
                 env: dict[str, str] | None = None) -> subprocess.Popen:
    """``streamlit run serve.py`` in ``root`` (``app.py`` in a checkout without it) on 127.0.0.1:port with ``env`` (default :func:`server_env`);
    returns once ``/_stcore/health`` answers."""
    fh = open(log, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "serve.py" if (root / "serve.py").exists() else "app.py",
         "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         *extra],
        cwd=root, stdout=fh, stderr=subprocess.STDOUT, env=server_env() if env is None else env,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited ({proc.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"streamlit did not answer /_stcore/health in 120 s; see {log}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=20)
