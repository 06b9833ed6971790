#!/usr/bin/env python3
"""Workspace scan in the language server on a generated large tree: time and peak RSS.

Generates LINES lines of Python (and some JavaScript) across FILES files in a temporary folder
(a few vulnerable lines per file), starts `codeward lsp` with that folder as its workspace,
executes `codeward.scanWorkspace`, waits for the response (counting the diagnostics published),
and prints the wall time. Run it under `/usr/bin/time -v` (scripts/bench_workspace.sh does) for
the largest peak RSS of this script and the server (its child); the server's own peak (VmHWM)
is also read from /proc when available and printed after the scan.

Standard library only. Usage: bench_workspace.py [--binary target/release/codeward]
    [--lines 1000000] [--files 2000]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time


def python_file(index: int, lines: int) -> str:
    out = ["import hashlib\nimport subprocess\n\n"]
    count = 3
    i = 0
    while count < lines:
        if i % 40 == 7:
            body = "    return hashlib.md5(data).hexdigest()\n"
        elif i % 40 == 23:
            body = '    return subprocess.call("ls " + data, shell=True)\n'
        else:
            body = f"    return hashlib.sha256(data + b'{index}-{i}').hexdigest()\n"
        out.append(f"def handler_{i}(data):\n    value = len(data) + {i}\n{body}\n")
        count += 4
        i += 1
    return "".join(out)


def js_file(index: int, lines: int) -> str:
    out = ["const cp = require('child_process');\n"]
    count = 1
    i = 0
    while count < lines:
        call = "cp.exec('ls ' + q);" if i % 50 == 5 else f"console.log(q, {index});"
        out.append(f"function h{i}(q) {{\n  {call}\n}}\n")
        count += 3
        i += 1
    return "".join(out)


def generate(root: str, lines: int, files: int) -> None:
    per_file = max(lines // files, 10)
    for n in range(files):
        directory = os.path.join(root, f"pkg{n % 50}", f"sub{n % 7}")
        os.makedirs(directory, exist_ok=True)
        if n % 10 == 9:
            path, text = os.path.join(directory, f"m{n}.js"), js_file(n, per_file)
        else:
            path, text = os.path.join(directory, f"m{n}.py"), python_file(n, per_file)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)


def send(proc, message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def read(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(stream.read(length))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/codeward")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=2_000)
    args = parser.parse_args()
    root = tempfile.mkdtemp(prefix="codeward-bench-ws-")
    try:
        generated = time.monotonic()
        generate(root, args.lines, args.files)
        total_lines = 0
        for directory, _, names in os.walk(root):
            for name in names:
                with open(os.path.join(directory, name), "rb") as handle:
                    total_lines += handle.read().count(b"\n")
        print(f"generated {total_lines} lines in {args.files} files "
              f"({time.monotonic() - generated:.1f} s)")
        proc = subprocess.Popen([args.binary, "lsp"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        published = {"files": 0, "diagnostics": 0}
        responses = {}
        done = threading.Event()

        def reader():
            while True:
                message = read(proc.stdout)
                if message is None:
                    done.set()
                    return
                if message.get("method") == "textDocument/publishDiagnostics":
                    published["files"] += 1
                    published["diagnostics"] += len(message["params"]["diagnostics"])
                elif "id" in message and "method" not in message:
                    responses[message["id"]] = message
                    done.set()

        threading.Thread(target=reader, daemon=True).start()
        uri = "file://" + root
        send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": None, "rootUri": uri, "capabilities": {},
            "workspaceFolders": [{"uri": uri, "name": "bench"}]}})
        while 1 not in responses:
            done.wait(60)
            done.clear()
        send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        started = time.monotonic()
        send(proc, {"jsonrpc": "2.0", "id": 2, "method": "workspace/executeCommand",
                    "params": {"command": "codeward.scanWorkspace", "arguments": []}})
        while 2 not in responses:
            done.wait(600)
            done.clear()
        elapsed = time.monotonic() - started
        result = responses[2].get("result", responses[2])
        print(f"scanWorkspace: {elapsed:.2f} s, {total_lines / elapsed:,.0f} lines/s, result "
              f"{json.dumps(result)}, {published['files']} publishes, "
              f"{published['diagnostics']} diagnostics")
        try:
            with open(f"/proc/{proc.pid}/status", encoding="utf-8") as status:
                for line in status:
                    if line.startswith(("VmHWM", "VmRSS")):
                        print(f"server {line.strip()}")
        except OSError:
            pass
        send(proc, {"jsonrpc": "2.0", "id": 3, "method": "shutdown", "params": None})
        send(proc, {"jsonrpc": "2.0", "method": "exit", "params": None})
        proc.wait(60)
        return 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
