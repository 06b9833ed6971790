//! The detector framework and registry.
//!
//! A detector is one file: a [`DetectorMeta`] with the catalogue's id, name, severity, CWEs and
//! category, its documentation in fixed sections, and an implementation of [`Detector`] that keeps
//! detection (`check`), the message (`message`) and the fix (`fix`) apart.

pub mod java;
pub mod javascript;
pub mod python;
pub mod secrets;

use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::Range;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use tree_sitter::{Node, Tree};

use crate::analysis::{Facts, Origin};
use crate::finding::{Category, Fix, Severity};
use crate::lang::{syntax, Language, TreeIndex};
use crate::text::LineIndex;

/// The sections every detector's docs have, in this order.
pub const DOC_SECTIONS: [&str; 6] = [
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## Fix safety",
    "## References",
];

/// Everything about a detector except its logic.
#[derive(Debug)]
pub struct DetectorMeta {
    /// `<language>/<slug>@v<major>.<minor>`, as in the catalogue.
    pub id: &'static str,
    /// The catalogue's name ("OS command injection").
    pub name: &'static str,
    /// The language whose files it scans (`Text` for secrets detectors that scan every file).
    pub language: Language,
    /// Default severity.
    pub severity: Severity,
    /// CWE numbers.
    pub cwes: &'static [u32],
    /// Security or Quality.
    pub category: Category,
    /// Whether it runs in express scans (while typing).
    pub express: bool,
    /// Markdown documentation in the sections of [`DOC_SECTIONS`]; shown on hover and in docs.
    pub docs: &'static str,
}

