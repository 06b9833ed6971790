//! Suppression comments: `codeward: ignore[<rule>]` (or a bare `codeward: ignore` for every rule)
//! in a comment at the end of the flagged line or alone on the line above it. Other tools'
//! markers (`# nosec`, `// NOSONAR`) count only when configured.

use std::collections::HashMap;

use tree_sitter::Tree;

use crate::finding::Edit;
use crate::lang::{syntax, Language};
use crate::text::LineIndex;

const MARKER: &str = "codeward: ignore";
const FOREIGN_MARKERS: [&str; 3] = ["nosec", "NOSONAR", "noqa"];

/// Which rules are suppressed on a line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    /// Every rule.
    All,
    /// Rules named by id, id without version, or slug.
    Rules(Vec<String>),
}

/// The suppressions of one file, by zero-based line.
#[derive(Debug, Default)]
pub struct Suppressions {
    lines: HashMap<usize, Vec<Scope>>,
}

impl Suppressions {
    /// Collects suppression comments from a file.
    pub fn collect(
        source: &str,
        tree: Option<&Tree>,
        language: Language,
        honor_foreign: bool,
        lines: &LineIndex,
    ) -> Self {
        let mut found = Self::default();
        // Most files have no marker at all: skip the walk over every comment then.
        if !may_contain_marker(source, honor_foreign) {
            return found;
        }
        let mut add = |start: usize, text: &str| {
            let Some(scope) = parse_comment(text, honor_foreign) else {
                return;
            };
            let line = lines.line_of(start);
            let before = &source[lines.line_start(line)..start];
            // A comment alone on its line applies to the next line; otherwise to its own.
            let target = if before.trim().is_empty() {
                line + 1
            } else {
                line
            };
            found.lines.entry(target).or_default().push(scope);
        };
        match tree {
            Some(tree) => syntax::walk(tree, |node, _| {
                if syntax::is_comment(node) {
                    add(node.start_byte(), syntax::text(node, source));
                    return false;
                }
                true
            }),
            None => {
                // Plain text has no grammar: any `#` or `//` comment-looking marker counts.
                let comment = language.line_comment();
                for line in 0..lines.len_lines() {
                    let start = lines.line_start(line);
                    let end = lines.line_start(line + 1).min(source.len());
                    let text = &source[start..end];
                    for prefix in [comment, "//"] {
                        if let Some(at) = text.find(prefix) {
                            add(start + at, &text[at..]);
                            break;
                        }
                    }
                }
            }
        }
        found
    }

    /// Whether a finding of `rule_id` starting on `line` is suppressed.
    pub fn is_suppressed(&self, line: usize, rule_id: &str) -> bool {
        let Some(scopes) = self.lines.get(&line) else {
            return false;
        };
        scopes.iter().any(|scope| match scope {
            Scope::All => true,
            Scope::Rules(rules) => rules.iter().any(|r| rule_matches(r, rule_id)),
        })
    }
}

/// Whether `source` contains any suppression marker (a cheap substring search before the tree walk).
fn may_contain_marker(source: &str, honor_foreign: bool) -> bool {
    let bytes = source.as_bytes();
    memchr::memmem::find(bytes, MARKER.as_bytes()).is_some()
        || (honor_foreign
            && FOREIGN_MARKERS
                .iter()
                .any(|m| memchr::memmem::find(bytes, m.as_bytes()).is_some()))
}

/// Whether a rule named in a comment matches a rule id.
fn rule_matches(named: &str, rule_id: &str) -> bool {
    let without_version = rule_id.split('@').next().unwrap_or(rule_id);
    let slug = without_version
        .rsplit('/')
        .next()
        .unwrap_or(without_version);
    named == rule_id || named == without_version || named == slug
}

fn parse_comment(text: &str, honor_foreign: bool) -> Option<Scope> {
    if let Some(at) = text.find(MARKER) {
        let rest = &text[at + MARKER.len()..];
        if let Some(list) = rest.strip_prefix('[') {
            let list = &list[..list.find(']')?];
            let rules = list
                .split(',')
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
                .collect();
            return Some(Scope::Rules(rules));
        }
        return Some(Scope::All);
    }
    if honor_foreign && FOREIGN_MARKERS.iter().any(|m| text.contains(m)) {
        return Some(Scope::All);
    }
    None
}

