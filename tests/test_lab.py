"""`make lab` serves on the loopback interface only, always with a token, from the project's Python."""

import importlib.util
import ipaddress
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from japan_taiwan_evidence import paths

spec = importlib.util.spec_from_file_location("lab", paths.REPO / "tools" / "lab.py")
lab = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lab)


def _config(argv):
    """What Jupyter itself makes of the command line (parsed only; no server starts)."""
    from jupyterlab.labapp import LabApp  # here, not at collection: it costs each test worker ~0.7 s

    assert argv[:3] == [sys.executable, "-m", "jupyterlab"]
    app = LabApp()
    app.parse_command_line(argv[3:])
    return app.config


def test_server_listens_on_loopback_only_with_a_token():
    argv = lab.server_argv(lab.free_port(), lab.new_token())
    cfg = _config(argv)
    assert cfg.ServerApp.ip == "127.0.0.1"
    assert ipaddress.ip_address(cfg.ServerApp.ip).is_loopback
    assert cfg.ServerApp.allow_remote_access is False
    assert cfg.ServerApp.port_retries == 0
    assert len(cfg.IdentityProvider.token) >= 32
    joined = " ".join(argv)
    for wildcard in ("0.0.0.0", "=::", "[::]", "ip=*", "ip=''", "token=''"):
        assert wildcard not in joined, f"lab.py argv contains {wildcard!r}"


def test_every_start_gets_its_own_token_and_an_empty_one_is_refused():
    assert lab.new_token() != lab.new_token()
    with pytest.raises(ValueError):
        lab.server_argv(8888, "")


def test_kernel_is_the_projects_python():
    # The python3 kernelspec's argv[0] "python" is replaced by the server's own interpreter, so the
    # server must be started with the project's interpreter and prefer the venv's kernelspecs.
    argv = lab.server_argv(8888, "t" * 48)
    assert argv[0] == sys.executable
    assert _config(argv).MappingKernelManager.default_kernel_name == "python3"
    assert lab.server_env({})["JUPYTER_PREFER_ENV_PATH"] == "1"


def test_free_port_is_on_loopback():
    import socket
    port = lab.free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # it really is free there


ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"
NOTIFICATION = "@jupyterlab/apputils-extension:notification"


def test_the_news_prompt_is_off_in_the_projects_lab_settings():
    """What JupyterLab's own settings code makes of the project's settings folder."""
    from jupyterlab_server.config import get_page_config
    from jupyterlab_server.settings_utils import _get_overrides

    settings_dir = _config(lab.server_argv(8888, "t" * 48)).LabApp.app_settings_dir
    assert Path(settings_dir) == lab.SETTINGS and lab.SETTINGS.is_relative_to(paths.REPO)
    assert ANNOUNCEMENTS in get_page_config([], settings_dir)["disabledExtensions"]
    overrides, error = _get_overrides(settings_dir)
    assert not error
    assert overrides[NOTIFICATION] == {"fetchNews": "false", "checkForUpdates": False}


@pytest.mark.e2e
def test_a_running_lab_disables_the_announcements_plugin(tmp_path):
    """Start the server as `make lab` does (private user dirs) and ask it."""
    port, token = lab.free_port(), lab.new_token()
    env = lab.server_env()
    env.update({"JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
                "JUPYTER_DATA_DIR": str(tmp_path / "data")})
    argv = lab.server_argv(port, token, open_browser=False, extra=[
        f"--LabApp.user_settings_dir={tmp_path / 'settings'}", f"--LabApp.workspaces_dir={tmp_path / 'ws'}"])
    proc = subprocess.Popen(argv, cwd=paths.REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)

    def get(path):
        req = urllib.request.Request(f"http://{lab.HOST}:{port}{path}", headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read().decode("utf-8")

    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, "jupyter lab exited"
            try:
                get("/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert time.monotonic() < deadline, "jupyter lab did not answer"
                time.sleep(0.3)
        page = get("/lab")
        config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                      page, re.DOTALL).group(1))
        assert config["disabledExtensions"] and ANNOUNCEMENTS in config["disabledExtensions"]
        schema = json.loads(get(f"/lab/api/settings/{NOTIFICATION}"))["schema"]["properties"]
        assert schema["fetchNews"]["default"] == "false" and schema["checkForUpdates"]["default"] is False
        assert json.loads(get("/lab/api/news"))["news"] == []
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
