//! Tables of JavaScript taint sources, sanitisers and calls known to return clean data.

use crate::analysis::{SinkKind, SinkSet};

/// Type name given to request objects (Express/Fastify/Node `http` `req`, Koa `ctx.request`).
pub(super) const REQUEST: &str = "http.Request";
/// Type name given to response objects (`res`, `reply`).
pub(super) const RESPONSE: &str = "http.Response";
/// Type name given to a Fastify reply (`reply`), which sends strings as text/plain and objects
/// as JSON unless told otherwise.
pub(super) const REPLY: &str = "fastify.Reply";
/// Type name given to a Koa context (`ctx`).
pub(super) const KOA_CONTEXT: &str = "koa.Context";
/// Type name given to the event of a `message` listener.
pub(super) const MESSAGE_EVENT: &str = "MessageEvent";
/// Type name of function values.
pub(super) const FUNCTION: &str = "function";
/// Prefix of the type name of a module object or a member of one (`module:child_process.exec`).
pub(super) const MODULE: &str = "module:";

/// Prefix of the type name of what a module's function returned (`returned:libxmljs.parseXml`).
pub(super) const RETURNED: &str = "returned:";

/// Methods of an app/router/server that register a request handler callback.
pub(super) const ROUTE_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "del",
    "all",
    "use",
    "options",
    "head",
    "createServer",
];

/// Properties of a request object that carry client-controlled data.
pub(super) const REQUEST_PROPS: &[&str] = &[
    "query",
    "params",
    "body",
    "headers",
    "header",
    "cookies",
    "signedCookies",
    "url",
    "originalUrl",
    "path",
    "baseUrl",
    "hostname",
    "host",
    "files",
    "file",
    "rawHeaders",
    "rawBody",
    "querystring",
    "search",
    "href",
];

/// Methods of a request object (or Koa context) returning client-controlled data.
pub(super) const REQUEST_METHODS: &[&str] = &["get", "header", "param", "cookie"];

/// Koa context properties that are the request itself.
pub(super) const KOA_REQUEST_PROPS: &[&str] = &["request", "req"];
/// Properties of a request-like object that are the response.
pub(super) const RESPONSE_PROPS: &[&str] = &["response", "res"];

/// Names a handler's first parameter gets when it is the request.
pub(super) const REQUEST_PARAM_NAMES: &[&str] = &["req", "request"];
/// Names a handler's parameter gets when it is the response.
pub(super) const RESPONSE_PARAM_NAMES: &[&str] = &["res", "response"];

/// Browser globals (dotted paths) whose value the page's visitor or another site controls.
pub(super) const BROWSER_SOURCES: &[&str] = &[
    "location",
    "window.location",
    "document.location",
    "document.URL",
    "document.documentURI",
    "document.baseURI",
    "document.referrer",
    "document.cookie",
    "window.name",
];

/// Parts of a URL an attacker cannot choose freely for a victim's page (clean).
pub(super) const LOCATION_CLEAN_PROPS: &[&str] = &[
    "host", "hostname", "origin", "protocol", "port", "reload", "assign",
];

