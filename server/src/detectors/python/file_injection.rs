//! `python/file-injection@v1.0`: untrusted data written into CSV cells, line-based files, or
//! choosing how a file is opened.

use tree_sitter::Node;

use crate::analysis::{Arg, Call, CallKind, SinkKind, SourceKind, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::{common, taint_sink};

/// Flags web and network data written into CSV rows, into record lines of text files, or used
/// as the mode of `open`.
pub struct FileInjection;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/file-injection@v1.0",
    name: "File injection",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[93, 1236],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags web request data and network reads written into files where their content is
interpreted:
- cells of CSV files (`writerow` / `writerows` of `csv.writer` and `csv.DictWriter`), where a
  value starting with `=`, `+`, `-` or `@` is run as a formula by the spreadsheet that opens the
  export. Cells that start with fixed text (`f"Name: {name}"`) and values converted to numbers
  or checked against an allow-list are not flagged;
- record lines written to text files (`f.write(f"{user},{action}\n")`, `writelines`): a line
  break in the data forges extra records. Data whose line breaks were removed
  (`.replace("\n", "")`, `repr`, `json.dumps`) is not flagged, nor content written without a
  line structure of its own (`f.write(request.data)`, an upload saved as is);
- the `mode` of `open`, which lets the client truncate or create files.

Command-line arguments, environment variables and standard input are not reported: their user
writes their own files. Which file is opened is `path-traversal`'s concern, not this detector's.
It does not look at spreadsheet libraries (`openpyxl`, `xlsxwriter`), `pandas.DataFrame.to_csv`,
or cleaning functions defined in the file (a helper that prefixes `'` is not recognised).

## Why is this bad?
A CSV export opened in a spreadsheet runs formulas an attacker put in a field: they can exfiltrate
other cells to a URL or, in older spreadsheet programs, run commands (CWE-1236). A line break in
a value written to a line-based file (an audit trail, an `htpasswd` or hosts file, a queue)
injects whole records of the attacker's choosing (CWE-93).

## Example
```python
import csv
from flask import request

with open("contacts.csv", "a", newline="") as f:
    csv.writer(f).writerow([request.form["name"], request.form["email"]])
```

## Use instead
```python
import csv
from flask import request

def cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

with open("contacts.csv", "a", newline="") as f:
    csv.writer(f).writerow([cell(request.form["name"]), cell(request.form["email"])])
```
For line-based files, remove `\r` and `\n` from the data (or write JSON lines with
`json.dumps`).

## Fix safety
There is no automatic fix: how to neutralise a value (prefix `'`, reject it, strip characters)
depends on who reads the file.

## References
- [CWE-1236: Improper Neutralization of Formula Elements in a CSV File](https://cwe.mitre.org/data/definitions/1236.html)
- [CWE-93: Improper Neutralization of CRLF Sequences](https://cwe.mitre.org/data/definitions/93.html)
- [OWASP: CSV injection](https://owasp.org/www-community/attacks/CSV_Injection)
"#,
};

/// Sources not reported: their user writes their own files.
const IGNORED: [SourceKind; 3] = [
    SourceKind::CommandLine,
    SourceKind::Environment,
    SourceKind::Stdin,
];

/// Characters that make a spreadsheet cell a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// What a hit is about.
#[derive(Clone, Copy)]
enum Kind {
    Cell,
    Record,
    Mode,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Self::Cell => "cell",
            Self::Record => "record",
            Self::Mode => "mode",
        }
    }
}

/// The node an expression was written as, following a variable to its one assignment.
fn written<'t>(ctx: &Context<'t>, node: Node<'t>) -> Node<'t> {
    if node.kind() == "identifier" {
        if let Some(assigned) = taint_sink::only_assignment(ctx, node) {
            return assigned;
        }
    }
    node
}

/// Whether a cell expression starts with fixed text that cannot begin a formula (or is a number).
fn safe_cell<'t>(ctx: &Context<'t>, node: Node<'t>) -> bool {
    if matches!(node.kind(), "integer" | "float" | "true" | "false" | "none") {
        return true;
    }
    taint_sink::leading_literal(ctx, node.byte_range())
        .and_then(|text| text.chars().next())
        .is_some_and(|c| !FORMULA_START.contains(&c))
}

