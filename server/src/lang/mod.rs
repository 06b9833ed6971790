//! Languages Codeward understands, their tree-sitter grammars, and parsing (full and incremental).

mod index;
mod parse;
pub mod syntax;

pub use index::TreeIndex;
pub use parse::{parse_rope, parse_str};

use std::path::Path;

/// A language of a scanned document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Python 3 (also notebook code cells).
    Python,
    /// Java 8+.
    Java,
    /// JavaScript (ES2023) including JSX.
    JavaScript,
    /// TypeScript (`.ts`, `.mts`, `.cts`), scanned by the JavaScript detectors.
    TypeScript,
    /// TypeScript with JSX (`.tsx`), scanned by the JavaScript detectors.
    Tsx,
    /// Any other text file: kept as text, scanned only by the secrets detectors.
    Text,
}

impl Language {
    /// Every language, in a stable order.
    pub const ALL: [Language; 6] = [
        Language::Python,
        Language::Java,
        Language::JavaScript,
        Language::TypeScript,
        Language::Tsx,
        Language::Text,
    ];

    /// The language for an LSP `languageId`, if it is one we parse.
    pub fn from_language_id(id: &str) -> Option<Self> {
        match id {
            "python" | "jupyter-python" => Some(Self::Python),
            "java" => Some(Self::Java),
            "javascript" | "javascriptreact" | "jsx" => Some(Self::JavaScript),
            "typescript" => Some(Self::TypeScript),
            "typescriptreact" | "tsx" => Some(Self::Tsx),
            _ => None,
        }
    }

    /// The language for a file path, judged by its extension (`None` for an unknown extension).
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "py" | "pyw" | "pyi" => Some(Self::Python),
            "java" => Some(Self::Java),
            "js" | "mjs" | "cjs" | "jsx" => Some(Self::JavaScript),
            "ts" | "mts" | "cts" => Some(Self::TypeScript),
            "tsx" => Some(Self::Tsx),
            _ => None,
        }
    }

    /// Picks the language of a document from its languageId and path: a known languageId wins,
    /// then the extension, and anything else is text.
    pub fn detect(language_id: Option<&str>, path: Option<&Path>) -> Self {
        language_id
            .and_then(Self::from_language_id)
            .or_else(|| path.and_then(Self::from_path))
            .unwrap_or(Self::Text)
    }

    /// The lowercase name used in rule ids and fixture folders (`python`, `java`, `javascript`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Python => "python",
            Self::Java => "java",
            Self::JavaScript => "javascript",
            Self::TypeScript => "typescript",
            Self::Tsx => "tsx",
            Self::Text => "text",
        }
    }

    /// The tree-sitter grammar, or `None` for plain text.
    pub fn grammar(self) -> Option<tree_sitter::Language> {
        match self {
            Self::Python => Some(tree_sitter_python::LANGUAGE.into()),
            Self::Java => Some(tree_sitter_java::LANGUAGE.into()),
            Self::JavaScript => Some(tree_sitter_javascript::LANGUAGE.into()),
            Self::TypeScript => Some(tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into()),
            Self::Tsx => Some(tree_sitter_typescript::LANGUAGE_TSX.into()),
            Self::Text => None,
        }
    }

    /// The line-comment prefix used for suppression comments.
    pub fn line_comment(self) -> &'static str {
        match self {
            Self::Python | Self::Text => "#",
            Self::Java | Self::JavaScript | Self::TypeScript | Self::Tsx => "//",
        }
    }

    /// The language whose detectors scan files of this language: TypeScript is scanned by the
    /// JavaScript detectors, every other language by its own.
    pub fn detector_language(self) -> Language {
        match self {
            Self::TypeScript | Self::Tsx => Self::JavaScript,
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_language_id_then_extension() {
        assert_eq!(Language::detect(Some("python"), None), Language::Python);
        assert_eq!(
            Language::detect(Some("plaintext"), Some(Path::new("a/b.jsx"))),
            Language::JavaScript
        );
        assert_eq!(
            Language::detect(None, Some(Path::new("Main.JAVA"))),
            Language::Java
        );
        assert_eq!(
            Language::detect(None, Some(Path::new(".env"))),
            Language::Text
        );
        assert_eq!(
            Language::detect(None, Some(Path::new("src/app.ts"))),
            Language::TypeScript
        );
        assert_eq!(
            Language::detect(Some("typescriptreact"), None),
            Language::Tsx
        );
        assert_eq!(Language::Tsx.detector_language(), Language::JavaScript);
    }
}
