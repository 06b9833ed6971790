//! Notebook execution-order hazards, from top-level definitions and reads per cell:
//!
//! - `python/notebook-invalid-execution-order@v1.0`: a cell reads a module-level name that no cell
//!   above it (nor the cell itself) defines, but a cell below does. The notebook only works
//!   because its cells were run out of order; "Run all" stops with a `NameError`.
//! - `python/notebook-variable-redefinition@v1.0`: a cell defines a name afresh that an earlier
//!   cell defined and a cell in between reads, so that cell's result depends on the run order.
//!
//! These checks need the notebook's cells, which the single-file [`crate::detectors::Detector`]
//! trait does not see, so they run from [`super::scan`] on the program; they are code-quality checks
//! (`analysisType: All`) and honour disabled rules, the minimum severity and suppression comments.

use std::collections::{HashMap, HashSet};

use tree_sitter::{Node, Tree};

use crate::config::{AnalysisType, ScanSettings};
use crate::detectors::DetectorMeta;
use crate::finding::{Category, Finding, Severity};
use crate::lang::{syntax, Language};

use super::program::Program;

/// The check's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/notebook-invalid-execution-order@v1.0",
    name: "Notebook invalid execution order",
    language: Language::Python,
    severity: Severity::Medium,
    cwes: &[],
    category: Category::Quality,
    express: true,
    docs: r#"## What it does
Flags a name read at the top level of a notebook cell when no cell above it (nor the cell itself,
earlier) defines it, but a cell below does. Only notebooks (`.ipynb`, LSP notebook documents) are
checked; code inside functions, classes, lambdas and comprehensions is not, since it runs later.

## Why is this bad?
The notebook only works because its cells were run out of order: restarting the kernel and running
all cells stops with a `NameError`, and results depend on hidden state that nobody can reproduce.

## Example
```python
# cell 1
print(total)
# cell 2
total = 42
```

## Use instead
```python
# cell 1
total = 42
# cell 2
print(total)
```

## Fix safety
No automatic fix: move the defining cell above, or the using cell below.

## References
- [Jupyter: restart the kernel and run all cells before sharing a notebook](https://docs.jupyter.org/en/latest/running.html)
"#,
};

/// The metadata and documentation of the redefinition check.
pub static REDEFINITION: DetectorMeta = DetectorMeta {
    id: "python/notebook-variable-redefinition@v1.0",
    name: "Notebook variable redefinition",
    language: Language::Python,
    severity: Severity::Medium,
    cwes: &[],
    category: Category::Quality,
    express: true,
    docs: r#"## What it does
Flags a top-level definition of a name in a notebook cell when an earlier cell already defined it
and a cell in between reads it. Updates that read the old value (`df = df.dropna()`) are not
flagged, nor is code inside functions, classes, lambdas and comprehensions.

## Why is this bad?
The cell in between sees whichever value was assigned last: re-running it after the later cell
silently gives it the new value, so the notebook's results depend on the order cells were run.

## Example
```python
# cell 1
data = load("train.csv")
# cell 2
model = fit(data)
# cell 3
data = load("test.csv")
```

## Use instead
```python
# cell 1
train = load("train.csv")
# cell 2
model = fit(train)
# cell 3
test = load("test.csv")
```

## Fix safety
No automatic fix: choose a new name and update the later uses.

## References
- [Jupyter: restart the kernel and run all cells before sharing a notebook](https://docs.jupyter.org/en/latest/running.html)
"#,
};

/// Both checks' metadata, for listings (`codeward rules`, docs) and rule-id validation.
pub static CHECKS: [&DetectorMeta; 2] = [&META, &REDEFINITION];

/// Whether the check of `meta` runs under `settings`.
pub fn selected(meta: &DetectorMeta, settings: &ScanSettings) -> bool {
    settings.analysis_type == AnalysisType::All
        && !settings.is_disabled(meta.id)
        && meta.severity >= settings.min_severity
}

/// The top-level statements of the program with their cells.
fn statements<'t>(program: &Program, tree: &'t Tree) -> Vec<(usize, Node<'t>)> {
    let root = tree.root_node();
    let mut cursor = root.walk();
    root.named_children(&mut cursor)
        .filter_map(|stmt| Some((program.to_cell(stmt.start_byte())?.0, stmt)))
        .collect()
}

