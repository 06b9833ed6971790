//! `python/improper-error-handling@v1.0`: catch-all `except` clauses that silently discard the
//! error.

use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::syntax_help;

/// Flags `except:`, `except Exception:` and `except BaseException:` handlers whose body only
/// discards the error (`pass`, `...`, `continue`).
pub struct ImproperErrorHandling;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/improper-error-handling@v1.0",
    name: "Improper error handling",
    language: Language::Python,
    severity: Severity::Low,
    cwes: &[703],
    category: Category::Quality,
    express: true,
    docs: r#"## What it does
Flags exception handlers that catch everything — a bare `except:`, `except Exception:` or
`except BaseException:` (alone or in a tuple) — and whose body does nothing but discard the
error: only `pass`, `...`, `continue` or a docstring-like string. The catalogue leaves the exact
meaning of this id open; Codeward reads it as CWE-703's "improper check or handling of
exceptional conditions" in its most certain form: every failure, including programming errors,
`KeyboardInterrupt` and `SystemExit` for a bare `except:`, is swallowed without a trace.

It deliberately does not flag handlers for specific exceptions (`except KeyError: pass` is a
normal idiom), handlers that log, return a value, re-raise or do any other work, nor
`contextlib.suppress(Exception)` blocks.

## Why is this bad?
Silently swallowed errors leave the program running in an unknown state: a failed permission
check, a half-written file or a dropped database transaction goes unnoticed, and the evidence
needed to investigate an incident is lost (CWE-703).

## Example
```python
try:
    apply_migration()
except Exception:
    pass
```

## Use instead
```python
import logging

try:
    apply_migration()
except OSError:
    logging.exception("migration failed")
    raise
```
Catch the exceptions you expect, and log, handle or re-raise them.

## Fix safety
There is no automatic fix: which exceptions are expected, and what should happen when they
occur, depends on the code.

## References
- [CWE-703: Improper Check or Handling of Exceptional Conditions](https://cwe.mitre.org/data/definitions/703.html)
- [PEP 8: Programming recommendations (bare except)](https://peps.python.org/pep-0008/#programming-recommendations)
"#,
};

/// Whether a statement of a handler's body discards the error without doing anything.
fn discards<'t>(ctx: &Context<'t>, statement: tree_sitter::Node<'t>) -> bool {
    match statement.kind() {
        "pass_statement" | "continue_statement" | "comment" => true,
        "expression_statement" => {
            statement.named_child(0).is_some_and(|e| {
                matches!(e.kind(), "ellipsis" | "string") && statement.named_child_count() == 1
            }) || ctx.node_text(statement).trim() == "..."
        }
        _ => false,
    }
}

impl Detector for ImproperErrorHandling {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.nodes_of_kind("except_clause")
            .iter()
            .copied()
            .filter(|clause| syntax_help::catches_broadly(ctx, *clause))
            .filter(|clause| {
                syntax_help::clause_body(*clause).is_some_and(|body| {
                    let mut cursor = body.walk();
                    let statements: Vec<_> = body.named_children(&mut cursor).collect();
                    !statements.is_empty() && statements.iter().all(|s| discards(ctx, *s))
                })
            })
            .map(|clause| {
                // Report the `except ...:` header, not the whole handler.
                let end =
                    syntax_help::clause_body(clause).map_or(clause.end_byte(), |b| b.start_byte());
                let header = ctx.text(clause.start_byte()..end).trim_end();
                let range = clause.start_byte()..clause.start_byte() + header.len();
                let subject = header.trim_end_matches(':').trim().to_string();
                Hit::new(range, subject)
            })
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` catches every error and discards it, so failures (including programming \
             errors) pass silently and leave the program in an unknown state ({}). Catch the \
             specific exceptions you expect, and log, handle or re-raise them.",
            hit.subject,
            META.cwe_list()
        )
    }
}
