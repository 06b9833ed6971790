//! `java/sql-injection`: untrusted data in the text of a SQL or JPQL/HQL query.

use crate::analysis::{Call, SinkKind};
use crate::detectors::{describe_origin, Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags query text built from untrusted data reaching JDBC, JPA, Hibernate or Spring JDBC.
pub struct SqlInjection;

/// The detector instance.
pub static SQL_INJECTION: SqlInjection = SqlInjection;

static META: DetectorMeta = DetectorMeta {
    id: "java/sql-injection@v1.0",
    name: "SQL injection",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[89],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags the query text of JDBC (`Statement.execute*`, `addBatch`, `Connection.prepareStatement`,
`prepareCall`), JPA (`EntityManager.createQuery`, `createNativeQuery`), Hibernate
(`Session.createQuery`, `createSQLQuery`, `createNativeQuery`) and Spring (`JdbcTemplate.query*`,
`update`, `execute`, `batchUpdate`) calls when it contains data from an untrusted source — servlet
request parameters, headers and cookies, Spring `@RequestParam`-style parameters, command-line
arguments, environment variables, standard input or the network — that was not converted to a
number, validated against an allow-list or escaped for SQL on the way.

## Why is this bad?
Concatenating input into a query lets the input change the query's structure: `' OR '1'='1` reads
every row, `'; DROP TABLE users; --` destroys data, and on many databases injection leads to file
access or command execution.

## Example
```java
String id = request.getParameter("id");
Statement st = conn.createStatement();
ResultSet rs = st.executeQuery("SELECT * FROM users WHERE id = '" + id + "'");
```

## Use instead
```java
PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE id = ?");
ps.setString(1, request.getParameter("id"));
ResultSet rs = ps.executeQuery();
```
Binding values as parameters (`?`, `:name`) keeps them data. Table or column names cannot be bound:
pick them from a fixed allow-list.

## Fix safety
No automatic fix: turning a concatenated query into a parameterised one needs the query's shape and
new `set*` calls, which a reviewer should write.

## References
- [CWE-89: Improper Neutralization of Special Elements used in an SQL Command](https://cwe.mitre.org/data/definitions/89.html)
- [OWASP SQL Injection Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html)
"#,
};

/// Receiver classes and the methods whose first argument is query text.
const SINKS: &[(&str, &[&str])] = &[
    (
        "java.sql.Statement",
        &[
            "execute",
            "executeQuery",
            "executeUpdate",
            "executeLargeUpdate",
            "addBatch",
        ],
    ),
    (
        "java.sql.PreparedStatement",
        &[
            "execute",
            "executeQuery",
            "executeUpdate",
            "executeLargeUpdate",
            "addBatch",
        ],
    ),
    (
        "java.sql.CallableStatement",
        &[
            "execute",
            "executeQuery",
            "executeUpdate",
            "executeLargeUpdate",
            "addBatch",
        ],
    ),
    (
        "java.sql.Connection",
        &["prepareStatement", "prepareCall", "nativeSQL"],
    ),
    (
        "javax.persistence.EntityManager",
        &["createQuery", "createNativeQuery"],
    ),
    (
        "jakarta.persistence.EntityManager",
        &["createQuery", "createNativeQuery"],
    ),
    (
        "org.hibernate.Session",
        &["createQuery", "createSQLQuery", "createNativeQuery"],
    ),
    (
        "org.springframework.jdbc.core.JdbcTemplate",
        &[
            "query",
            "queryForObject",
            "queryForList",
            "queryForMap",
            "queryForRowSet",
            "queryForStream",
            "update",
            "execute",
            "batchUpdate",
        ],
    ),
    (
        "org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate",
        &[
            "query",
            "queryForObject",
            "queryForList",
            "queryForMap",
            "queryForRowSet",
            "update",
            "execute",
            "batchUpdate",
        ],
    ),
];

/// Method names distinctive enough to be sinks when the receiver's type is unknown.
const DISTINCTIVE: &[&str] = &[
    "executeQuery",
    "executeUpdate",
    "executeLargeUpdate",
    "prepareStatement",
    "prepareCall",
    "createNativeQuery",
    "createSQLQuery",
    "queryForObject",
    "queryForList",
    "queryForMap",
];

/// Whether a call takes SQL text as its first argument.
fn is_sink(call: &Call) -> bool {
    let method = call.method_name();
    let class = call
        .name
        .strip_suffix(method)
        .and_then(|c| c.strip_suffix('.'))
        .unwrap_or("");
    if let Some((_, methods)) = SINKS.iter().find(|(c, _)| *c == class) {
        return methods.contains(&method);
    }
    let receiver_typed = call
        .receiver
        .as_ref()
        .is_some_and(|r| r.type_name.is_some());
    !receiver_typed && call.receiver.is_some() && DISTINCTIVE.contains(&method)
}

impl Detector for SqlInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter(|call| is_sink(call))
            .filter_map(|call| {
                let arg = call.positional(0)?;
                let origin = arg.value.taint.tainted_for(SinkKind::Sql)?;
                Some(
                    Hit::new(arg.range.clone(), call.name.clone())
                        .with_anchor(call.range.clone())
                        .with_origin(Some(origin)),
                )
            })
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let source = hit
            .origin
            .as_ref()
            .map_or_else(|| "untrusted data".to_string(), |o| describe_origin(ctx, o));
        let method = hit.subject.rsplit('.').next().unwrap_or(&hit.subject);
        format!(
            "SQL injection (CWE-89): the query passed to `{method}` is built from {source}, so the \
             input can change the query's structure. Use a parameterised query (`?` placeholders \
             with `PreparedStatement.set*`, or named parameters) and bind the value instead."
        )
    }
}