impl DetectorMeta {
    /// The slug (`os-command-injection`).
    pub fn slug(&self) -> &'static str {
        let after_lang = self.id.split_once('/').map_or(self.id, |(_, rest)| rest);
        after_lang
            .split_once('@')
            .map_or(after_lang, |(slug, _)| slug)
    }

    /// The public documentation page of the detector (for `secrets/` detectors, which have no
    /// CodeGuru page, the page of their CWE).
    pub fn doc_url(&self) -> String {
        if self.language == Language::Text {
            let cwe = self.cwes.first().copied().unwrap_or(798);
            return format!("https://cwe.mitre.org/data/definitions/{cwe}.html");
        }
        format!(
            "https://docs.aws.amazon.com/codeguru/detector-library/{}/{}/",
            self.language.name(),
            self.slug()
        )
    }

    /// The first paragraph of the "What it does" section, for short explanations.
    pub fn summary(&self) -> &'static str {
        section(self.docs, "## What it does").unwrap_or(self.name)
    }

    /// The text of the "Use instead" section's prose (without code), for remediation lines.
    pub fn remediation(&self) -> &'static str {
        section(self.docs, "## Why is this bad?").unwrap_or("")
    }

    /// `CWE-78, CWE-88` style list.
    pub fn cwe_list(&self) -> String {
        self.cwes
            .iter()
            .map(|c| format!("CWE-{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The first paragraph after a `## ` heading in a detector's docs.
fn section(docs: &'static str, heading: &str) -> Option<&'static str> {
    let start = docs.find(heading)? + heading.len();
    let rest = docs[start..].trim_start();
    let end = rest.find("\n\n").unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// What a detector sees: the file's source, tree, language, path and analysis facts.
pub struct Context<'a> {
    /// The whole source text.
    pub source: &'a str,
    /// Its syntax tree (an empty tree for plain text, which has no grammar).
    pub tree: &'a Tree,
    /// Its language.
    pub language: Language,
    /// Its path, when known (the CLI, `file:` URIs).
    pub path: Option<&'a Path>,
    /// The analysis facts.
    pub facts: &'a Facts,
    /// Work done once per scan and shared by several detectors.
    pub memo: Memo<'a>,
    /// When only part of the file is checked (see [`Scope::Definition`]): the top-level nodes
    /// whose subtrees [`Context::nodes_of_kind`] lists; `facts` then holds only their calls
    /// and stores. `None`: the whole file.
    pub roots: Option<Vec<Node<'a>>>,
    /// The scan's line index, when it made one (see [`Context::with_lines`]).
    lines: Option<&'a LineIndex>,
    /// The children and fields of every node, when the analysis listed them (see
    /// [`Context::with_index`] and [`Context::child_by_field`]).
    index: Option<TreeIndex<'a>>,
}

/// Work done once per scan and shared by several detectors (filled lazily by the first that
/// needs it).
#[derive(Debug, Default)]
pub struct Memo<'a> {
    /// The secrets found in the file (see [`secrets::find`]).
    secrets: OnceCell<Vec<secrets::SecretMatch>>,
    /// Every node of the tree by kind id (see [`Context::nodes_of_kind`]).
    nodes_by_kind: OnceCell<Vec<Vec<Node<'a>>>>,
    /// The byte offset of each line's start (see [`Context::line_of`]).
    line_starts: OnceCell<Vec<usize>>,
    /// The root's children (see [`Context::top_level_statements`]).
    top_level: OnceCell<Cow<'a, [Node<'a>]>>,
}

impl<'a> Context<'a> {
    /// The context of a whole file.
    pub fn new(
        source: &'a str,
        tree: &'a Tree,
        language: Language,
        path: Option<&'a Path>,
        facts: &'a Facts,
    ) -> Self {
        Self {
            source,
            tree,
            language,
            path,
            facts,
            memo: Memo::default(),
            roots: None,
            lines: None,
            index: None,
        }
    }

    /// The same context answering [`Context::line_of`] from the scan's line index (when its
    /// lines end where `line_of` counts them, at `\n`) instead of indexing the text again.
    pub fn with_lines(mut self, lines: &'a LineIndex) -> Self {
        self.lines = Some(lines);
        self
    }

    /// The same context with the root's children already listed (an incremental scan lists
    /// them once for the analysis, the plan and each context).
    pub fn with_top_level(self, statements: &'a [Node<'a>]) -> Self {
        // Unset on a fresh context; one that already listed them keeps its list (the same).
        let _ = self.memo.top_level.set(Cow::Borrowed(statements));
        self
    }

    /// The context of a whole file whose tree was already walked into `index` (for the
    /// analysis): [`Context::nodes_of_kind`] serves its nodes instead of walking the tree again.
    /// Its fields then answer [`Context::child_by_field`].
    pub fn with_index(mut self, mut index: TreeIndex<'a>) -> Self {
        if self.roots.is_none() {
            // Unset on a fresh context; a context that already filed its nodes keeps them.
            let _ = self.memo.nodes_by_kind.set(index.take_by_kind());
            self.index = Some(index);
        }
        self
    }

    /// The child of `node` filling the field `field_id` ([`Node::child_by_field_id`]): a
    /// lookup in the analysis's index when the context has one, a scan of the children
    /// otherwise.
    pub fn child_by_field(&self, node: Node<'a>, field_id: u16) -> Option<Node<'a>> {
        match &self.index {
            Some(index) if index.lists_children() => index.field(node, field_id),
            _ => node.child_by_field_id(field_id),
        }
    }

    /// A context showing detectors only `roots` (top-level statements) with `facts`, sharing
    /// this one's line index and list of top-level statements.
    pub fn part<'s>(&'s self, facts: &'s Facts, roots: Vec<Node<'s>>) -> Context<'s> {
        let mut part = Context::new(self.source, self.tree, self.language, self.path, facts)
            .with_top_level(self.top_level_statements());
        part.lines = self.lines;
        part.roots = Some(roots);
        part
    }

    /// The source text of a byte range (empty when out of range).
    pub fn text(&self, range: Range<usize>) -> &'a str {
        self.source.get(range).unwrap_or("")
    }

    /// The source text of a node.
    pub fn node_text(&self, node: Node<'_>) -> &'a str {
        syntax::text(node, self.source)
    }

    /// Every node of this kind in the tree (or in [`Context::roots`]), in document order. The
    /// first call walks the tree once and files every node by kind; later calls, from any
    /// detector of the same scan, are lookups, so detectors that look for a few kinds
    /// (`except_clause`, `decorator`) do not each walk the whole file.
    pub fn nodes_of_kind(&self, kind: &str) -> &[Node<'a>] {
        let by_kind = self.memo.nodes_by_kind.get_or_init(|| {
            let mut by_kind: Vec<Vec<Node<'a>>> =
                vec![Vec::new(); self.tree.language().node_kind_count()];
            // Served by named kind id: anonymous tokens are not filed.
            let mut file = |node: Node<'a>, _| {
                if node.is_named() {
                    if let Some(list) = by_kind.get_mut(usize::from(node.kind_id())) {
                        list.push(node);
                    }
                }
                true
            };
            match &self.roots {
                None => syntax::walk(self.tree, file),
                Some(roots) => {
                    file(self.tree.root_node(), 0);
                    for root in roots {
                        syntax::walk_from(*root, &mut file);
                    }
                }
            }
            by_kind
        });
        let id = named_kind_id(&self.tree.language(), kind);
        by_kind.get(usize::from(id)).map_or(&[], Vec::as_slice)
    }

    /// The node spanning `range` (see [`syntax::node_at`]).
    pub fn node_at(&self, range: Range<usize>) -> Option<Node<'a>> {
        self.top_level_statement(range.start)
            .and_then(|top| syntax::node_at_within(top, range.clone()))
            .or_else(|| syntax::node_at(self.tree, range))
    }

    /// The children of the tree's root (top-level statements and comments), listed once.
    pub fn top_level_statements(&self) -> &[Node<'a>] {
        self.memo
            .top_level
            .get_or_init(|| Cow::Owned(syntax::children(self.tree.root_node())))
    }

    /// The child of the tree's root (a top-level statement or comment) containing `offset`.
    pub fn top_level_statement(&self, offset: usize) -> Option<Node<'a>> {
        let statements = self.top_level_statements();
        let i = statements.partition_point(|s| s.start_byte() <= offset);
        let candidate = statements.get(i.checked_sub(1)?)?;
        (offset < candidate.end_byte()).then_some(*candidate)
    }

    /// The one-based line number of a byte offset, for messages.
    pub fn line_of(&self, offset: usize) -> usize {
        if let Some(lines) = self.lines.filter(|l| l.breaks_only_at_newlines()) {
            return lines.line_of(offset) + 1;
        }
        let starts = self.memo.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.source.as_bytes()).map(|i| i + 1))
                .collect()
        });
        starts.partition_point(|&start| start <= offset.min(self.source.len()))
    }

    /// The leading whitespace of the line containing `offset`.
    pub fn indentation_at(&self, offset: usize) -> &'a str {
        let line_start = self.source[..offset.min(self.source.len())]
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1);
        let line = &self.source[line_start..];
        let width = line.len() - line.trim_start_matches([' ', '\t']).len();
        &line[..width]
    }
}

