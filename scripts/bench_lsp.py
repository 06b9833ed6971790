#!/usr/bin/env python3
"""Whole-process LSP latency: didChange sent -> publishDiagnostics for that version received.

Starts `codeward lsp`, initializes it with `initializationOptions: {"debounceMs": 0}` (and an
express size limit large enough for the file), opens a generated 10,000-line Python file (the same
shape as `server/benches/edit_latency.rs`), sends incremental edits one at a time (a keystroke typed,
then deleted), waits for the diagnostics of each version, and prints median / p95 / max.

Standard library only. Usage: bench_lsp.py [--binary target/release/codeward] [--edits 50]
"""

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time

LINES = 10_000


def block(i: int) -> str:
    kind = i % 25
    if kind == 3:
        vulnerable = f"    digest = hashlib.md5(payload.encode()).hexdigest()  # weak hash {i}\n"
    elif kind == 11:
        vulnerable = "    config = yaml.load(request.data, Loader=yaml.Loader)\n"
    elif kind == 17:
        vulnerable = '    subprocess.call("echo " + request.args.get("q", ""), shell=True)\n'
    else:
        vulnerable = f"    digest = hashlib.sha256(payload.encode()).hexdigest()  # ok {i}\n"
    return (
        "\n"
        "@dataclass\n"
        f"class Record{i}:\n"
        f'    """A record of kind {i}."""\n'
        "    name: str\n"
        f"    size: int = {i}\n"
        "    note: Optional[str] = None\n"
        "\n"
        "    def describe(self) -> str:\n"
        "        if self.note:\n"
        '            return f"{self.name} ({self.size}): {self.note}"\n'
        '        return f"{self.name} ({self.size})"\n'
        "\n"
        "\n"
        f"def normalise_{i}(values, limit=10):\n"
        "    result = []\n"
        "    for value in values[:limit]:\n"
        "        if isinstance(value, str):\n"
        "            result.append(value.strip().lower())\n"
        "        elif value is not None:\n"
        "            result.append(str(value))\n"
        "    return result\n"
        "\n"
        "\n"
        f'@app.route("/items/{i}", methods=["GET", "POST"])\n'
        f"def handler_{i}():\n"
        '    payload = request.args.get("name", "")\n'
        f"{vulnerable}"
        f"    record = Record{i}(name=payload, size=len(payload))\n"
        '    log.info("handled %s", record.describe())\n'
        f'    data = json.dumps({{"items": normalise_{i}(payload.split(","))}})\n'
        f'    return jsonify(result=data, digest=digest, path=os.path.join("/srv", "{i}"))\n'
        "\n"
    )


def generate(lines: int) -> str:
    """The benchmark file: exactly `lines` lines, as the Rust bench generates it."""
    parts = [
        '"""Generated service module for benchmarks."""\n'
        "import hashlib\nimport json\nimport logging\nimport os\nimport subprocess\n"
        "from dataclasses import dataclass\nfrom typing import Optional\n\nimport yaml\n"
        "from flask import Flask, jsonify, request\n\napp = Flask(__name__)\n"
        "log = logging.getLogger(__name__)\n\n"
    ]
    count = parts[0].count("\n")
    i = 0
    while count < lines:
        b = block(i)
        parts.append(b)
        count += b.count("\n")
        i += 1
    kept = "".join(parts).split("\n")[:lines]
    while kept and kept[-1].rstrip().endswith(":"):
        kept.pop()
    while len(kept) < lines:
        kept.append("# padding")
    return "\n".join(kept) + "\n"