/// Whether a row written with `writerow` can carry untrusted data at the start of a cell.
fn row_is_dangerous(ctx: &Context<'_>, arg: &Arg, writerows: bool) -> bool {
    if common::dangerous_origin(&arg.value.taint, SinkKind::Spreadsheet, &IGNORED).is_none() {
        return false;
    }
    if !arg.value.fields.is_empty() {
        // A dict row (`DictWriter`): the analysis knows each value.
        let tainted: Vec<&Value> = arg
            .value
            .fields
            .iter()
            .map(|(_, v)| v)
            .filter(|v| {
                common::dangerous_origin(&v.taint, SinkKind::Spreadsheet, &IGNORED).is_some()
            })
            .collect();
        if tainted.is_empty() {
            return false;
        }
    }
    let Some(node) = ctx.node_at(arg.range.clone()).map(|n| written(ctx, n)) else {
        return true;
    };
    let row =
        if writerows && matches!(node.kind(), "list" | "tuple") && node.named_child_count() == 1 {
            node.named_child(0).map_or(node, |r| written(ctx, r))
        } else {
            node
        };
    let cells: Vec<Node<'_>> = match row.kind() {
        "list" | "tuple" => {
            let mut cursor = row.walk();
            row.named_children(&mut cursor).collect()
        }
        "dictionary" => {
            let mut cursor = row.walk();
            row.named_children(&mut cursor)
                .filter_map(|p| p.child_by_field_name("value"))
                .collect()
        }
        _ => return true,
    };
    cells.iter().any(|c| !safe_cell(ctx, *c))
}

/// Whether an expression writes a line-structured record: it contains a literal line break.
fn is_record<'t>(ctx: &Context<'t>, node: Node<'t>) -> bool {
    let node = written(ctx, node);
    common::descendants(node)
        .into_iter()
        .any(|n| match n.kind() {
            "escape_sequence" => matches!(ctx.node_text(n), "\\n" | "\\r"),
            "string_content" => ctx.node_text(n).contains('\n'),
            _ => false,
        })
}

fn receiver_type(call: &Call) -> Option<&str> {
    call.receiver.as_ref()?.type_name.as_deref()
}

/// The hits of one call.
fn call_hits<'c>(ctx: &Context<'_>, call: &'c Call) -> Vec<(Kind, &'c Arg)> {
    let mut out = Vec::new();
    let method = call.method_name();
    if call.kind == CallKind::Method {
        match (receiver_type(call), method) {
            (Some("csv.writer" | "csv.DictWriter"), "writerow" | "writerows") => {
                if let Some(arg) = call.positional(0) {
                    if row_is_dangerous(ctx, arg, method == "writerows") {
                        out.push((Kind::Cell, arg));
                    }
                }
            }
            (Some("io.TextIOWrapper"), "write" | "writelines") => {
                if let Some(arg) = call.positional(0) {
                    let dangerous =
                        common::dangerous_origin(&arg.value.taint, SinkKind::Log, &IGNORED)
                            .is_some();
                    if dangerous
                        && ctx
                            .node_at(arg.range.clone())
                            .is_some_and(|n| is_record(ctx, n))
                    {
                        out.push((Kind::Record, arg));
                    }
                }
            }
            _ => {}
        }
    }
    if matches!(
        call.name.as_str(),
        "open" | "io.open" | "codecs.open" | "builtins.open" | "os.fdopen"
    ) && call.kind == CallKind::Function
    {
        if let Some(mode) = call.arg(1, "mode") {
            if common::dangerous_origin(&mode.value.taint, SinkKind::Spreadsheet, &IGNORED)
                .is_some()
            {
                out.push((Kind::Mode, mode));
            }
        }
    }
    out
}

impl Detector for FileInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            for (kind, arg) in call_hits(ctx, call) {
                let sink = match kind {
                    Kind::Record => SinkKind::Log,
                    _ => SinkKind::Spreadsheet,
                };
                let origin = common::dangerous_origin(&arg.value.taint, sink, &IGNORED);
                hits.push(
                    Hit::new(arg.range.clone(), format!("{}|{}", kind.code(), call.name))
                        .with_anchor(call.range.clone())
                        .with_origin(origin),
                );
            }
        }
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let (kind, call) = hit.subject.split_once('|').unwrap_or(("", &hit.subject));
        let source = taint_sink::source(ctx, hit);
        match kind {
            "cell" => format!(
                "`{call}` writes {source} into CSV cells; a value starting with `=`, `+`, `-` or \
                 `@` runs as a formula in the spreadsheet that opens the file ({}). Prefix such \
                 values with `'` (or reject them) before writing.",
                META.cwe_list()
            ),
            "record" => format!(
                "`{call}` writes {source} into a line-based record; a line break in it adds \
                 records of the sender's choosing ({}). Remove `\\r` and `\\n` from the data, or \
                 write it with `json.dumps`.",
                META.cwe_list()
            ),
            _ => format!(
                "`{call}` opens a file with a mode taken from {source}; the sender can truncate or \
                 create files instead of reading them ({}). Use a constant mode.",
                META.cwe_list()
            ),
        }
    }
}
