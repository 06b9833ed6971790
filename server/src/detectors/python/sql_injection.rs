//! `python/sql-injection@v1.0`: untrusted data in SQL query text.

use crate::analysis::{Arg, Call, CallKind, SinkKind};
use crate::detectors::{describe_origin, Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags untrusted data reaching the query text of DB-API, SQLAlchemy, Django and pandas calls.
pub struct SqlInjection;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/sql-injection@v1.0",
    name: "SQL injection",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[89],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data (web request parameters, command-line arguments, environment variables,
standard input, network reads) that becomes part of SQL query text: DB-API
`cursor.execute` / `executemany` / `executescript` (on any receiver, including SQLAlchemy
sessions, connections and engines), `sqlalchemy.text`, Django `Manager.raw`,
`QuerySet.extra(where=..., select=..., tables=..., order_by=...)` and `RawSQL`, and
`pandas.read_sql` / `read_sql_query`. Parameterised calls — a constant query with the values
passed separately (`cursor.execute("... WHERE id = %s", (user_id,))`) — are safe and not flagged,
and neither are values converted with `int()` or checked against an allow-list, nor statements of
SQLAlchemy's expression language (`select(T).where(T.name == value)`, whose values are bound
parameters; a `text(...)` inside one is still checked where it is built). `.execute` is matched on
any receiver, so an application method of that name taking query text is flagged too.

## Why is this bad?
Quotes and SQL syntax in the data change the query: an attacker can read or modify any table the
application's database user can reach, bypass authentication, or drop data (CWE-89).

## Example
```python
from flask import request

user = request.args["user"]
cursor.execute("SELECT * FROM accounts WHERE name = '" + user + "'")
```

## Use instead
```python
from flask import request

user = request.args["user"]
cursor.execute("SELECT * FROM accounts WHERE name = %s", (user,))
```
Use the driver's placeholder style (`%s`, `?`, `:name`), SQLAlchemy bound parameters
(`text("... = :name").bindparams(name=user)`), or the ORM. Identifiers (table and column names)
cannot be parameters: pick them from an allow-list or quote them with `psycopg2.sql.Identifier`.

## Fix safety
There is no automatic fix: moving values into parameters changes the call's arguments and often
the placeholder style, which depends on the driver.

## References
- [CWE-89: SQL Injection](https://cwe.mitre.org/data/definitions/89.html)
- [PEP 249: parameter styles](https://peps.python.org/pep-0249/#paramstyle)
- [Django: performing raw SQL queries](https://docs.djangoproject.com/en/stable/topics/db/sql/)
"#,
};

/// The query-text arguments of a SQL sink.
fn query_args<'c>(ctx: &Context<'_>, call: &'c Call) -> Vec<&'c Arg> {
    let name = call.name.as_str();
    let method = call.method_name();
    // `Model.objects.raw(...)` (resolved through the model's import, so not always a method
    // call), or any `.raw(...)` / `.extra(...)` method in a file using Django.
    // Asked only of `raw`/`extra` calls: it looks through every import of the file.
    let django = || {
        name.contains(".objects.")
            || (call.kind == CallKind::Method && ctx.facts.imports.imports("django"))
    };
    let mut args = Vec::new();
    match method {
        "execute" | "executemany" | "executescript" | "exec_driver_sql"
            if call.kind == CallKind::Method || name.starts_with("sqlite3.") =>
        {
            args.extend(
                call.arg(0, "sql")
                    .or_else(|| call.keyword("operation"))
                    .or_else(|| call.keyword("statement")),
            );
        }
        "text"
            if matches!(
                name,
                "sqlalchemy.text" | "sqlalchemy.sql.text" | "sqlalchemy.sql.expression.text"
            ) =>
        {
            args.extend(call.arg(0, "text"));
        }
        "read_sql" | "read_sql_query" if name.starts_with("pandas.") || name.starts_with("pd.") => {
            args.extend(call.arg(0, "sql"));
        }
        "RawSQL" if name.starts_with("django.") => args.extend(call.arg(0, "sql")),
        "raw" if django() => args.extend(call.arg(0, "raw_query")),
        "extra" if django() => {
            for keyword in ["where", "select", "tables", "order_by"] {
                args.extend(call.keyword(keyword));
            }
        }
        _ => {}
    }
    args
}

/// Whether a value is a SQLAlchemy `text()` clause, already reported where it was built, or a
/// statement of the expression language (`select(T).where(T.c.id == x)`), whose values are bound
/// parameters.
fn is_text_clause(arg: &Arg) -> bool {
    matches!(
        arg.value.type_name.as_deref(),
        Some("sqlalchemy.sql.elements.TextClause" | crate::analysis::python::SQL_STATEMENT)
    )
}

impl Detector for SqlInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            for arg in query_args(ctx, call) {
                if is_text_clause(arg) {
                    continue;
                }
                if let Some(origin) = arg.value.taint.tainted_for(SinkKind::Sql) {
                    hits.push(
                        Hit::new(arg.range.clone(), call.name.clone())
                            .with_anchor(call.range.clone())
                            .with_origin(Some(origin)),
                    );
                }
            }
        }
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let source = hit
            .origin
            .as_ref()
            .map_or_else(|| "untrusted data".to_string(), |o| describe_origin(ctx, o));
        format!(
            "The SQL text passed to `{}` is built from {}; quotes or SQL syntax in it change the \
             query, letting an attacker read or modify data ({}). Keep the query constant and pass \
             values as parameters (`execute(\"... WHERE id = %s\", (value,))`); choose identifiers \
             from an allow-list.",
            hit.subject,
            source,
            META.cwe_list()
        )
    }
}