/// One match of a detector, before it becomes a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Where the finding is reported.
    pub range: Range<usize>,
    /// The node a fix works on (often the whole call), when different from `range`.
    pub anchor: Range<usize>,
    /// The API or construct involved (`subprocess.call`, `MessageDigest.getInstance("MD5")`).
    pub subject: String,
    /// For taint findings: where the untrusted data came from.
    pub origin: Option<Origin>,
}

impl Hit {
    /// A hit reported on `range`, with the same anchor.
    pub fn new(range: Range<usize>, subject: impl Into<String>) -> Self {
        Self {
            anchor: range.clone(),
            range,
            subject: subject.into(),
            origin: None,
        }
    }

    /// Sets the node a fix works on.
    pub fn with_anchor(mut self, anchor: Range<usize>) -> Self {
        self.anchor = anchor;
        self
    }

    /// Records where tainted data came from.
    pub fn with_origin(mut self, origin: Option<&Origin>) -> Self {
        self.origin = origin.cloned();
        self
    }
}

/// What a detector's hits depend on, which decides how much of a file an incremental scan
/// checks again after an edit (see `engine::ScanCache`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A hit inside a top-level definition (a function or class, with its decorators) depends
    /// only on that definition: its text, the facts of the calls and stores in it, and the
    /// file's imports, language and path, plus whatever the detector's [`Detector::file_key`]
    /// hashes. Nothing else in the file may change the hits found
    /// in it, and the detector finds nothing in one definition by looking at another. After an
    /// edit, the engine checks again only the definitions whose text or facts changed and every
    /// top-level statement that is not a definition; the detector then sees only those
    /// ([`Context::roots`]). What its findings may depend on: [`Detector::finish_scope`].
    Definition,
    /// Anything in the file may matter: always checked on the whole file.
    File,
}

/// A detector: metadata plus detection, message and fix kept apart.
pub trait Detector: Send + Sync {
    /// The detector's metadata.
    fn meta(&self) -> &'static DetectorMeta;

    /// What its hits depend on; [`Scope::File`] unless the detector declares less.
    fn scope(&self) -> Scope {
        Scope::File
    }

    /// For a detector of [`Scope::Definition`]: what the severity, message and fixes of one of
    /// its hits depend on. [`Scope::Definition`] (the default for such a detector): only the
    /// hit, the text, syntax and facts of the top-level statements its positions lie in, the
    /// file's top-level import statements, imports, language and path, what
    /// [`Detector::file_key`] hashes, and the line numbers of the hit's range, anchor and
    /// origin (the only lines a message may name); fixes edit only those statements or at the
    /// import statements. An incremental scan then takes a finding from the last scan, moved,
    /// when its definition and positions only moved and no line did. [`Scope::File`] when
    /// anything else can change them (say, a call anywhere in the file): they are made again
    /// every scan.
    fn finish_scope(&self) -> Scope {
        self.scope()
    }

