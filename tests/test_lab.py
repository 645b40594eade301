"""`make lab` serves on the loopback interface only, always with a token, from the project's Python."""

import importlib.util
import ipaddress
import sys

import pytest
from jupyterlab.labapp import LabApp

from japan_taiwan_evidence import paths

spec = importlib.util.spec_from_file_location("lab", paths.REPO / "tools" / "lab.py")
lab = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lab)


def _config(argv):
    """What Jupyter itself makes of the command line (parsed only; no server starts)."""
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
