//! Shared by the language `hardcoded-credentials` detectors: secret-looking names, string literals
//! bound to them in the syntax tree, and the environment lookup that replaces a literal.

use std::ops::Range;

use tree_sitter::Node;

use super::filter;
use crate::analysis::python::ids::PyNode;
use crate::detectors::{Context, Hit};
use crate::finding::{Applicability, Edit, Fix};
use crate::lang::Language;

/// Name endings (snake_case, lower case) that mark a credential.
const SECRET_SUFFIXES: [&str; 17] = [
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "secret_key",
    "secret_access_key",
    "session_token",
    "api_key",
    "apikey",
    "access_token",
    "auth_token",
    "refresh_token",
    "private_key",
    "client_secret",
    "signing_key",
    "token",
];

/// Header names whose value is a credential.
const AUTH_HEADERS: [&str; 3] = ["authorization", "proxy_authorization", "x_api_key"];

/// `apiKey`, `API-KEY`, `Api.Key` → `api_key`.
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            previous_lower = false;
        }
    }
    out.trim_matches('_').to_string()
}

/// Whether a variable, field, key or parameter name says it holds a credential.
pub fn is_secret_name(name: &str) -> bool {
    // Keys such as `AWS::AppSync::ApiKey` or `"API key"` are labels, not variables.
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        || filter::is_excluded_name(name)
    {
        return false;
    }
    let snake = snake_case(name);
    SECRET_SUFFIXES.iter().any(|s| {
        snake
            .strip_suffix(s)
            .is_some_and(|head| head.is_empty() || head.ends_with('_'))
    }) || AUTH_HEADERS.contains(&snake.as_str())
}

/// Whether a name is an HTTP header that carries credentials (`Authorization`).
pub fn is_auth_header(name: &str) -> bool {
    AUTH_HEADERS.contains(&snake_case(name).as_str())
}

/// Whether a literal value bound to a credential name is a credential: not empty, not a
/// placeholder or reference, at least 6 characters once escapes are decoded (`"\uf21b"` is one),
/// not a bare word under 16 characters (`"password"`, `"Bearer"`), not a dotted name of words
/// (`"user.password"`, `"string.attribute-value.xml"`: property paths, message keys, the token
/// types of syntax highlighters). For headers: a scheme and a credential.
pub fn plausible(value: &str, name: &str) -> bool {
    if value.is_empty() || filter::is_placeholder(value) || filter::is_reference(value) {
        return false;
    }
    if is_auth_header(name) {
        let credential = value.split_once(' ').map_or(value, |(_, rest)| rest).trim();
        return credential.len() >= 8
            && !credential.contains(' ')
            && !filter::is_placeholder(credential)
            && !filter::is_reference(credential);
    }
    if unescaped_len(value) < 6
        || value.contains(char::is_whitespace)
        || filter::looks_like_code(value)
        || is_color(value)
    {
        return false;
    }
    if is_dotted_name(value) {
        return false;
    }
    let wordlike = value
        .chars()
        .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '-');
    !wordlike || value.len() >= 16
}

/// `markup.heading.1`, `keyword.$0`, `errors.password.too-short`: two or more short segments of
/// name characters, each in one case or all letters. A random value with dots (`Wq7r.Tz9pLm`, the
/// long mixed segments of a JWT) is not one.
fn is_dotted_name(value: &str) -> bool {
    let mut segments = value.split('.');
    value.contains('.')
        && segments.all(|s| {
            !s.is_empty()
                && s.len() <= 24
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$'))
                && (!s.chars().any(|c| c.is_ascii_uppercase())
                    || s.chars().all(|c| c.is_ascii_alphabetic()))
        })
}

