"""End-to-end test in a real browser (`make e2e`): every notebook, run through the JupyterLab interface.

What a user does, automated: start `jupyter lab` from the project's environment (127.0.0.1, a random
free port, a random token, the same command line as `make lab`), open each notebooks/NN_*.ipynb in
Debian's Chromium driven headless by Playwright, clear the stored outputs, choose Run > Run All Cells,
and wait until every code cell has run and the kernel is idle. Then check:

- the server and the kernel listen on 127.0.0.1 only;
- the kernel is the project's: the server's session runs the notebook's kernelspec, the kernel
  process is the project's Python, and a cell typed into the notebook through the interface prints
  a sys.prefix equal to the project environment's;
- no cell produced an error or wrote to stderr (no error outputs, no stderr output areas);
- every cell that ends in plt.show() in the notebook file shows a loaded image in the browser.

A screenshot per notebook goes to build/e2e/NN_name.png (git-ignored). Nothing is saved: autosave
is off in a private settings dir, the notebooks on disk must be byte-identical afterwards (and
`git status` of notebooks/ unchanged), and figures the kernels write go to build/e2e/figures/, not
figures/. The server's process group is stopped however the run ends.

    .venv/bin/python tools/e2e.py                    # all notebooks
    .venv/bin/python tools/e2e.py 01_us_forces_japan.ipynb
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import lab  # noqa: E402  (tools/lab.py builds the server command line, for make lab and this test)

CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright never downloads a browser here
# Headless as root, in a sandbox with no network but loopback: no GPU, no background connections.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUT = REPO / "build" / "e2e"
SERVER_START_S = 90
NOTEBOOK_LOAD_S = 120
RUN_ALL_S = 900  # per notebook; the heaviest (maps) take well under this

# JupyterLab settings for the run: never save behind our back, keep every cell in the DOM so all
# outputs can be inspected, and ask nothing about news.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


class E2EFailure(AssertionError):
    pass


def log(msg: str) -> None:
    print(msg, flush=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def git_status(*paths_: str) -> str:
    try:
        return subprocess.run(["git", "status", "--porcelain", "--", *paths_], cwd=REPO, text=True,
                              capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "(not a git checkout)"


def figure_cells(nb_path: Path) -> list[int]:
    """Indices (among code cells) of the cells that show a figure: their source calls plt.show()."""
    cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    return [i for i, c in enumerate(code) if re.search(r"\bplt\.show\(\)", "".join(c["source"]))]


class LabServer:
    """`jupyter lab` in its own process group, with private config, runtime and settings dirs."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = lab.free_port()  # no preferred port: a random free one
        self.token = lab.new_token()
        self.proc: subprocess.Popen | None = None
        self.log_path = OUT / "server.log"

    def api(self, path: str, method: str = "GET"):
        req = urllib.request.Request(f"http://{lab.HOST}:{self.port}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def start(self) -> None:
        settings = self.workdir / "settings"
        for plugin, values in LAB_SETTINGS.items():
            f = settings / f"{plugin}.jupyterlab-settings"
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(json.dumps(values))
        env = lab.server_env()
        env.update({
            "JUPYTER_CONFIG_DIR": str(self.workdir / "config"),  # a user's jupyter config cannot interfere
            "JUPYTER_RUNTIME_DIR": str(self.workdir / "runtime"),
            "JUPYTER_DATA_DIR": str(self.workdir / "data"),  # nor user-wide kernelspecs or trust db
            "JTE_FIGURES_DIR": str(OUT / "figures"),  # kernels inherit this: figures/ is not touched
        })
        env.pop("MPLBACKEND", None)  # the kernel must pick its inline backend, as for a user
        argv = lab.server_argv(self.port, self.token, open_browser=False, extra=[
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
            # Lab checkpoints a notebook when it opens it; keep those copies out of the repository.
            f"--FileCheckpoints.root_dir={self.workdir / 'checkpoints'}",
        ])
        self.proc = subprocess.Popen(argv, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                                     stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if self.proc.poll() is not None:
                raise E2EFailure(f"jupyter lab exited with {self.proc.returncode}; see {self.log_path}")
            try:
                self.api("/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise E2EFailure(f"jupyter lab did not answer within {SERVER_START_S} s") from None
                time.sleep(0.25)
        self.check_listens_on_loopback_only()

    def check_listens_on_loopback_only(self) -> None:
        listening = {(c.laddr.ip, c.laddr.port) for c in psutil.Process(self.proc.pid).net_connections("inet")
                     if c.status == psutil.CONN_LISTEN}
        if not listening or any(ip != lab.HOST for ip, _ in listening):
            raise E2EFailure(f"the server listens on {sorted(listening)}; expected {lab.HOST} only")

    def kernel_process(self, kernel_id: str) -> psutil.Process:
        for p in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if any(f"kernel-{kernel_id}.json" in a for a in p.cmdline()):
                    return p
            except psutil.NoSuchProcess:
                continue
        raise E2EFailure(f"no process found for kernel {kernel_id}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:  # polite first: the server shuts its kernels down cleanly
            self.api("/api/shutdown", method="POST")
            self.proc.wait(timeout=15)
        except Exception:
            pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        try:  # whatever is left of the group (a stuck kernel) goes too
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()


def run_notebook(browser, server: LabServer, nb_path: Path) -> dict:
    """Open one notebook in a fresh page, run all cells through the menus, and check what it shows."""
    rel = nb_path.relative_to(REPO).as_posix()
    want_figures = figure_cells(nb_path)
    page = browser.new_page(viewport={"width": 1280, "height": 1600})
    errors_in_page: list[str] = []
    kernel_id = None
    page.on("pageerror", lambda e: errors_in_page.append(str(e)))
    t0 = time.perf_counter()
    try:
        # A workspace per notebook, so Lab restores no other document into the page.
        page.goto(f"http://{lab.HOST}:{server.port}/lab/workspaces/e2e-{nb_path.stem}/tree/{rel}"
                  f"?token={server.token}")
        panel = page.locator(".jp-NotebookPanel").first
        panel.wait_for(timeout=NOTEBOOK_LOAD_S * 1000)
        session = wait_for_session(server, rel)
        kernel_id = session["kernel"]["id"]
        wait_kernel_idle(server, kernel_id, NOTEBOOK_LOAD_S)
        cells = panel.locator(".jp-Notebook .jp-CodeCell")
        n_code = len(json_code_cells(nb_path))
        if cells.count() != n_code:
            raise E2EFailure(f"{rel}: the page shows {cells.count()} code cells, the file has {n_code}")

        # Clear the stored outputs first, so every image and prompt checked below comes from this run.
        run_command(page, "Edit", "Clear Outputs of All Cells")
        page.wait_for_function("() => document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output').length === 0",
                               timeout=30_000)
        t_run = time.perf_counter()
        run_command(page, "Run", "Run All Cells")
        # Outputs were cleared, so every prompt reads [ ]: until Run All reaches it; then [*]: while it
        # waits or runs, [n]: when done. A cell that raises stops Run All and leaves the rest [ ]:.
        page.wait_for_function(
            """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')]
                       .some(e => /^\\[(\\*|\\d+)\\]:$/.test(e.textContent.trim()))""",
            timeout=30_000, polling=100)
        page.wait_for_function(
            """() => ![...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')]
                        .some(e => e.textContent.trim() === '[*]:')""", timeout=RUN_ALL_S * 1000, polling=500)
        wait_kernel_idle(server, kernel_id, 60)
        run_s = time.perf_counter() - t_run

        errors = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
                               " .jp-OutputArea-output.jp-mod-error, .jp-RenderedText[data-mime-type="
                               "'application/vnd.jupyter.stderr']")
        if errors.count():
            raise E2EFailure(f"{rel}: {errors.count()} error/stderr output(s); first:\n"
                             f"{errors.first.inner_text()[:2000]}")
        prompts = [t.strip() for t in cells.locator(".jp-InputPrompt").all_text_contents()]
        if prompts != [f"[{i}]:" for i in range(1, n_code + 1)]:
            raise E2EFailure(f"{rel}: cells did not run top to bottom once each in a fresh kernel: {prompts}")
        missing = []
        for i in want_figures:
            imgs = cells.nth(i).locator(".jp-OutputArea-output img")
            loaded = imgs.evaluate_all("els => els.filter(e => e.complete && e.naturalWidth > 0).length")
            if loaded < 1:
                missing.append(i + 1)
        if missing:
            raise E2EFailure(f"{rel}: code cells {missing} call plt.show() but show no image")
        n_images = panel.locator(".jp-OutputArea-output img").count()

        # The kernel is the project's: as the server runs it, and as the notebook itself reports.
        spec = json.loads(nb_path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"]
        if session["kernel"]["name"] != spec:
            raise E2EFailure(f"{rel}: kernel {session['kernel']['name']!r}, the notebook asks for {spec!r}")
        kproc = server.kernel_process(kernel_id)
        if Path(kproc.cmdline()[0]) != Path(sys.executable):
            raise E2EFailure(f"{rel}: the kernel runs {kproc.cmdline()[0]}, not {sys.executable}")
        kernel_ports = {c.laddr.ip for c in kproc.net_connections("inet") if c.status == psutil.CONN_LISTEN}
        if kernel_ports - {lab.HOST}:  # the kernel's ZMQ sockets, like the server, stay on loopback
            raise E2EFailure(f"{rel}: the kernel listens on {sorted(kernel_ports)}")
        prefix = ask_kernel_prefix(page, panel, n_code)
        if Path(prefix).resolve() != Path(sys.prefix).resolve():
            raise E2EFailure(f"{rel}: the kernel's sys.prefix is {prefix}, expected {sys.prefix}")
        if errors_in_page:
            raise E2EFailure(f"{rel}: JavaScript errors in the page: {errors_in_page[:3]}")

        # Screenshot with the first figure centred in view (or the top of the notebook if it has none).
        if want_figures:
            cells.nth(want_figures[0]).locator(".jp-OutputArea-output img").first.evaluate(
                "e => e.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(OUT / f"{nb_path.stem}.png"))
        return {"notebook": nb_path.name, "code_cells": n_code, "figure_cells": len(want_figures),
                "images": n_images, "run_all_s": round(run_s, 1),
                "total_s": round(time.perf_counter() - t0, 1), "kernel_prefix": prefix}
    except Exception:
        try:
            page.screenshot(path=str(OUT / f"{nb_path.stem}.FAILED.png"))
        except Exception:
            pass
        raise
    finally:
        page.close()  # no beforeunload prompt: the unsaved run is simply dropped
        if kernel_id:
            try:
                server.api(f"/api/kernels/{kernel_id}", method="DELETE")  # free the kernel's memory
            except Exception:
                pass


def json_code_cells(nb_path: Path) -> list[dict]:
    return [c for c in json.loads(nb_path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


def run_command(page, menu: str, label: str) -> None:
    """Click a top-level menu, then one of its items by its visible label, as a user would."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(f"^{menu}$")).click()
    item = page.locator(".lm-Menu-content > .lm-Menu-item:not(.lm-mod-disabled)",
                        has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(label)}$")))
    item.wait_for(timeout=10_000)
    item.click()


def wait_for_session(server: LabServer, rel: str, timeout_s: float = NOTEBOOK_LOAD_S) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for s in server.api("/api/sessions"):
            if s.get("path") == rel and s.get("kernel"):
                return s
        time.sleep(0.25)
    raise E2EFailure(f"{rel}: no kernel session started within {timeout_s} s")


def wait_kernel_idle(server: LabServer, kernel_id: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    state = "?"
    while time.monotonic() < deadline:
        state = server.api(f"/api/kernels/{kernel_id}")["execution_state"]
        if state == "idle":
            return
        if state == "dead":
            break
        time.sleep(0.25)
    raise E2EFailure(f"kernel {kernel_id} is {state!r}, not idle")


def ask_kernel_prefix(page, panel, n_code: int) -> str:
    """Type a cell below the last one through the interface and run it; read what it prints."""
    panel.locator(".jp-Notebook .jp-Cell").last.locator(".jp-InputPrompt").click()  # select, command mode
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # insert a code cell below; it becomes the active cell
    page.keyboard.press("Enter")  # edit mode
    page.keyboard.insert_text('import sys; print("KERNEL_PREFIX=" + sys.prefix)')
    page.keyboard.press("Shift+Enter")
    cell = panel.locator(".jp-Notebook .jp-CodeCell").nth(n_code)
    out = cell.locator(".jp-OutputArea-output", has_text="KERNEL_PREFIX=")
    out.wait_for(timeout=30_000)
    m = re.search(r"KERNEL_PREFIX=(\S+)", out.inner_text())
    if not m:
        raise E2EFailure("the injected cell printed no prefix")
    return m.group(1)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", help="only these notebooks (file names)")
    args = ap.parse_args(argv)

    notebooks = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.notebooks:
        wanted = {Path(n).name for n in args.notebooks}
        notebooks = [n for n in notebooks if n.name in wanted]
    if not notebooks:
        log("e2e: no notebooks to run")
        return 1
    if not os.access(CHROMIUM, os.X_OK):
        log(f"e2e: {CHROMIUM} not found. Install Debian's Chromium: apt-get install -y chromium "
            "(.ci/run does this); Playwright's own browser download is not used.")
        return 1
    from playwright.sync_api import sync_playwright

    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    before_hash = {p: sha256(p) for p in notebooks}
    before_git = git_status("notebooks")
    before_figs = {p: sha256(p) for p in sorted((REPO / "figures").glob("*")) if p.is_file()}
    checkpoints = REPO / "notebooks" / ".ipynb_checkpoints"
    had_checkpoints = checkpoints.exists()
    t_all = time.perf_counter()
    results, failures = [], []
    with tempfile.TemporaryDirectory(prefix="jte-e2e-") as tmp:
        server = LabServer(Path(tmp))
        try:
            server.start()
            log(f"e2e: jupyter lab up on {lab.HOST}:{server.port} (token auth) in "
                f"{time.perf_counter() - t_all:.1f} s; listening on loopback only")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    for i, nb in enumerate(notebooks, 1):
                        log(f"[{i}/{len(notebooks)}] {nb.name}: running all cells in JupyterLab ...")
                        try:
                            r = run_notebook(browser, server, nb)
                        except Exception as e:  # record, and go on to the next notebook
                            failures.append(f"{nb.name}: {type(e).__name__}: {e}")
                            log(f"    FAILED: {e}")
                            continue
                        results.append(r)
                        log(f"    ok: {r['code_cells']} cells in {r['run_all_s']} s, {r['images']} images for "
                            f"{r['figure_cells']} figure cells, kernel prefix {Path(r['kernel_prefix']).name}/; "
                            f"screenshot build/e2e/{nb.stem}.png")
                finally:
                    browser.close()
        finally:
            server.stop()

    changed = [p.name for p in notebooks if sha256(p) != before_hash[p]]
    if changed:
        failures.append(f"notebooks changed on disk by the run (must never be saved): {changed}")
    after_git = git_status("notebooks")
    if after_git != before_git:
        failures.append(f"git status of notebooks/ changed:\nbefore:\n{before_git}after:\n{after_git}")
    after_figs = {p: sha256(p) for p in sorted((REPO / "figures").glob("*")) if p.is_file()}
    if after_figs != before_figs:
        failures.append("figures/ changed during the run (kernels must write to build/e2e/figures)")
    if checkpoints.exists() and not had_checkpoints:
        failures.append("the run left notebooks/.ipynb_checkpoints behind")
    elapsed = time.perf_counter() - t_all
    (OUT / "e2e.json").write_text(json.dumps({"results": results, "failures": failures,
                                              "elapsed_s": round(elapsed, 1)}, indent=2) + "\n")
    if failures:
        log("e2e FAILED:\n  " + "\n  ".join(failures))
        return 1
    log(f"e2e passed: {len(results)} notebooks in {elapsed:.1f} s; notebooks on disk unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
