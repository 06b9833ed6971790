"""Browser-free test of codeward-jupyterlab's server side through jupyter-lsp.

1. A Jupyter server with the installed package and CODEWARD_SERVER_PATH: `/lsp/status` lists the
   `codeward` spec under its own language (so it never replaces pylsp/pyright for Python); a
   websocket to `/lsp/ws/codeward` speaks LSP the way the labextension does: initialize, open the
   sample notebook as an LSP 3.17 notebook document, get the md5 finding on the third cell (the
   import is in the first), a hover, the quick fix, apply it, send the cell change, see the
   finding cleared; the same for a `.py` text document; `codeward.scanFile` on the notebook.
   Coexistence, in the same session: with python-lsp-server installed (as `.ci/run` does),
   `/lsp/status` lists `pylsp` for Python next to `codeward`, and a second websocket, to
   `/lsp/ws/pylsp`, stays open the whole time: pylsp answers completions (`os.pa` → `path`)
   before and after Codeward's findings, and both sessions are running at once.
2. Without a codeward binary: the spec is absent from `/lsp/status` (the labextension then shows
   "Codeward: server not found").

Usage: python ws_test.py <codeward binary>   (prints PASS, exit 0; raises otherwise)
"""

import json
import queue
import sys
import threading
import time
from pathlib import Path

import websocket  # websocket-client, a jupyter_server dependency

sys.path.insert(0, str(Path(__file__).resolve().parent))
from jupyter_sandbox import JupyterSandbox  # noqa: E402

RULE = "python/insecure-hashing@v1.0"
FIX = "Use hashlib.sha256"
STEP_S = 30


