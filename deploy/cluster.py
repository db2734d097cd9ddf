"""Several ffnviz app processes behind nginx: for a class that outgrows one Streamlit process.

    python deploy/cluster.py --apps 4 --port 8080            # then students open http://<server>:8080
    python deploy/cluster.py --apps 2 --port 8080 --workdir /tmp/ffnviz-cluster

Starts `--apps` `streamlit run app.py` processes on 127.0.0.1 (ports from `--first-app-port` on),
waits until each answers on /_stcore/health, writes an nginx configuration into `--workdir` and
starts Debian's nginx in front of them (`nginx -c <workdir>/nginx.conf`, in the foreground, its
pid file, logs and temporary files in the workdir, so it needs no root and touches nothing of
the system's nginx). Stops everything on Ctrl-C or SIGTERM, and stops everything when any one
of them exits (a half-up class is worse than a clear failure).

Why a cookie: a student's Streamlit session lives in one process (its websocket, its runs, its
uploaded files and downloads), so every request of a student must reach the same app process.
Open-source nginx has no `sticky`, and `ip_hash` would send a whole school behind one NAT (or
every localhost test client) to one process. So nginx itself sets a cookie `ffnviz_backend`
with a random value on a student's first request, and `hash $cookie consistent` sends every
later request carrying it, the websocket included, to the same process. Every response says
which process answered in an `X-Ffnviz-Upstream` header, and the access log has the cookie and
the upstream of each request (tests/e2e/test_load_balancer.py reads both).

Health: each app is checked on /_stcore/health before nginx starts; nginx marks an app that
fails to answer as down for `fail_timeout` and rehashes its students onto the others (their
sessions start over there: Streamlit's sessions are in memory). docs/deploy.md says more.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COOKIE = "ffnviz_backend"
UPSTREAM_HEADER = "X-Ffnviz-Upstream"

NGINX_CONF = """\
# Written by deploy/cluster.py: nginx in front of {n} ffnviz app processes.
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;

events {{
    worker_connections 4096;
}}

http {{
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    client_max_body_size 200m;  # Streamlit's own upload limit

    # Streamlit serves its scripts, styles and fonts uncompressed: a browser's first visit pulled
    # ~6.7 MB, thirty of them at the start of a class ~200 MB through the school's network.
    # Compressed here (what the apps already compress, plotly.js, passes as it is).
    gzip on;
    gzip_proxied any;
    gzip_min_length 1024;
    gzip_types application/javascript text/javascript text/css application/json image/svg+xml
               font/ttf application/x-font-ttf;

    # A student without the cookie gets a random key (this request's id), kept in the cookie set
    # below; with it, their key. The same key always hashes to the same app process.
    map $cookie_{cookie} $ffnviz_key {{
        "" $request_id;
        default $cookie_{cookie};
    }}
    map $cookie_{cookie} $ffnviz_new_cookie {{
        "" "{cookie}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        "" close;
    }}
    log_format ffnviz '$remote_addr key=$ffnviz_key "$request" $status upstream=$upstream_addr';
    access_log {work}/access.log ffnviz;

    upstream ffnviz_apps {{
        hash $ffnviz_key consistent;
{servers}
    }}

    server {{
        listen {listen}:{port};

        location / {{
            proxy_pass http://ffnviz_apps;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 1h;  # a quiet websocket is a student reading, not a dead one
            proxy_send_timeout 1h;
            proxy_buffering off;  # live charts: pass each message on at once
            add_header Set-Cookie $ffnviz_new_cookie always;
            add_header {header} $upstream_addr always;
        }}
    }}
}}
"""


def nginx_config(work: Path, listen: str, port: int, app_ports: list[int]) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in app_ports)
    return NGINX_CONF.format(n=len(app_ports), work=work, listen=listen, port=port, servers=servers,
                             cookie=COOKIE, header=UPSTREAM_HEADER)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _wait_healthy(url: str, proc: subprocess.Popen, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _healthy(url):
            return
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode} before it answered")
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer on {url}/_stcore/health within {seconds:.0f} s")


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when this script dies, even by SIGKILL (Linux)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _start_app(port: int, work: Path) -> subprocess.Popen:
    log = open(work / f"app-{port}.log", "w")  # noqa: SIM115 - the process writes it until it ends
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent)


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--apps", type=int, default=os.cpu_count() or 1, help="app processes (default: one per core)")
    ap.add_argument("--port", type=int, default=8080, help="the port students open (nginx)")
    ap.add_argument("--listen", default="0.0.0.0", help="nginx's address (default: every interface)")
    ap.add_argument("--first-app-port", type=int, default=8601, help="the apps listen on this port and the next ones")
    ap.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx", help="the nginx binary")
    ap.add_argument("--workdir", type=Path, default=None, help="configuration, logs, pid (default: a new temp dir)")
    args = ap.parse_args()
    if args.apps < 1:
        ap.error("--apps must be at least 1")
    if not Path(args.nginx).exists():
        ap.error(f"nginx not found at {args.nginx}: apt-get install -y nginx")
    work = (args.workdir or Path(tempfile.mkdtemp(prefix="ffnviz-cluster-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)

    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    app_ports = [args.first_app_port + i for i in range(args.apps)]
    procs = [_start_app(port, work) for port in app_ports]
    try:
        for port, proc in zip(app_ports, procs, strict=True):
            _wait_healthy(f"http://127.0.0.1:{port}", proc, 90, f"the app on port {port}")
        conf = work / "nginx.conf"
        conf.write_text(nginx_config(work, args.listen, args.port, app_ports))
        nginx = subprocess.Popen([args.nginx, "-c", str(conf), "-p", str(work)], cwd=work,
                                 stdout=open(work / "nginx.out", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
                                 start_new_session=True, preexec_fn=_die_with_parent)
        procs.append(nginx)
        host = "127.0.0.1" if args.listen in ("0.0.0.0", "::") else args.listen
        _wait_healthy(f"http://{host}:{args.port}", nginx, 30, "nginx")
        print(f"ready: http://{host}:{args.port} -> {args.apps} app processes on ports "
              f"{app_ports[0]}-{app_ports[-1]}; logs in {work}", flush=True)
        while not stopping:
            for proc in procs:
                if proc.poll() is not None:
                    print(f"a process of the class exited (code {proc.returncode}): stopping all; logs in {work}",
                          file=sys.stderr, flush=True)
                    return 1
            time.sleep(0.5)
        return 0
    except RuntimeError as e:
        print(f"cluster: {e}; logs in {work}", file=sys.stderr, flush=True)
        return 1
    finally:
        _stop(procs[::-1])  # nginx first, then the apps


if __name__ == "__main__":
    sys.exit(main())