    /// For a detector of [`Scope::Definition`]: a hash of what else in the file its hits in
    /// one definition depend on (say, the builtins the module redefines), computed cheaply from
    /// the whole file's context; when it changes, every definition is checked again. 0 (the
    /// default) when nothing.
    fn file_key(&self, _ctx: &Context<'_>) -> u64 {
        0
    }

    /// Finds the pattern in a file.
    fn check(&self, ctx: &Context<'_>) -> Vec<Hit>;

    /// Says what is wrong, why, and what to do, for one hit.
    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String;

    /// The severity of one hit: the detector's default unless it depends on the hit (the secrets
    /// detectors lower it in test fixtures).
    fn severity(&self, _ctx: &Context<'_>, _hit: &Hit) -> Severity {
        self.meta().severity
    }

    /// Suggested fixes for one hit, the preferred first.
    fn fix(&self, _ctx: &Context<'_>, _hit: &Hit) -> Vec<Fix> {
        Vec::new()
    }
}

/// Every registered detector, in a stable order (by language, then id).
pub fn registry() -> &'static [&'static dyn Detector] {
    static REGISTRY: OnceLock<Vec<&'static dyn Detector>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut all: Vec<&'static dyn Detector> = Vec::new();
        all.extend_from_slice(python::DETECTORS);
        all.extend_from_slice(java::DETECTORS);
        all.extend_from_slice(javascript::DETECTORS);
        all.extend_from_slice(secrets::DETECTORS);
        all.sort_by_key(|d| (d.meta().language, d.meta().id));
        all
    })
}

/// The metadata of every check Codeward has: the registered detectors and the program-level
/// notebook checks ([`crate::notebook::order`]), which see all cells and so are not [`Detector`]s.
/// Sorted like [`registry`]; this is what `codeward rules` lists.
pub fn all_metas() -> Vec<&'static DetectorMeta> {
    let mut metas: Vec<&'static DetectorMeta> = registry().iter().map(|d| d.meta()).collect();
    metas.extend(crate::notebook::order::CHECKS);
    metas.sort_by_key(|m| (m.language, m.id));
    metas
}

/// The detector with this exact id.
pub fn by_id(id: &str) -> Option<&'static dyn Detector> {
    registry().iter().copied().find(|d| d.meta().id == id)
}

/// A message tail naming the source of tainted data: "request data (`request.args`, line 4)".
pub fn describe_origin(ctx: &Context<'_>, origin: &Origin) -> String {
    format!(
        "{} (`{}`, line {})",
        origin.kind.describe(),
        origin.label,
        ctx.line_of(origin.range.start)
    )
}

/// The id of the named node kind `kind` in `grammar` (a kind name can have several ids:
/// aliases, anonymous tokens). Remembered per grammar: tree-sitter finds it by comparing the
/// name with every symbol name, and each scanned file asks for the same few kinds.
fn named_kind_id(grammar: &tree_sitter::Language, kind: &str) -> u16 {
    type Ids = foldhash::HashMap<tree_sitter::Language, foldhash::HashMap<String, u16>>;
    static IDS: OnceLock<Mutex<Ids>> = OnceLock::new();
    let mut ids = IDS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(id) = ids.get(grammar).and_then(|kinds| kinds.get(kind)) {
        return *id;
    }
    let id = grammar.id_for_node_kind(kind, true);
    ids.entry(grammar.clone())
        .or_default()
        .insert(kind.to_string(), id);
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::parse_str;

    #[test]
    fn line_of_is_the_same_from_the_scans_line_index() {
        for text in ["a = 1\n\nb = 2\n", "x\r\ny = 1\rz\n", ""] {
            let tree = parse_str(Language::Python, text).expect("parses");
            let facts = Facts::default();
            let lines = LineIndex::new(text);
            let own = Context::new(text, &tree, Language::Python, None, &facts);
            let shared =
                Context::new(text, &tree, Language::Python, None, &facts).with_lines(&lines);
            for offset in 0..=text.len() + 1 {
                assert_eq!(
                    own.line_of(offset),
                    shared.line_of(offset),
                    "{text:?} at {offset}"
                );
            }
            let part = shared.part(&facts, Vec::new());
            assert_eq!(part.line_of(text.len()), own.line_of(text.len()));
            assert_eq!(part.top_level_statements(), own.top_level_statements());
        }
    }
}
