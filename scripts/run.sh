#!/usr/bin/env bash
# Install the dashboard's dependencies and run it on the bundled synthetic demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -r requirements.txt
[ -f data/demo/cho_don_panel.parquet ] || python3 -m povlib generate --scope cho-don
# allocator settings of the deployment (deploy/systemd/giamngheo.service, README "Server memory across rounds")
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export ARROW_DEFAULT_MEMORY_POOL="${ARROW_DEFAULT_MEMORY_POOL:-system}"
exec python3 -m streamlit run serve.py "$@"  # app.py with the one-time download route (README)