class Client:
    """A minimal JSON-RPC client over the server's stdio."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            if length is None:
                continue
            body = out.read(length)
            self.messages.put((time.perf_counter(), json.loads(body)))

    def send(self, message):
        body = json.dumps(message).encode()
        # Taken before writing: the answer can be read (on the reader thread) before the write
        # returns here.
        sent = time.perf_counter()
        try:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()
        except BrokenPipeError:
            raise RuntimeError(f"the server exited (status {self.proc.wait()})") from None
        return sent

    def notify(self, method, params):
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout):
        self.next_id += 1
        ident = self.next_id
        self.send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == ident and "method" not in m, timeout)[1]

    def wait(self, predicate, timeout):
        """The first message matching `predicate`, answering server requests on the way."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("no matching message from the server")
            try:
                item = self.messages.get(timeout=left)
            except queue.Empty:
                raise TimeoutError("no matching message from the server") from None
            if item is None:
                raise RuntimeError(f"the server exited (status {self.proc.wait()})")
            at, message = item
            if "method" in message and "id" in message:
                self._answer(message)
                continue
            if predicate(message):
                return at, message

    def _answer(self, message):
        method = message["method"]
        if method == "workspace/configuration":
            result = [None] * len(message.get("params", {}).get("items", []))
        else:
            result = None
        self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/codeward")
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--lines", type=int, default=LINES)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument(
        "--edit-line",
        type=int,
        default=None,
        help="0-based line whose 5th character the keystrokes go before (default: chosen by "
        "--edit-kind)",
    )
    parser.add_argument(
        "--edit-kind",
        choices=["local", "summary", "switch"],
        default="local",
        help="where the keystrokes go when --edit-line is not given, the same kind of line in "
        "every file size: 'local' types into a request handler's logging call (the handler's "
        "own facts change, nothing another function reads); 'summary' types into a helper's "
        "`result = []`, renaming the variable it returns (its summary changes, so its callers "
        "are analysed again); 'switch' types alternately into the logging calls of two "
        "neighbouring request handlers, so every keystroke is in another function than the one "
        "before",
    )
    args = parser.parse_args()

    text = generate(args.lines)
    workdir = tempfile.mkdtemp(prefix="codeward-bench-lsp-")
    path = os.path.join(workdir, "service.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    uri = "file://" + path
    lines = text.split("\n")
    edit_line = args.edit_line
    if edit_line is None:
        prefix = "    result = []" if args.edit_kind == "summary" else "    log.info("
        edit_line = next(
            n for n in range(len(lines) // 2, len(lines)) if lines[n].startswith(prefix)
        )
    edit_lines = [edit_line]
    if args.edit_kind == "switch":
        edit_lines.append(
            next(n for n in range(edit_line + 1, len(lines)) if lines[n].startswith(prefix))
        )

    client = Client([args.binary, "lsp"])
    try:
        client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": "file://" + workdir,
                "capabilities": {
                    "general": {"positionEncodings": ["utf-16"]},
                    "textDocument": {"publishDiagnostics": {"versionSupport": True}},
                },
                "initializationOptions": {
                    "debounceMs": 0,
                    "expressLimits": {"python": 4 * 1024 * 1024},
                },
            },
            args.timeout,
        )
        client.notify("initialized", {})

        def diagnostics_for(version):
            def match(m):
                if m.get("method") != "textDocument/publishDiagnostics":
                    return False
                params = m.get("params", {})
                return params.get("uri") == uri and params.get("version") == version

            return match

        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
        )
        _, first = client.wait(diagnostics_for(1), args.timeout)
        baseline = len(first["params"]["diagnostics"])

        latencies = []
        for k in range(args.edits):
            version = k + 2
            # One line: type, delete, type... Two lines: type in one, in the other, delete in
            # the first, in the other...
            line = edit_lines[k % len(edit_lines)]
            if (k // len(edit_lines)) % 2 == 0:
                change = {
                    "range": {
                        "start": {"line": line, "character": 4},
                        "end": {"line": line, "character": 4},
                    },
                    "text": "x",
                }
            else:
                change = {
                    "range": {
                        "start": {"line": line, "character": 4},
                        "end": {"line": line, "character": 5},
                    },
                    "text": "",
                }
            sent = client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [change],
                },
            )
            received, _ = client.wait(diagnostics_for(version), args.timeout)
            latencies.append((received - sent) * 1000)

        client.request("shutdown", None, args.timeout)
        client.notify("exit", None)
    finally:
        try:
            client.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            client.proc.kill()
        os.remove(path)
        os.rmdir(workdir)

    print(
        f"file: {args.lines} lines, {len(text.encode()) // 1024} KB, {baseline} diagnostics; "
        f"edits at line {', '.join(map(str, edit_lines))}: {lines[edit_line].strip()[:40]!r}"
    )
    print(f"edits: {len(latencies)} (didChange sent -> publishDiagnostics for that version)")
    print(
        "latency ms: median {:.2f}  p95 {:.2f}  max {:.2f}  min {:.2f}".format(
            statistics.median(latencies),
            percentile(latencies, 95),
            max(latencies),
            min(latencies),
        )
    )


if __name__ == "__main__":
    try:
        main()
    except (TimeoutError, RuntimeError, OSError) as err:
        print(f"bench_lsp: {err}", file=sys.stderr)
        sys.exit(1)