/// The number of characters a string literal's content stands for: an escape sequence
/// (`\n`, `\x41`, `\u00e9`, `\u{1F600}`) counts as one.
fn unescaped_len(value: &str) -> usize {
    let mut count = 0;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        count += 1;
        if c != '\\' {
            continue;
        }
        match chars.next() {
            Some('x') => {
                for _ in 0..2 {
                    chars.next_if(char::is_ascii_hexdigit);
                }
            }
            Some('u') if chars.next_if_eq(&'{').is_some() => {
                while chars.next_if(|&c| c != '}').is_some() {}
                chars.next();
            }
            Some('u') => {
                for _ in 0..4 {
                    chars.next_if(char::is_ascii_hexdigit);
                }
            }
            _ => {}
        }
    }
    count
}

/// `#cccccc`: a colour, not a secret.
fn is_color(value: &str) -> bool {
    value
        .strip_prefix('#')
        .is_some_and(|hex| hex.len() <= 8 && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

/// `db_password` → `DB_PASSWORD`; `Authorization` → `AUTHORIZATION`.
pub fn env_var_name(name: &str) -> String {
    let snake = snake_case(name).to_ascii_uppercase();
    if snake.is_empty() {
        "SECRET".into()
    } else {
        snake
    }
}

/// The content of a plain string literal node (no interpolation), with its quotes removed.
pub fn literal_content<'a>(ctx: &Context<'a>, node: Node<'_>) -> Option<&'a str> {
    // Python kinds from the grammar's table (no `strlen` and UTF-8 check per node).
    let kind = match ctx.language {
        Language::Python => node.k(),
        _ => node.kind(),
    };
    let text = ctx.node_text(node);
    match (ctx.language, kind) {
        (Language::Python, "string") => {
            let mut cursor = node.walk();
            if node
                .named_children(&mut cursor)
                .any(|c| c.k() == "interpolation")
            {
                return None;
            }
            let body = text.trim_start_matches(['r', 'R', 'u', 'U', 'b', 'B']);
            if body.starts_with(['f', 'F']) {
                return None;
            }
            unquote(body, &["\"\"\"", "'''", "\"", "'"])
        }
        (Language::JavaScript, "string") => unquote(text, &["\"", "'"]),
        (Language::JavaScript, "template_string") => {
            let mut cursor = node.walk();
            if node
                .named_children(&mut cursor)
                .any(|c| c.kind() == "template_substitution")
            {
                return None;
            }
            unquote(text, &["`"])
        }
        (Language::Java, "string_literal") if !text.starts_with("\"\"\"") => unquote(text, &["\""]),
        _ => None,
    }
}

fn unquote<'a>(text: &'a str, quotes: &[&str]) -> Option<&'a str> {
    quotes.iter().find_map(|q| {
        text.strip_prefix(q)
            .and_then(|rest| rest.strip_suffix(q))
            .filter(|_| text.len() >= 2 * q.len())
    })
}

/// A string literal bound to a name: by assignment, declaration, keyword argument, default
/// parameter, or object/dict key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named<'a> {
    /// The name (last segment of a dotted target; a subscript's constant key).
    pub name: &'a str,
    /// The literal (with quotes).
    pub literal: Range<usize>,
    /// Its content.
    pub value: &'a str,
}

/// For a node kind, the fields holding the name and the value, per language.
fn binding_fields(language: Language, kind: &str) -> Option<(&'static str, &'static str)> {
    match (language, kind) {
        (Language::Python, "assignment") => Some(("left", "right")),
        (
            Language::Python,
            "keyword_argument" | "default_parameter" | "typed_default_parameter",
        ) => Some(("name", "value")),
        (Language::Python | Language::JavaScript, "pair") => Some(("key", "value")),
        (Language::Java | Language::JavaScript, "variable_declarator") => Some(("name", "value")),
        (Language::Java | Language::JavaScript, "assignment_expression") => Some(("left", "right")),
        (Language::JavaScript, "assignment_pattern") => Some(("left", "right")),
        _ => None,
    }
}