/// The line-comment marker a suppression comment uses in a file of `language` named `path`: the
/// language's own for code; for plain text, the format's — `#` for dotenv, YAML, TOML, INI,
/// properties, shell scripts, Dockerfiles, requirements and other `#`-comment formats, `//` for
/// JSONC and C-like sources — or `None` where the format has no line comments this module reads
/// (JSON, Markdown, CSV, XML, SQL, unknown names): a comment line there would corrupt the file or
/// change what it says, so no "Suppress" action is offered.
pub fn comment_marker(language: Language, path: Option<&std::path::Path>) -> Option<&'static str> {
    if language != Language::Text {
        return Some(language.line_comment());
    }
    let path = path?;
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let hash_names = [
        "dockerfile",
        "containerfile",
        "makefile",
        "gemfile",
        "procfile",
        "vagrantfile",
        ".npmrc",
        ".pypirc",
        ".netrc",
        ".gitconfig",
        ".htpasswd",
        ".bashrc",
        ".zshrc",
        ".profile",
    ];
    if name.starts_with(".env")
        || name.starts_with("dockerfile.")
        || hash_names.contains(&name.as_str())
    {
        return Some("#");
    }
    let extension = name.rsplit_once('.').map(|(_, e)| e)?;
    match extension {
        "env" | "yaml" | "yml" | "toml" | "ini" | "cfg" | "conf" | "properties" | "sh" | "bash"
        | "zsh" | "ksh" | "fish" | "ps1" | "rb" | "pl" | "r" | "tf" | "tfvars" | "hcl" | "txt"
        | "dockerfile" | "mk" | "nix" | "cmake" => Some("#"),
        "jsonc" | "json5" | "go" | "rs" | "c" | "h" | "cc" | "cpp" | "hpp" | "cs" | "kt"
        | "kts" | "swift" | "scala" | "gradle" | "groovy" | "php" | "dart" => Some("//"),
        _ => None,
    }
}

/// The edit that suppresses `rule_id` for a finding starting at `offset`: a comment line, opened
/// with `marker` (see [`comment_marker`]), inserted above the finding's line, with the same
/// indentation and line ending.
pub fn suppress_edit(source: &str, marker: &str, offset: usize, rule_id: &str) -> Edit {
    let lines = LineIndex::new(source);
    let line = lines.line_of(offset);
    let start = lines.line_start(line);
    let line_text = &source[start..lines.line_start(line + 1).min(source.len())];
    let indent_len = line_text.len() - line_text.trim_start_matches([' ', '\t']).len();
    let indent = &line_text[..indent_len];
    let newline = if line_text.ends_with("\r\n") {
        "\r\n"
    } else if line_text.ends_with('\r') {
        "\r"
    } else {
        "\n"
    };
    Edit::insert(
        start,
        format!("{indent}{marker} {MARKER}[{rule_id}]{newline}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::apply_edits;
    use crate::lang::parse_str;

    fn collect(source: &str, honor_foreign: bool) -> Suppressions {
        let tree = parse_str(Language::Python, source);
        Suppressions::collect(
            source,
            tree.as_ref(),
            Language::Python,
            honor_foreign,
            &LineIndex::new(source),
        )
    }

    #[test]
    fn same_line_and_line_above() {
        let source =
            "a()  # codeward: ignore[sql-injection]\n# codeward: ignore\nb()\nc()  # nosec\n";
        let s = collect(source, false);
        assert!(s.is_suppressed(0, "python/sql-injection@v1.0"));
        assert!(!s.is_suppressed(0, "python/code-injection@v1.0"));
        assert!(s.is_suppressed(2, "python/code-injection@v1.0"));
        assert!(!s.is_suppressed(3, "python/code-injection@v1.0"));
        assert!(collect(source, true).is_suppressed(3, "python/code-injection@v1.0"));
    }

    #[test]
    fn marker_inside_a_string_does_not_count() {
        let s = collect("x = '# codeward: ignore'\n", false);
        assert!(!s.is_suppressed(0, "python/sql-injection@v1.0"));
    }

    #[test]
    fn suppress_edit_keeps_indentation_and_line_ending() {
        let source = "def f():\r\n    run(x)\r\n";
        let edit = suppress_edit(source, "#", 15, "python/os-command-injection@v1.0");
        let fixed = apply_edits(source, &[edit]).expect("applies");
        assert_eq!(
            fixed,
            "def f():\r\n    # codeward: ignore[python/os-command-injection@v1.0]\r\n    run(x)\r\n"
        );
        let s = collect(&fixed, false);
        assert!(s.is_suppressed(2, "python/os-command-injection@v1.0"));
    }

    #[test]
    fn comment_markers_follow_the_text_format() {
        use std::path::Path;
        let marker = |name: &str| comment_marker(Language::Text, Some(Path::new(name)));
        for name in [
            "/app/.env",
            "/app/.env.local",
            "config.YAML",
            "Dockerfile",
            "a/.npmrc",
            "x.tf",
        ] {
            assert_eq!(marker(name), Some("#"), "{name}");
        }
        for name in ["settings.jsonc", "main.go"] {
            assert_eq!(marker(name), Some("//"), "{name}");
        }
        for name in [
            "package.json",
            "README.md",
            "data.csv",
            "pom.xml",
            "dump.sql",
            "LICENSE",
        ] {
            assert_eq!(marker(name), None, "{name}");
        }
        assert_eq!(comment_marker(Language::Text, None), None);
        assert_eq!(comment_marker(Language::Java, None), Some("//"));
        assert_eq!(
            comment_marker(Language::Python, Some(Path::new("x.json"))),
            Some("#")
        );
    }
}
