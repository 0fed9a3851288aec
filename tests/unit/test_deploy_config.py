"""The production files of ``deploy/`` agree with each other and with the repository's Streamlit settings (the
browser tests run them: tests/e2e/test_deploy_nginx_browser.py, test_deploy_oidc_browser.py)."""
from __future__ import annotations

import re
import tomllib

from bench.load_server import ALLOCATOR_PREFIXES, MALLOC_ENV, server_env
from povlib.intake import limits
from tests.support.browser import ROOT
from tests.support.deploy import PROD_CONFIG, SITE, SYSTEMD_UNIT

#: the settings in which production differs from the shipped development config, on purpose
PRODUCTION_ONLY = {"server.port", "server.enableCORS", "server.allowedHosts", "secrets.files"}


def _flat(path) -> dict[str, object]:
    conf = tomllib.loads(path.read_text(encoding="utf-8"))
    return {f"{section}.{key}": value for section, options in conf.items() for key, value in options.items()}


def test_production_config_is_the_shipped_one_plus_the_deployment_settings():
    prod, dev = _flat(PROD_CONFIG), _flat(ROOT / ".streamlit" / "config.toml")
    differ = {k for k in prod.keys() | dev.keys() if prod.get(k) != dev.get(k)}
    assert differ == PRODUCTION_ONLY, sorted(differ ^ PRODUCTION_ONLY)
    assert prod["server.address"] == "127.0.0.1" and prod["server.headless"] is True
    assert prod["server.enableXsrfProtection"] is True and prod["server.enableCORS"] is True
    assert prod["client.showErrorDetails"] == "none" and prod["browser.gatherUsageStats"] is False


def test_upload_limit_is_the_same_in_nginx_streamlit_and_povlib():
    site = SITE.read_text(encoding="utf-8")
    sizes = re.findall(r"^\s*client_max_body_size (\d+)m;", site, re.M)
    assert sizes == [str(_flat(PROD_CONFIG)["server.maxUploadSize"])] == [str(limits.MAX_FILE_MB)]


def test_nginx_upstream_is_the_streamlit_address():
    prod = _flat(PROD_CONFIG)
    assert re.search(rf"^\s*server {re.escape(prod['server.address'])}:{prod['server.port']};",
                     SITE.read_text(encoding="utf-8"), re.M)


def _service() -> dict[str, list[str]]:
    """The ``[Service]`` settings of the systemd unit, each key with its values in order."""
    service: dict[str, list[str]] = {}
    section = ""
    for line in SYSTEMD_UNIT.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif section == "Service" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            service.setdefault(key, []).append(value)
    return service


def test_systemd_unit_runs_the_app_unprivileged_with_its_store_writable():
    service = _service()
    assert service["User"][0] not in ("", "root") and service["ExecStart"][0].endswith("-m streamlit run serve.py")
    env = dict(v.split("=", 1) for v in service["Environment"])
    assert env["POVLIB_STORE"].startswith(service["ReadWritePaths"][0] + "/")
    assert service["ProtectSystem"] == ["strict"] and service["UMask"] == ["0077"]


def test_malloc_settings_are_the_same_in_systemd_the_run_script_and_the_load_bench():
    """glibc's arena limit (README "Server memory across rounds") is measured by bench/bench_load.py with the
    values the deployment uses: the unit, scripts/run.sh and the bench name the same ``MALLOC_*`` settings
    and the same pyarrow memory pool (``ARROW_DEFAULT_MEMORY_POOL``)."""
    unit = {k: v for k, v in (e.split("=", 1) for e in _service()["Environment"]) if k.startswith(ALLOCATOR_PREFIXES)}
    script = dict(re.findall(r'^export (MALLOC_\w+|ARROW_DEFAULT_MEMORY_POOL)="\$\{\1:-([^}]+)\}"$',
                             (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8"), re.M))
    assert unit and unit == script == MALLOC_ENV
    bench = server_env()
    assert {k: bench[k] for k in bench if k.startswith(ALLOCATOR_PREFIXES)} == unit
    assert unit["ARROW_DEFAULT_MEMORY_POOL"] == "system"