/// The uses of names defined only in a later cell, as findings on the program (suppression is
/// left to the caller).
pub fn check(program: &Program, tree: &Tree) -> Vec<Finding> {
    let source = program.text.as_str();
    let statements = statements(program, tree);
    let mut defined_in: HashMap<&str, Vec<usize>> = HashMap::new();
    for (cell, stmt) in &statements {
        let mut names = Vec::new();
        bindings(*stmt, source, &mut names, 0);
        for (name, _) in names {
            defined_in.entry(name).or_default().push(*cell);
        }
    }
    let mut defined: HashSet<&str> = HashSet::new();
    let mut findings = Vec::new();
    for (cell, stmt) in &statements {
        let mut reads = Vec::new();
        uses(*stmt, source, &mut reads, 0);
        for node in reads {
            let name = syntax::text(node, source);
            let Some(cells) = defined_in.get(name) else {
                continue;
            };
            // Defined above, or in this very cell (an order problem within a cell is not about
            // the notebook), is fine.
            if defined.contains(name) || cells.contains(cell) {
                continue;
            }
            let Some(later) = cells.iter().find(|c| *c > cell) else {
                continue;
            };
            findings.push(Finding {
                rule: &META,
                severity: META.severity,
                range: node.byte_range(),
                message: format!(
                    "`{name}` is used here but only defined in cell {} below, so this works only \
                     when the cells run out of order; running the notebook from the top raises \
                     NameError. Move the definition above, or this code below it.",
                    later + 1
                ),
                fixes: Vec::new(),
            });
        }
        let mut names = Vec::new();
        bindings(*stmt, source, &mut names, 0);
        defined.extend(names.into_iter().map(|(name, _)| name));
    }
    findings
}

/// Fresh module-level definitions (not updates such as `df = df.dropna()`) of a name that an
/// earlier cell defined and a cell in between read, as findings on the program.
pub fn check_redefinitions(program: &Program, tree: &Tree) -> Vec<Finding> {
    let source = program.text.as_str();
    let mut fresh: HashMap<&str, Vec<(usize, Node<'_>)>> = HashMap::new();
    let mut read_in: HashMap<&str, Vec<usize>> = HashMap::new();
    for (cell, stmt) in statements(program, tree) {
        let mut reads = Vec::new();
        uses(stmt, source, &mut reads, 0);
        let read: HashSet<&str> = reads.iter().map(|n| syntax::text(*n, source)).collect();
        let mut names = Vec::new();
        bindings(stmt, source, &mut names, 0);
        for (name, node) in names {
            if !read.contains(name) {
                fresh.entry(name).or_default().push((cell, node));
            }
        }
        for name in read {
            read_in.entry(name).or_default().push(cell);
        }
    }
    let mut findings = Vec::new();
    for (name, definitions) in &fresh {
        let Some(reads) = read_in.get(name) else {
            continue;
        };
        let mut flagged_cells = HashSet::new();
        for pair in definitions.windows(2) {
            let ((first, _), (again, node)) = (pair[0], pair[1]);
            let Some(reader) = reads.iter().find(|k| first < **k && **k < again) else {
                continue;
            };
            if !flagged_cells.insert(again) {
                continue;
            }
            findings.push(Finding {
                rule: &REDEFINITION,
                severity: REDEFINITION.severity,
                range: node.byte_range(),
                message: format!(
                    "`{name}` is defined again here, after cell {} defined it and cell {} used \
                     it: running cell {} again after this one gives it this value instead, so \
                     results depend on the order cells were run. Give the new value its own name.",
                    first + 1,
                    reader + 1,
                    reader + 1
                ),
                fixes: Vec::new(),
            });
        }
    }
    findings.sort_by_key(|f| f.range.start);
    findings
}

/// Node kinds whose contents run later or in their own scope.
fn is_deferred_scope(kind: &str) -> bool {
    matches!(
        kind,
        "function_definition"
            | "class_definition"
            | "lambda"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression"
    )
}

/// The module-level names a statement binds.
fn bindings<'s, 't>(
    node: Node<'t>,
    source: &'s str,
    out: &mut Vec<(&'s str, Node<'t>)>,
    depth: usize,
) {
    if depth > syntax::MAX_DEPTH {
        return;
    }
    match node.kind() {
        "function_definition" | "class_definition" => {
            if let Some(name) = node.child_by_field_name("name") {
                out.push((syntax::text(name, source), name));
            }
            return;
        }
        // `x += 1` needs `x` already: it is a use, not a definition.
        "assignment" | "for_statement" => {
            if let Some(left) = node.child_by_field_name("left") {
                targets(left, source, out, depth + 1);
            }
        }
        "named_expression" => {
            if let Some(name) = node.child_by_field_name("name") {
                out.push((syntax::text(name, source), name));
            }
        }
        "as_pattern_target" => targets(node, source, out, depth + 1),
        "aliased_import" => {
            if let Some(alias) = node.child_by_field_name("alias") {
                out.push((syntax::text(alias, source), alias));
            }
            return;
        }
        "import_statement" | "import_from_statement" => {
            let mut cursor = node.walk();
            for name in node.children_by_field_name("name", &mut cursor) {
                match name.kind() {
                    "dotted_name" => {
                        let text = syntax::text(name, source);
                        out.push((text.split('.').next().unwrap_or(text).trim(), name));
                    }
                    _ => bindings(name, source, out, depth + 1),
                }
            }
            return;
        }
        "global_statement" | "except_clause" => targets(node, source, out, depth + 1),
        _ => {}
    }
    if is_deferred_scope(node.kind()) {
        return;
    }
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        bindings(child, source, out, depth + 1);
    }
}