class Client:
    """A JSON-RPC client on jupyter-lsp's websocket (bare JSON messages)."""

    def __init__(self, url):
        self.ws = websocket.create_connection(url, timeout=STEP_S)
        self.inbox = queue.Queue()
        self.next_id = 1
        self.diagnostics = {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                text = self.ws.recv()
            except Exception:  # closed
                self.inbox.put(None)
                return
            if not text:
                continue
            msg = json.loads(text)
            if "method" in msg and "id" in msg:  # a server request: accept it
                self.ws.send(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": None}))
            else:
                self.inbox.put(msg)

    def notify(self, method, params):
        self.ws.send(json.dumps({"jsonrpc": "2.0", "method": method, "params": params}))

    def request(self, method, params):
        rid = f"t-{self.next_id}"
        self.next_id += 1
        self.ws.send(json.dumps({"jsonrpc": "2.0", "id": rid, "method": method, "params": params}))
        msg = self.wait(lambda m: m.get("id") == rid, f"reply to {method}")
        if "error" in msg:
            raise AssertionError(f"{method} failed: {msg['error']}")
        return msg.get("result")

    def wait(self, pred, what):
        deadline = time.monotonic() + STEP_S
        while time.monotonic() < deadline:
            try:
                msg = self.inbox.get(timeout=max(0.05, deadline - time.monotonic()))
            except queue.Empty:
                break
            if msg is None:
                raise AssertionError(f"websocket closed while waiting for {what}")
            if msg.get("method") == "textDocument/publishDiagnostics":
                self.diagnostics[msg["params"]["uri"]] = msg["params"]["diagnostics"]
            if pred(msg):
                return msg
        raise AssertionError(f"no {what} within {STEP_S} s")

    def wait_diagnostics(self, uri, pred, what):
        if uri in self.diagnostics and pred(self.diagnostics[uri]):
            return self.diagnostics[uri]
        msg = self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and pred(m["params"]["diagnostics"]),
            what,
        )
        return msg["params"]["diagnostics"]


def apply_edits(text, edits):
    """Applies LSP edits (line/character) to text, last first."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def off(p):
        return starts[p["line"]] + p["character"]

    for e in sorted(edits, key=lambda e: off(e["range"]["start"]), reverse=True):
        text = text[: off(e["range"]["start"])] + e["newText"] + text[off(e["range"]["end"]):]
    return text


def quick_fix(client, uri, diag):
    actions = client.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag], "only": ["quickfix"]}},
    )
    titles = [a["title"] for a in actions]
    fix = next((a for a in actions if a["title"] == FIX), None)
    assert fix is not None, f"no `{FIX}` among {titles}"
    edits = fix["edit"].get("changes", {}).get(uri) or [
        e for dc in fix["edit"].get("documentChanges", []) if dc["textDocument"]["uri"] == uri for e in dc["edits"]
    ]
    assert edits, f"the fix edits nothing in {uri}: {fix['edit']}"
    return edits


COMPLETION_TEXT = "import os\nos.pa"
COMPLETION_WANTED = "path"


def python_specs(status):
    """Keys of the specs that serve the `python` language."""
    return sorted(k for k, spec in status["specs"].items() if "python" in spec.get("languages", []))


def pylsp_connect(jp, root):
    """A second websocket, to pylsp, initialized and with a Python document open."""
    client = Client(f"ws://127.0.0.1:{jp.port}/lsp/ws/pylsp?token={jp.token}")
    init = client.request("initialize", {
        "processId": None, "rootUri": root, "workspaceFolders": [{"uri": root, "name": "nb"}],
        "capabilities": {"textDocument": {"completion": {"completionItem": {"snippetSupport": False}}}},
    })
    server = (init.get("serverInfo") or {}).get("name", "?")
    assert init["capabilities"].get("completionProvider") is not None, f"{server} offers no completion: {init}"
    client.notify("initialized", {})
    uri = f"{root}/coexist.py"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                            "text": COMPLETION_TEXT}})
    print("pylsp: initialized", server, "on /lsp/ws/pylsp")
    return client, uri


def pylsp_complete(client, uri, when):
    """Asks pylsp for completions at the end of `os.pa` and checks `path` is among them."""
    lines = COMPLETION_TEXT.split("\n")
    result = client.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": {"line": len(lines) - 1, "character": len(lines[-1])},
    })
    items = result["items"] if isinstance(result, dict) else (result or [])
    labels = [i["label"] for i in items]
    assert COMPLETION_WANTED in labels, f"pylsp did not complete `os.pa` to `{COMPLETION_WANTED}` {when}: {labels[:20]}"
    print(f"pylsp: completion {COMPLETION_WANTED!r} for 'os.pa' {when} ({len(labels)} items)")


def assert_both_running(jp):
    """`/lsp/status`: the codeward and pylsp sessions are both started, each with a websocket."""
    sessions = jp.get_json("/lsp/status")["sessions"]
    for key in ("codeward", "pylsp"):
        session = sessions.get(key)
        assert session, f"no {key} session in /lsp/status: {sorted(sessions)}"
        assert session["status"] == "started" and session["handler_count"] >= 1, f"{key} session: {session}"
    print("status: sessions codeward and pylsp both started, each with an open websocket")


def with_server(binary):
    with JupyterSandbox(binary, app="server") as jp:
        status = jp.get_json("/lsp/status")
        spec = status["specs"].get("codeward")
        assert spec, f"no codeward spec in /lsp/status: {sorted(status['specs'])}"
        assert spec["languages"] == ["codeward"], f"codeward must not claim Python: {spec['languages']}"
        assert spec.get("requires_documents_on_disk") is False
        print("spec:", spec["display_name"], spec["languages"])
        assert "pylsp" in status["specs"], (
            f"python-lsp-server is not installed next to JupyterLab ({sys.prefix}; .ci/run installs it), "
            f"so coexistence cannot be tested: /lsp/status has {sorted(status['specs'])}"
        )
        served_by = python_specs(status)
        assert "pylsp" in served_by and "codeward" not in served_by, (
            f"codeward must leave the python language to pylsp: python is served by {served_by}"
        )
        print("spec:", status["specs"]["pylsp"]["display_name"], status["specs"]["pylsp"]["languages"],
              "- python served by", served_by)

        root = Path(jp.root).resolve().as_uri()
        pylsp, pylsp_uri = pylsp_connect(jp, root)
        pylsp_complete(pylsp, pylsp_uri, "before codeward connects")
        client = Client(f"ws://127.0.0.1:{jp.port}/lsp/ws/codeward?token={jp.token}")
        init = client.request("initialize", {
            "processId": None, "rootUri": root, "workspaceFolders": [{"uri": root, "name": "nb"}],
            "capabilities": {
                "textDocument": {"publishDiagnostics": {"dataSupport": True}, "hover": {"contentFormat": ["markdown"]},
                                 "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}}},
                "notebookDocument": {"synchronization": {}},
                "window": {"workDoneProgress": True},
            },
            "initializationOptions": {"codeward": {"analysisType": "Security", "scanTrigger": "type"}},
        })
        assert init["capabilities"].get("notebookDocumentSync"), "server does not sync notebooks"
        client.notify("initialized", {})

        # the notebook, as the labextension sends it (cells of vulnerable.ipynb)
        nb = json.loads((jp.root / "vulnerable.ipynb").read_text())
        nb_uri = f"{root}/vulnerable.ipynb"
        cells = []
        for c in nb["cells"]:
            uri = f"jupyterlab-notebook-cell://{nb_uri[len('file://'):]}#{c['id']}"
            src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            cells.append((uri, c["cell_type"], src))
        client.notify("notebookDocument/didOpen", {
            "notebookDocument": {"uri": nb_uri, "notebookType": "jupyter-notebook", "version": 1,
                                 "cells": [{"kind": 2 if t == "code" else 1, "document": u} for u, t, _ in cells]},
            "cellTextDocuments": [{"uri": u, "languageId": "python" if t == "code" else t, "version": 1, "text": s}
                                  for u, t, s in cells],
        })
        bad_uri, _, bad_text = cells[2]
        diags = client.wait_diagnostics(bad_uri, lambda ds: any(d.get("code") == RULE for d in ds), f"{RULE} on cell 3")
        diag = next(d for d in diags if d["code"] == RULE)
        assert diag["data"]["severity"] in ("Critical", "High", "Medium", "Low", "Info"), diag["data"]
        print("finding:", diag["code"], diag["data"]["severity"], diag["range"], diag["message"][:70])
        assert_both_running(jp)
        pylsp_complete(pylsp, pylsp_uri, "while codeward has published its finding")
        clean = client.wait_diagnostics(cells[0][0], lambda ds: ds == [], "an empty list for cell 1")
        assert clean == []

        hover = client.request("textDocument/hover", {"textDocument": {"uri": bad_uri}, "position": diag["range"]["start"]})
        text = hover["contents"]["value"]
        assert "CWE-" in text and RULE in text, f"hover lacks the rule or CWE: {text[:300]}"
        print("hover:", text.splitlines()[0])

        fixed = apply_edits(bad_text, quick_fix(client, bad_uri, diag))
        assert "hashlib.sha256(data)" in fixed, fixed
        client.notify("notebookDocument/didChange", {
            "notebookDocument": {"uri": nb_uri, "version": 2},
            "change": {"cells": {"textContent": [{"document": {"uri": bad_uri, "version": 2}, "changes": [{"text": fixed}]}]}},
        })
        client.wait_diagnostics(bad_uri, lambda ds: not any(d.get("code") == RULE for d in ds), "the finding to clear")
        print("notebook: quick fix applied, finding cleared")

        # break it again and scan on demand (the "Run code scan" command)
        client.notify("notebookDocument/didChange", {
            "notebookDocument": {"uri": nb_uri, "version": 3},
            "change": {"cells": {"textContent": [{"document": {"uri": bad_uri, "version": 3}, "changes": [{"text": bad_text}]}]}},
        })
        result = client.request("workspace/executeCommand", {"command": "codeward.scanFile", "arguments": [nb_uri],
                                                             "workDoneToken": "t-scan"})
        assert result["findings"] >= 1, result
        print("scanFile:", result)
        client.notify("notebookDocument/didClose", {"notebookDocument": {"uri": nb_uri},
                                                    "cellTextDocuments": [{"uri": u} for u, _, _ in cells]})

        # a .py file in JupyterLab's editor
        py_uri = f"{root}/bad.py"
        py_text = (jp.root / "bad.py").read_text()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": py_uri, "languageId": "python", "version": 1, "text": py_text}})
        diags = client.wait_diagnostics(py_uri, lambda ds: any(d.get("code") == RULE for d in ds), f"{RULE} in bad.py")
        diag = next(d for d in diags if d["code"] == RULE)
        fixed = apply_edits(py_text, quick_fix(client, py_uri, diag))
        client.notify("textDocument/didChange", {"textDocument": {"uri": py_uri, "version": 2}, "contentChanges": [{"text": fixed}]})
        client.wait_diagnostics(py_uri, lambda ds: not any(d.get("code") == RULE for d in ds), "bad.py's finding to clear")
        print("file: quick fix applied, finding cleared")
        pylsp.notify("textDocument/didChange", {"textDocument": {"uri": pylsp_uri, "version": 2},
                                                "contentChanges": [{"text": COMPLETION_TEXT}]})
        pylsp_complete(pylsp, pylsp_uri, "after codeward's fixes")
        assert_both_running(jp)
        client.ws.close()
        pylsp.ws.close()


def without_server():
    with JupyterSandbox(None, app="server") as jp:
        status = jp.get_json("/lsp/status")
        assert "codeward" not in status["specs"], "a codeward spec without a binary"
        hint = [line for line in jp.log().splitlines() if "no codeward binary" in line]
        assert hint, f"no hint about the missing binary in the server log:\n{jp.log()}"
        print("no binary: spec absent, log says:", hint[0][-120:])


if __name__ == "__main__":
    binary = Path(sys.argv[1]).resolve()
    assert binary.is_file(), f"{binary} does not exist"
    with_server(binary)
    without_server()
    print("PASS")
