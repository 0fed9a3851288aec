#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine, then run the whole suite:
# ruff, then the povlib doctests and the four test tiers (tests/unit, app, cli, e2e: Playwright in headless
# Chromium), on four processes (pytest-xdist; the e2e tests are three groups, each on one process with its own
# server and browser: they mostly wait on the server, so four processes keep the machine's two cores busy).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -m "not browser"` or `-n 0` (one process).
# Without the browser tests every process computes: `PYTEST_WORKERS=2 bash scripts/test.sh -m "not browser"`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: the browser and fonts for the browser tests and the PDFs, pango for WeasyPrint,
# libicu-dev and pkg-config to build PyICU (ICU's Vietnamese collation); Java (default-jre-headless) for PySpark, the second SQL backend; nginx for the
# deployment test (tests/e2e/test_deploy_*: nginx runs in the foreground as a child of the test, never as a service)
APT_PACKAGES="chromium chromium-headless-shell fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 libicu-dev pkg-config default-jre-headless nginx"
missing=$(for p in $APT_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -r requirements-dev.txt

python3 -m ruff check .   # lint first: a lint error fails the run

# the machine's busy CPU time (every process: the browsers' too, which `time` does not count), from /proc/stat
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
set +e
start=$(date +%s); busy0=$(busy_ticks)
python3 -m pytest -n "${PYTEST_WORKERS:-4}" --dist loadgroup --no-loadscope-reorder --durations=15 "$@"
rc=$?
wall=$(( $(date +%s) - start )); busy=$(( ($(busy_ticks) - busy0) / $(getconf CLK_TCK) ))
echo "whole suite: $wall s (exit $rc; load average: $(cut -d' ' -f1-3 /proc/loadavg);" \
     "machine CPU busy $busy s on $(nproc) cores, $(( 100 * busy / (wall * $(nproc) + 1) )) % of them)"
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure, not a pass" >&2
  exit 1
fi
exit "$rc"