/// The name a target node binds: an identifier, the last attribute/property/field, a constant
/// subscript key or a string key.
fn target_name<'a>(ctx: &Context<'a>, node: Node<'_>) -> Option<&'a str> {
    match node.kind() {
        "identifier" | "property_identifier" | "shorthand_property_identifier" => {
            Some(ctx.node_text(node))
        }
        "attribute" => Some(ctx.node_text(node.child_by_field_name("attribute")?)),
        "member_expression" => Some(ctx.node_text(node.child_by_field_name("property")?)),
        "field_access" => Some(ctx.node_text(node.child_by_field_name("field")?)),
        "subscript" => literal_content(ctx, node.child_by_field_name("subscript")?),
        "subscript_expression" => literal_content(ctx, node.child_by_field_name("index")?),
        _ => literal_content(ctx, node),
    }
}

/// Node kinds that bind a value to a name in some grammar (see [`binding_fields`]).
const BINDING_KINDS: [&str; 8] = [
    "assignment",
    "keyword_argument",
    "default_parameter",
    "typed_default_parameter",
    "pair",
    "variable_declarator",
    "assignment_expression",
    "assignment_pattern",
];

/// Every string literal bound to a name in the file, in order.
pub fn named_literals<'a>(ctx: &Context<'a>) -> Vec<Named<'a>> {
    // Field ids are looked up once per kind: by name, tree-sitter compares the name with every
    // field name of the grammar on each call.
    let grammar = ctx.tree.language();
    let field = |name: &str| grammar.field_id_for_name(name).map_or(0, |id| id.get());
    let mut bindings: Vec<(Node<'a>, u16, u16)> = Vec::new();
    for kind in BINDING_KINDS {
        let Some((name_field, value_field)) = binding_fields(ctx.language, kind) else {
            continue;
        };
        let nodes = ctx.nodes_of_kind(kind);
        if nodes.is_empty() {
            continue;
        }
        let (name_id, value_id) = (field(name_field), field(value_field));
        bindings.extend(nodes.iter().map(|&node| (node, name_id, value_id)));
    }
    // Document order, outer bindings before the ones nested in them.
    bindings.sort_by_cached_key(|(n, _, _)| (n.start_byte(), std::cmp::Reverse(n.end_byte())));
    let mut out = Vec::new();
    for (node, name_field, value_field) in bindings {
        // The value first: most are not string literals, and then the name is not needed.
        let Some(value) = ctx.child_by_field(node, value_field) else {
            continue;
        };
        let Some(content) = literal_content(ctx, value) else {
            continue;
        };
        let name = ctx
            .child_by_field(node, name_field)
            .and_then(|n| target_name(ctx, n));
        if let Some(name) = name {
            out.push(Named {
                name,
                literal: value.byte_range(),
                value: content,
            });
        }
    }
    out
}

/// The literal at `range` (a call argument), with its content, if it is a plain string literal.
pub fn literal_at<'a>(ctx: &Context<'a>, range: Range<usize>) -> Option<&'a str> {
    let node = ctx.node_at(range.clone())?;
    if node.byte_range() != range {
        return None;
    }
    literal_content(ctx, node)
}

/// What a language detector found: the literal, the name the fix reads from the environment,
/// and where it goes (for the message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The string literal.
    pub literal: Range<usize>,
    /// The environment variable the fix reads (`DB_PASSWORD`).
    pub env: String,
    /// Where the literal goes ("`password` argument of `psycopg2.connect`").
    pub place: String,
}

/// Plausible literal credentials assigned to secret-looking names (`password = "..."`), as the
/// language `hardcoded-credentials` detectors report them.
pub fn secret_named_literals(ctx: &Context<'_>) -> Vec<Credential> {
    named_literals(ctx)
        .into_iter()
        .filter(|n| is_secret_name(n.name) && plausible(n.value, n.name))
        .map(|n| Credential {
            literal: n.literal,
            env: env_var_name(n.name),
            place: format!("`{}`", n.name),
        })
        .collect()
}

/// Separates the environment variable from the description in a hit's subject.
const SUBJECT_SEPARATOR: char = '\u{1f}';

impl Credential {
    /// The hit reported for it (on the literal).
    pub fn hit(&self) -> Hit {
        Hit::new(
            self.literal.clone(),
            format!("{}{SUBJECT_SEPARATOR}{}", self.env, self.place),
        )
    }