/// What a sanitiser makes its argument safe for.
pub(super) fn sanitizer(name: &str) -> Option<SinkSet> {
    use SinkKind::*;
    let html = SinkSet::of(&[Html]);
    Some(match name {
        "encodeURIComponent" => SinkSet::of(&[Url, Html, Header, Log, Ldap, XPath, FileContent]),
        "encodeURI" => SinkSet::of(&[Html, Header, Log, FileContent]),
        "String" => SinkSet::of(&[NoSql]),
        "mongo-sanitize" | "express-mongo-sanitize.sanitize" | "mongo-sanitize.sanitize" => {
            SinkSet::of(&[NoSql])
        }
        "mysql.escape" | "mysql2.escape" | "mysql.escapeId" | "mysql2.escapeId"
        | "sqlstring.escape" | "sqlstring.escapeId" | "pg-format" | "pg-format.literal"
        | "pg-format.ident" | "pg-escape" | "pg-escape.literal" | "sequelize.escape" => {
            SinkSet::of(&[Sql])
        }
        "ldap-escape.filter" | "ldap-escape.dn" | "ldapjs.escapeFilter" => SinkSet::of(&[Ldap]),
        "escape-html"
        | "validator.escape"
        | "dompurify.sanitize"
        | "DOMPurify.sanitize"
        | "isomorphic-dompurify.sanitize"
        | "he.encode"
        | "he.escape"
        | "lodash.escape"
        | "lodash/escape"
        | "lodash.escape/index"
        | "underscore.escape"
        | "xss"
        | "xss.filterXSS"
        | "filterXSS"
        | "sanitize-html"
        | "escape-goat.htmlEscape"
        | "html-escaper.escape"
        | "entities.encode"
        | "entities.encodeHTML"
        | "entities.escape" => html,
        "path.basename" | "path.posix.basename" | "path.win32.basename" | "sanitize-filename" => {
            SinkSet::of(&[Path])
        }
        "shell-quote.quote" | "shell-escape" | "shescape.quote" | "shescape.escape" => {
            SinkSet::of(&[Command])
        }
        // JSON escapes quotes and line breaks; the result is a string, never a query object.
        "JSON.stringify" => SinkSet::of(&[Code, Log, NoSql, FileContent]),
        "escape-string-regexp"
        | "escape-regexp"
        | "escape-regex-string"
        | "lodash.escapeRegExp"
        | "lodash/escapeRegExp"
        | "lodash.escaperegexp"
        | "underscore.string.escapeRegExp"
        | "RegExp.escape" => SinkSet::of(&[Regex]),
        _ => return None,
    })
}

/// Escaping methods of database drivers' connections and clients (`connection.escape(x)`).
pub(super) const SQL_ESCAPE_METHODS: &[&str] =
    &["escape", "escapeId", "escapeLiteral", "escapeIdentifier"];

/// String methods: whatever they are given, they return strings (never query objects).
pub(super) const STRING_METHODS: &[&str] = &[
    "trim",
    "trimStart",
    "trimEnd",
    "toLowerCase",
    "toUpperCase",
    "toLocaleLowerCase",
    "toLocaleUpperCase",
    "substring",
    "substr",
    "padStart",
    "padEnd",
    "normalize",
    "toString",
    "charAt",
    "repeat",
];

/// Whether a function (by qualified name) returns data that carries no taint whatever it is given:
/// numeric conversions, predicates and the like.
pub(super) fn returns_clean(name: &str, method: &str) -> bool {
    matches!(
        name,
        "parseInt"
            | "parseFloat"
            | "Number"
            | "Boolean"
            | "isNaN"
            | "isFinite"
            | "Number.parseInt"
            | "Number.parseFloat"
            | "Number.isInteger"
            | "Array.isArray"
            | "Object.keys"
            | "Date.now"
            // Sizes and predicates of buffers are numbers and booleans.
            | "Buffer.byteLength"
            | "Buffer.isBuffer"
            | "Buffer.compare"
            | "require.resolve"
            | "crypto.randomBytes"
            | "crypto.randomUUID"
            | "uuid.v4"
            // File contents are not controlled by whoever chose the path.
            | "fs.readFileSync"
            | "fs.readFile"
            | "fs.promises.readFile"
            | "fs/promises.readFile"
            | "fs.existsSync"
            | "fs.statSync"
            // MIME types come from the library's table.
            | "mime.getType"
            | "mime.getExtension"
            | "mime.lookup"
            | "mime-types.lookup"
            | "mime-types.extension"
    ) || name.starts_with("Math.")
        || matches!(
            method,
            "length"
                | "indexOf"
                | "lastIndexOf"
                | "includes"
                | "startsWith"
                | "endsWith"
                | "test"
                | "has"
                | "search"
                | "localeCompare"
                | "charCodeAt"
                | "codePointAt"
                | "getTime"
                | "digest"
                | "some"
                | "every"
                | "findIndex"
                | "isValid"
                | "toFixed"
                | "forEach"
                // Database lookups return stored data, not the request data used as the key.
                | "findOne"
                | "findById"
                | "findByPk"
                | "findAll"
                | "findMany"
                | "findUnique"
                | "findFirst"
                | "countDocuments"
        )
        || name == "fetch"
}
