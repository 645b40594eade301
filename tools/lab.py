"""Open the collection in JupyterLab (`make lab`): loopback only, a fresh token, the project kernel.

The server listens on 127.0.0.1 alone (never 0.0.0.0 or ::), asks for a random token, and runs
from the project's .venv, so the notebooks' `python3` kernel is this environment's Python. It
never fetches news or update checks, since the collection works offline: the server has no news
feed and never checks for updates, and the lab's settings folder, tools/lab-settings/ (JupyterLab's
application settings directory), turns the announcements plugin off (page_config.json), so no
"Would you like to get notified about official Jupyter news?" prompt appears, and sets the
notification settings' defaults to no news, no update check (overrides.json). A user's own
settings (~/.jupyter/lab/user-settings) are kept. The URL to open, with its token, is printed at start.

    make lab                       # port 8888, or a free one if 8888 is taken
    .venv/bin/python tools/lab.py --port 9000 --no-browser
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SETTINGS = REPO / "tools" / "lab-settings"  # page_config.json and overrides.json for this project's lab
HOST = "127.0.0.1"  # the one interface the server may listen on
DEFAULT_PORT = 8888


def free_port(preferred: int | None = None) -> int:
    """`preferred` if nothing listens on it at HOST, else a port the OS picks as free."""
    if preferred:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((HOST, preferred))
                return preferred
            except OSError:
                pass
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def new_token() -> str:
    return secrets.token_hex(24)


def server_argv(port: int, token: str, *, open_browser: bool = True, root_dir: Path = REPO,
                extra: list[str] | None = None) -> list[str]:
    """The full `jupyter lab` command: every network-facing setting is pinned here, on the command
    line, where it overrides anything in a user's jupyter config files."""
    if not token:
        raise ValueError("JupyterLab must run with a token")
    argv = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.ip={HOST}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # the printed URL must be the real one
        f"--IdentityProvider.token={token}",
        "--ServerApp.allow_remote_access=False",
        f"--ServerApp.root_dir={root_dir}",
        f"--ServerApp.open_browser={open_browser}",
        "--MappingKernelManager.default_kernel_name=python3",
        # Offline by design: no news feed, no update check, and the plugin that asks about them is off.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.app_settings_dir={SETTINGS}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--ServerApp.allow_root=True")  # containers and CI run as root; Jupyter refuses otherwise
    return argv + list(extra or [])


def server_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the server: the venv's own kernelspec comes before a user-wide one."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    return env


def url(port: int, token: str, path: str = "lab") -> str:
    return f"http://{HOST}:{port}/{path}?token={token}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=DEFAULT_PORT, help="preferred port (default 8888)")
    ap.add_argument("--no-browser", action="store_true", help="do not try to open a browser")
    args = ap.parse_args(argv)
    port, token = free_port(args.port), new_token()
    print(f"JupyterLab for japan-taiwan-evidence, listening on {HOST} only.\n"
          f"Open: {url(port, token)}\n(Ctrl-C twice to stop.)", flush=True)
    cmd = server_argv(port, token, open_browser=not args.no_browser)
    os.execve(cmd[0], cmd, server_env())  # replace this process: Ctrl-C reaches Jupyter directly
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
