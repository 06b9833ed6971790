//! `javascript/sql-injection@v1.0`: untrusted data in SQL query text.

use crate::analysis::{Call, SinkKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{field_range, hit_on, origin_sentence, tainted};

/// The detector.
pub static SQL_INJECTION: SqlInjection = SqlInjection;

/// Flags tainted data in the query text given to SQL drivers and query builders.
pub struct SqlInjection;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/sql-injection@v1.0",
    name: "SQL injection",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[89],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data (request data, command-line arguments, environment variables, page URL)
built into the text of an SQL statement: the first argument of `query`/`execute` (`mysql`,
`mysql2`, `pg`, `mssql`, Sequelize's `sequelize.query`), of query-builder escape hatches
(`knex.raw`, `whereRaw`, `orderByRaw`, ..., Prisma's `$queryRawUnsafe`/`$executeRawUnsafe`,
postgres.js `sql.unsafe`), the `sql`/`text` field of a query object (`{ text, values }`), and
`run`/`all`/`get`/`each`/`exec`/`prepare` on a receiver named like a database (`db`, `sqlite`,
`conn`). Values passed separately as parameters (`query('... WHERE id = ?', [id])`,
`{ text: '... $1', values: [id] }`), escaped (`mysql.escape`, `connection.escape`,
`pg-format`), converted to numbers or checked against an allow-list are not flagged; nor are
tagged templates (`` sql`...${x}` ``, Prisma's `$queryRaw`), which parameterise; nor lowdb's
`db.get(path)` when the result is used as a lodash chain (`db.get(name).filter(...).value()`).

It does not catch queries built in another file or module, ORM `where` objects (see NoSQL
injection for object injection), or sqlite calls on receivers with unrelated names.

## Why is this bad?
Quotes and keywords in the data change the statement: an attacker reads or changes any table,
bypasses login checks and, with some databases, runs commands on the database server.

## Example
```javascript
app.get("/user", async (req, res) => {
  const rows = await pool.query(`SELECT * FROM users WHERE name = '${req.query.name}'`);
  res.json(rows);
});
```

## Use instead
```javascript
app.get("/user", async (req, res) => {
  const rows = await pool.query("SELECT * FROM users WHERE name = $1", [req.query.name]);
  res.json(rows);
});
```

## Fix safety
There is no automatic fix: turning concatenation into placeholders means moving values into a
parameter list whose syntax depends on the driver (`?`, `$1`, `:name`).

## References
- [CWE-89: SQL Injection](https://cwe.mitre.org/data/definitions/89.html)
- [OWASP SQL Injection Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html)
"#,
};

/// Methods whose first argument is SQL text on any receiver.
const QUERY_METHODS: &[&str] = &[
    "query",
    "execute",
    "raw",
    "whereRaw",
    "orWhereRaw",
    "andWhereRaw",
    "havingRaw",
    "orHavingRaw",
    "orderByRaw",
    "groupByRaw",
    "joinRaw",
    "fromRaw",
    "selectRaw",
    "$queryRawUnsafe",
    "$executeRawUnsafe",
    "unsafe",
];

/// sqlite3 / better-sqlite3 methods, taken as SQL only on a database-like receiver.
const SQLITE_METHODS: &[&str] = &["run", "all", "get", "each", "exec", "prepare"];

/// Fields of a query object holding the SQL text.
const QUERY_FIELDS: &[&str] = &["sql", "text", "query"];

/// Whether the receiver of `db.run(...)` is named like a database handle.
fn database_like(call: &Call) -> bool {
    let head = call.name.rsplit_once('.').map_or("", |(h, _)| h);
    let last = head.rsplit('.').next().unwrap_or(head).to_ascii_lowercase();
    ["db", "database", "sqlite", "conn", "connection"]
        .iter()
        .any(|w| last == *w || last.ends_with(w) && last.len() <= w.len() + 8)
}

fn is_sql_call(call: &Call) -> bool {
    let method = call.method_name();
    let receiver_ok = call.receiver.as_ref().is_some_and(|r| {
        !matches!(
            r.type_name.as_deref(),
            Some("http.Request" | "http.Response" | "koa.Context" | "fastify.Reply")
        )
    }) || call.name.contains('.');
    if !receiver_ok || call.name.starts_with("$(") || call.name.starts_with("jQuery(") {
        return false;
    }
    QUERY_METHODS.contains(&method) || (SQLITE_METHODS.contains(&method) && database_like(call))
}

/// Methods of lodash chains (lowdb's `db.get('posts').filter(...).value()`): a `db.get(...)`
/// result used this way is a lowdb path lookup, not a sqlite query.
const CHAIN_METHODS: &[&str] = &[
    "value",
    "filter",
    "find",
    "push",
    "write",
    "remove",
    "assign",
    "getById",
    "insert",
    "upsert",
    "updateById",
    "removeById",
    "size",
    "sortBy",
    "orderBy",
    "map",
    "cloneDeep",
    "take",
    "first",
    "last",
    "has",
    "set",
    "unset",
    "update",
    "includes",
    "keys",
];

/// Whether `db.get(x)` is the head of a lodash chain (`.value()`, `.filter(...)`).
fn lodash_chain(ctx: &Context<'_>, call: &Call) -> bool {
    let Some(node) = ctx.node_at(call.range.clone()) else {
        return false;
    };
    node.parent().is_some_and(|p| {
        p.kind() == "member_expression"
            && p.child_by_field_name("object") == Some(node)
            && p.child_by_field_name("property")
                .is_some_and(|m| CHAIN_METHODS.contains(&ctx.node_text(m)))
    })
}

fn hit_of(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    if !is_sql_call(call) {
        return None;
    }
    if SQLITE_METHODS.contains(&call.method_name()) && lodash_chain(ctx, call) {
        return None;
    }
    let arg = call.positional(0)?;
    if arg.value.fields.is_empty() {
        let origin = tainted(&arg.value, SinkKind::Sql)?;
        return Some(hit_on(call, arg.range.clone(), origin));
    }
    QUERY_FIELDS.iter().find_map(|key| {
        let origin = tainted(arg.value.field(key)?, SinkKind::Sql)?;
        Some(hit_on(call, field_range(ctx, arg, key), origin))
    })
}

impl Detector for SqlInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter_map(|c| hit_of(ctx, c))
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data is built into the SQL text passed to `{}` (CWE-89): quotes and \
             keywords in it change the statement.{} Pass values as parameters \
             (`query('... WHERE id = ?', [id])`) instead of concatenating them.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }
}