    /// The environment variable and the place, back from a hit's subject.
    pub fn parts(hit: &Hit) -> (&str, &str) {
        hit.subject
            .split_once(SUBJECT_SEPARATOR)
            .unwrap_or(("SECRET", hit.subject.as_str()))
    }
}

/// Keeps the first credential per literal, drops literals a `secrets/` detector reports, and
/// turns them into hits.
pub fn into_hits(ctx: &Context<'_>, mut found: Vec<Credential>) -> Vec<Hit> {
    found.sort_by_key(|c| c.literal.start);
    found.dedup_by(|b, a| a.literal == b.literal);
    found
        .into_iter()
        .filter(|c| !super::overlaps(ctx, c.literal.clone()))
        .map(|c| c.hit())
        .collect()
}

/// The message for a language detector's hit, with the value masked.
pub fn message(ctx: &Context<'_>, hit: &Hit, read_from: &str) -> String {
    let (env, place) = Credential::parts(hit);
    let value = literal_content_at(ctx, hit.range.clone()).unwrap_or("");
    format!(
        "Hardcoded credential `{}` in {place} (CWE-798): anyone who can read the code or its \
         history can use it, and it cannot be rotated without a release. Read it at run time \
         instead ({}), and revoke this one.",
        super::mask(value),
        read_from.replace("{}", env)
    )
}

fn literal_content_at<'a>(ctx: &Context<'a>, range: Range<usize>) -> Option<&'a str> {
    literal_at(ctx, range)
}

/// The fix: the literal replaced by `replacement` (an environment lookup), plus `extra` edits
/// (an import). Unsafe: the variable has to be set where the code runs.
pub fn env_fix(hit: &Hit, replacement: String, extra: Vec<Edit>) -> Fix {
    let (env, _) = Credential::parts(hit);
    let mut edits = extra;
    edits.push(Edit::replace(hit.range.clone(), replacement));
    Fix::new(
        format!("Read the credential from the environment variable `{env}`"),
        edits,
        Applicability::Unsafe,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values() {
        assert_eq!(snake_case("apiKey"), "api_key");
        assert_eq!(snake_case("AWS_SECRET_ACCESS_KEY"), "aws_secret_access_key");
        assert_eq!(
            snake_case("spring.datasource.password"),
            "spring_datasource_password"
        );
        assert!(is_secret_name("dbPassword"));
        assert!(is_secret_name("Authorization"));
        assert!(!is_secret_name("password_hash"));
        assert!(!is_secret_name("token_url"));
        assert!(!is_secret_name("tokens"));
        assert!(!is_secret_name("AWS::AppSync::ApiKey"));
        assert!(!is_secret_name("NextToken"));
        assert!(!plausible("#cccccc", "Token"));
        assert!(!plausible("pagination_token", "input_token"));
        assert!(plausible(concat!("Wq7r", "Tz9pLm"), "password"));
        assert!(!plausible("password", "password"));
        assert!(!plausible("changeme", "password"));
        assert!(!plausible("\\uf21b", "fa-user-secret"));
        assert!(plausible("\\x41\\x42c9d8e7", "password"));
        assert!(!plausible("string.attribute-value.xml", "token"));
        assert!(!plausible("errors.password.too-short", "password"));
        assert!(plausible("correct-horse-battery-staple", "password"));
        assert!(!plausible("markup.heading.1", "token"));
        assert!(!plausible("keyword.$0", "token"));
        assert!(!plausible("user.password", "password"));
        assert!(plausible("Wq7r.Tz9pLm", "password"));
        assert!(plausible(
            "Mf8rL2sP6qT1Xb4n.Zk9Vw3Ry7Hc2Jd5g",
            "client_secret"
        ));
        assert_eq!(unescaped_len(r"a\u{1F600}\x41\n\u00e9z"), 6);
        assert!(plausible("Bearer q8Zt3LmW9xV2", "Authorization"));
        assert!(!plausible("Bearer ${TOKEN}", "Authorization"));
        assert_eq!(env_var_name("dbPassword"), "DB_PASSWORD");
    }
}