/// The identifiers of an assignment target (names, tuples and lists of names, starred names).
fn targets<'s, 't>(
    node: Node<'t>,
    source: &'s str,
    out: &mut Vec<(&'s str, Node<'t>)>,
    depth: usize,
) {
    if depth > syntax::MAX_DEPTH {
        return;
    }
    match node.kind() {
        "identifier" => out.push((syntax::text(node, source), node)),
        "pattern_list"
        | "tuple_pattern"
        | "list_pattern"
        | "list_splat_pattern"
        | "parenthesized_expression"
        | "tuple"
        | "list"
        | "as_pattern_target"
        | "global_statement"
        | "except_clause"
        | "as_pattern" => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if node.kind() == "as_pattern" && child.kind() != "as_pattern_target" {
                    continue;
                }
                if node.kind() == "except_clause" && child.kind() != "as_pattern" {
                    continue;
                }
                targets(child, source, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The identifiers a statement reads at module level (outside deferred scopes), in order.
fn uses<'t>(node: Node<'t>, source: &str, out: &mut Vec<Node<'t>>, depth: usize) {
    // Deferred scopes run later (decorators are visited from `decorated_definition`).
    if depth > syntax::MAX_DEPTH || is_deferred_scope(node.kind()) {
        return;
    }
    match node.kind() {
        "identifier" => {
            out.push(node);
            return;
        }
        "as_pattern_target" => return,
        "import_statement"
        | "import_from_statement"
        | "global_statement"
        | "nonlocal_statement"
        | "keyword_argument"
        | "attribute"
        | "assignment"
        | "for_statement"
        | "named_expression"
        | "decorated_definition" => {}
        _ => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                uses(child, source, out, depth + 1);
            }
            return;
        }
    }
    match node.kind() {
        // Reads of a keyword argument are its value; of an attribute, its object.
        "keyword_argument" => visit_field(node, "value", source, out, depth),
        "attribute" => visit_field(node, "object", source, out, depth),
        "named_expression" => visit_field(node, "value", source, out, depth),
        // The value is read before the targets are bound; targets that are subscripts or
        // attributes read their objects.
        "assignment" => {
            visit_field(node, "right", source, out, depth);
            if let Some(left) = node.child_by_field_name("left") {
                target_reads(left, source, out, depth + 1);
            }
        }
        "for_statement" => {
            visit_field(node, "right", source, out, depth);
            visit_field(node, "body", source, out, depth);
            visit_field(node, "alternative", source, out, depth);
        }
        "decorated_definition" => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if child.kind() == "decorator" {
                    uses(child, source, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn visit_field<'t>(
    node: Node<'t>,
    field: &str,
    source: &str,
    out: &mut Vec<Node<'t>>,
    depth: usize,
) {
    if let Some(child) = node.child_by_field_name(field) {
        uses(child, source, out, depth + 1);
    }
}

/// Reads inside an assignment target: the objects of subscripts and attributes.
fn target_reads<'t>(node: Node<'t>, source: &str, out: &mut Vec<Node<'t>>, depth: usize) {
    if depth > syntax::MAX_DEPTH {
        return;
    }
    match node.kind() {
        "identifier" => {}
        "subscript" | "attribute" => uses(node, source, out, depth + 1),
        _ => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                target_reads(child, source, out, depth + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::parse_str;
    use crate::notebook::CellSource;

    fn flagged(cells: &[&str]) -> Vec<(usize, String)> {
        let sources: Vec<CellSource<'_>> = cells
            .iter()
            .map(|text| CellSource { text, code: true })
            .collect();
        let program = Program::build(&sources);
        let tree = parse_str(Language::Python, &program.text).expect("parses");
        check(&program, &tree)
            .into_iter()
            .filter_map(|f| {
                let (cell, _) = program.to_cell(f.range.start)?;
                Some((cell, program.text[f.range].to_string()))
            })
            .collect()
    }

    #[test]
    fn names_defined_only_below_are_flagged() {
        assert_eq!(
            flagged(&["print(total)\nn = count + 1\n", "total = 42\ncount = 1\n"]),
            vec![(0, "total".to_string()), (0, "count".to_string())]
        );
        assert_eq!(
            flagged(&[
                "df.head()\n",
                "import pandas as pd\ndf = pd.read_csv('x')\n"
            ]),
            vec![(0, "df".to_string())]
        );
        assert_eq!(
            flagged(&["x += 1\n", "x = 0\n"]),
            vec![(0, "x".to_string())]
        );
        assert!(flagged(&["if True:\n    z = 1\n    print(z)\n", "z = 2\n"]).is_empty());
    }

    fn redefined(cells: &[&str]) -> Vec<(usize, String)> {
        let sources: Vec<CellSource<'_>> = cells
            .iter()
            .map(|text| CellSource { text, code: true })
            .collect();
        let program = Program::build(&sources);
        let tree = parse_str(Language::Python, &program.text).expect("parses");
        check_redefinitions(&program, &tree)
            .into_iter()
            .filter_map(|f| {
                let (cell, _) = program.to_cell(f.range.start)?;
                Some((cell, program.text[f.range].to_string()))
            })
            .collect()
    }

    #[test]
    fn redefinitions_read_in_between_are_flagged() {
        assert_eq!(
            redefined(&["data = 1\n", "model = data * 2\n", "data = 3\n"]),
            vec![(2, "data".to_string())]
        );
        assert_eq!(
            redefined(&["import os\n", "os.getcwd()\n", "for os in []: pass\n"]),
            vec![(2, "os".to_string())]
        );
        // Updates, redefinitions nobody read in between, and reads in the same cell are fine.
        assert!(redefined(&["df = 1\n", "print(df)\n", "df = df + 1\n"]).is_empty());
        assert!(redefined(&["x = 1\n", "x = 2\n", "print(x)\n"]).is_empty());
        assert!(redefined(&["x = 1\nprint(x)\nx = 2\n"]).is_empty());
    }

    #[test]
    fn definitions_above_deferred_code_and_builtins_are_not_flagged() {
        assert!(flagged(&["total = 1\n", "print(total)\n", "total = 2\n"]).is_empty());
        assert!(flagged(&["def f():\n    return later\n", "later = 1\nf()\n"]).is_empty());
        assert!(flagged(&["xs = [y for y in range(3)]\n", "y = 1\n"]).is_empty());
        assert!(flagged(&["for i in range(3):\n    print(i)\n", "i = 9\n"]).is_empty());
        // The attribute and the keyword are not reads of `attr` and `key`.
        assert_eq!(
            flagged(&[
                "obj.attr = 1\nf(key=2)\n",
                "attr = key = 0\nobj = f = None\n"
            ]),
            vec![(0, "obj".to_string()), (0, "f".to_string())]
        );
        assert!(flagged(&["import os\nos.getcwd()\n", "os = None\n"]).is_empty());
        assert!(flagged(&[
            "with open('f') as fh:\n    data = fh.read()\n",
            "fh = data = 1\n"
        ])
        .is_empty());
    }
}
