"""A throw-away Jupyter server for the codeward-jupyterlab tests: private config, runtime, settings
and workspace dirs, a notebook dir with the samples, `codeward` found through CODEWARD_SERVER_PATH,
started in its own process group and stopped with it.

Usage as a module: ``with JupyterSandbox(app="lab", server_bin=...) as jp: jp.url, jp.token, jp.root``.
Usage as a script (for the browser test): ``python jupyter_sandbox.py <dir> <codeward|-> [lab|server]``
prints ``READY <port> <token>`` and serves until stdin closes.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TOKEN = "codeward-e2e"
SAMPLES = Path(__file__).resolve().parent / "samples"


def free_port():
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterSandbox:
    """One Jupyter server; ``server_bin=None`` starts it without a codeward binary."""

    def __init__(self, server_bin, app="server", base=None, timeout=60):
        self.server_bin = server_bin
        self.app = app
        self.timeout = timeout
        self.owned = base is None
        self.base = Path(base or tempfile.mkdtemp(prefix="codeward-jlab-"))
        self.root = self.base / "nb"
        self.token = TOKEN
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.log_path = self.base / "jupyter.log"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop(keep=exc[0] is not None)

    def start(self):
        for d in ["config", "runtime", "settings", "workspaces", "data", "nb", "home", "bin"]:
            (self.base / d).mkdir(parents=True, exist_ok=True)
        for f in SAMPLES.iterdir():
            shutil.copy(f, self.root / f.name)
        notification = self.base / "settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
        notification.parent.mkdir(parents=True, exist_ok=True)
        notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        # jupyterlab-lsp (when installed) serves Python with pylsp, whatever else the machine has
        lsp = self.base / "settings/@jupyterlab/lsp-extension/plugin.jupyterlab-settings"
        lsp.parent.mkdir(parents=True, exist_ok=True)
        lsp.write_text(json.dumps({"activate": "on", "languageServers": {"pylsp": {"rank": 100}}}))
        env = dict(os.environ)
        # the codeward binary only through CODEWARD_SERVER_PATH: drop any `codeward` from PATH
        path = [p for p in env.get("PATH", "").split(os.pathsep) if p and not (Path(p) / "codeward").exists()]
        path.insert(0, str(Path(sys.executable).parent))
        env.update(
            PATH=os.pathsep.join(path),
            HOME=str(self.base / "home"),
            JUPYTER_CONFIG_DIR=str(self.base / "config"),
            JUPYTER_RUNTIME_DIR=str(self.base / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(self.base / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(self.base / "workspaces"),
            JUPYTER_DATA_DIR=str(self.base / "data"),
        )
        if self.server_bin:
            env["CODEWARD_SERVER_PATH"] = str(self.server_bin)
        else:
            env.pop("CODEWARD_SERVER_PATH", None)
        argv = [
            sys.executable, "-m", "jupyterlab" if self.app == "lab" else "jupyter_server",
            "--no-browser", "--ip=127.0.0.1", f"--port={self.port}", "--port-retries=0",
            f"--IdentityProvider.token={self.token}", "--allow-root",
            f"--ServerApp.root_dir={self.root}",
            # the servers that entry points and jupyter-lsp's own specs find in this environment:
            # codeward, and pylsp when installed (the coexistence test needs it)
            "--LanguageServerManager.autodetect=True",
        ]
        if self.app == "lab":
            argv.append("--LabApp.expose_app_in_browser=True")
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen(argv, cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"jupyter did not answer in {self.timeout} s:\n{self.log()}")

    def get_json(self, path):
        """GET ``path`` (with the token) as JSON."""
        with urllib.request.urlopen(f"{self.url}{path}?token={self.token}", timeout=10) as r:
            return json.load(r)

    def log(self):
        """The server's output so far."""
        try:
            return self.log_path.read_text(errors="replace")[-6000:]
        except OSError:
            return "(no log)"

    def stop(self, keep=False):
        """Stops the server's process group; removes the sandbox unless ``keep``."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        if self.owned and not keep:
            shutil.rmtree(self.base, ignore_errors=True)
        elif keep:
            print(f"sandbox kept: {self.base}", file=sys.stderr)


if __name__ == "__main__":
    base, binary = sys.argv[1], sys.argv[2]
    app = sys.argv[3] if len(sys.argv) > 3 else "lab"
    with JupyterSandbox(None if binary == "-" else binary, app=app, base=base) as jp:
        print(f"READY {jp.port} {jp.token}", flush=True)
        sys.stdin.read()  # until the parent closes our stdin (or dies)
