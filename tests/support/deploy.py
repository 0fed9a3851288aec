"""Deployment-test helpers: the shipped nginx site (``deploy/nginx/giamngheo.conf``) in front of ``streamlit run``
with the shipped production settings (``deploy/streamlit/config.toml``), a self-signed certificate, and a test
OpenID Connect provider (``oidc-provider-mock``, built on Authlib).

nginx runs in the foreground as a child of the test (its own prefix, configuration, pid, logs and temporary
files in a temporary folder, loopback ports the system picked); only the ports, the certificate paths and the
upstream's port of the site file are changed, each replacement checked.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import shutil
import ssl
import subprocess
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support.browser import ARTIFACTS, ROOT, TEST_BROWSER, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = ROOT / "deploy" / "nginx" / "giamngheo.conf"
PROD_CONFIG = ROOT / "deploy" / "streamlit" / "config.toml"
SYSTEMD_UNIT = ROOT / "deploy" / "systemd" / "giamngheo.service"


def nginx_available() -> bool:
    return Path(NGINX).exists()


#: the marks of a test of the deployed stack: skipped (with the reason) without nginx or chromium (its browser
#: group is set by tests/conftest.py)
DEPLOY_MARKS = [
    pytest.mark.skipif(not nginx_available(), reason="nginx not installed (Debian package nginx; scripts/test.sh "
                                                     "and .ci/run install it)"),
    pytest.mark.skipif(not TEST_BROWSER.exists(), reason=f"Debian chromium not installed at {TEST_BROWSER} "
                                                        "(scripts/test.sh installs it)"),
]


def self_signed(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A throw-away certificate and key for ``host`` (an IP address SAN), written to ``folder``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False)
            .sign(key, hashes.SHA256()))
    crt, pem = folder / "test.crt", folder / "test.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    pem.chmod(0o600)
    return crt, pem


def _sub(text: str, pattern: str, repl: str, count: int) -> str:
    new, n = re.subn(pattern, repl, text, flags=re.M)
    if n != count:
        raise AssertionError(f"{SITE.name}: expected {count} line(s) matching {pattern!r}, found {n}")
    return new


def site_for_test(upstream_port: int, https_port: int, http_port: int, crt: Path, key: Path) -> str:
    """The shipped site with loopback ports, the test certificate and the upstream's port (nothing else)."""
    text = SITE.read_text(encoding="utf-8")
    text = _sub(text, r"^\s*listen \[::\]:\d+.*\n", "", 2)  # IPv6 may be off in a container
    text = _sub(text, r"listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;", 1)
    text = _sub(text, r"listen 80;", f"listen 127.0.0.1:{http_port};", 1)
    text = _sub(text, r"server 127\.0\.0\.1:8501;", f"server 127.0.0.1:{upstream_port};", 1)
    text = _sub(text, r"ssl_certificate\s+\S+;", f"ssl_certificate {crt};", 1)
    return _sub(text, r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", 1)


def start_nginx(folder: Path, upstream_url: str, https_port: int | None = None,
                timeout: float = 30) -> tuple[subprocess.Popen, str, str]:
    """nginx in the foreground with the shipped site in front of ``upstream_url`` (``http://127.0.0.1:<port>``),
    on ``https_port`` (default: a free one; given when the app must know its address first, as ``redirect_uri``).

    Returns the process, the https URL and the plain-http URL once ``/_stcore/health`` answers ``ok`` through it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("temp", "logs"):
        (folder / sub).mkdir(exist_ok=True)
    crt, key = self_signed(folder)
    upstream_port = int(upstream_url.rsplit(":", 1)[1])
    https_port, http_port = https_port or free_port(), free_port()
    (folder / "site.conf").write_text(site_for_test(upstream_port, https_port, http_port, crt, key), encoding="utf-8")
    temp = folder / "temp"
    # a root master's workers would run as "nobody", who cannot enter pytest's 0700 temporary folders
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/logs/error.log info;\n"
        "events { worker_connections 128; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"  access_log {folder}/logs/access.log;\n"
        + "".join(f"  {k}_temp_path {temp}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + f"  include {folder}/site.conf;\n}}\n", encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf"),
                            "-e", str(folder / "logs" / "error.log")], capture_output=True, text=True)
    if check.returncode:
        raise RuntimeError(f"nginx -t failed: {check.stderr}")
    ARTIFACTS.mkdir(exist_ok=True)
    proc = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                             "-e", str(folder / "logs" / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url, plain = f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited ({proc.returncode}); see {folder}/logs/error.log")
        try:
            if get(f"{url}/_stcore/health")[1] == b"ok":
                return proc, url, plain
        except OSError:
            time.sleep(0.2)
    stop_nginx(proc)
    raise RuntimeError(f"nginx did not answer in {timeout:.0f} s; see {folder}/logs/error.log")


def stop_nginx(proc: subprocess.Popen) -> None:
    """Stop the foreground nginx started by :func:`start_nginx` (SIGTERM: fast shutdown of its workers)."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def insecure_tls() -> ssl.SSLContext:
    """A client context that accepts the test's self-signed certificate."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str) -> tuple[int, bytes, dict[str, str]]:
    """GET ``url`` without following a redirect: status, body and headers (an HTTP error is a result too)."""
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=insecure_tls()), _NoRedirect)
    try:
        with opener.open(url, timeout=10) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read(), dict(err.headers)


def production_options(overrides: dict[str, str | list[str] | None]) -> list[str]:
    """Every value of ``deploy/streamlit/config.toml`` as ``streamlit run`` options (which take precedence over
    the repository's ``.streamlit/config.toml``), with ``overrides`` applied (``None``: leave the option out,
    e.g. ``server.port``, which :func:`tests.support.browser.start_server` chooses)."""
    conf = tomllib.loads(PROD_CONFIG.read_text(encoding="utf-8"))
    flat = {f"{section}.{key}": value for section, options in conf.items() for key, value in options.items()}
    flat.update(overrides)
    args: list[str] = []
    for name, value in flat.items():
        if value is None:
            continue
        for one in value if isinstance(value, list) else [value]:
            args += [f"--{name}", str(one).lower() if isinstance(one, bool) else str(one)]
    return args


def oidc_secrets(path: Path, *, https_url: str, idp_url: str, provider: str = "tinh") -> Path:
    """A ``secrets.toml`` with Streamlit's ``[auth]`` section for the test provider at ``idp_url`` (the app at
    ``https_url``); mode 0600, outside the repository (``--secrets.files``)."""
    import secrets as random

    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{https_url}/oauth2callback"\n'
        f'cookie_secret = "{random.token_urlsafe(48)}"\n\n'
        f"[auth.{provider}]\n"
        'client_id = "poverty-dashboard"\n'
        f'client_secret = "{random.token_urlsafe(24)}"\n'
        f'server_metadata_url = "{idp_url}/.well-known/openid-configuration"\n', encoding="utf-8")
    path.chmod(0o600)
    return path


def local_only(ctx) -> list[str]:
    """Abort every request of the browser context ``ctx`` that leaves this machine (the test provider's page
    links a stylesheet on a CDN); returns the list the aborted addresses are appended to."""
    from urllib.parse import urlsplit

    blocked: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("data:", "blob:", "about:")) or urlsplit(url).hostname in ("127.0.0.1", "localhost"):
            return r.continue_()
        blocked.append(url)
        return r.abort()

    ctx.route("**/*", route)
    return blocked
