//! Taint values: where untrusted data came from, and which sinks it has been made safe for.

use std::ops::Range;
use std::sync::Arc;

/// A class of sink; sanitisers make data safe for some classes only (`shlex.quote` for shell
/// commands, `html.escape` for HTML), numeric conversion for all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum SinkKind {
    /// Shell or process command lines.
    Command = 1 << 0,
    /// SQL query text.
    Sql = 1 << 1,
    /// Code evaluated by an interpreter (`eval`, `exec`, `new Function`).
    Code = 1 << 2,
    /// File system paths.
    Path = 1 << 3,
    /// HTML or script output.
    Html = 1 << 4,
    /// Redirect targets and outgoing request URLs.
    Url = 1 << 5,
    /// LDAP filters and DNs.
    Ldap = 1 << 6,
    /// XPath expressions.
    XPath = 1 << 7,
    /// Serialized objects.
    Deserialization = 1 << 8,
    /// Log records.
    Log = 1 << 9,
    /// HTTP header values.
    Header = 1 << 10,
    /// NoSQL queries.
    NoSql = 1 << 11,
    /// Module names for dynamic imports.
    Module = 1 << 12,
    /// Text written into a file's content (records, rows, configuration).
    FileContent = 1 << 13,
    /// Regular-expression patterns.
    Regex = 1 << 14,
    /// Attribute and keyword-argument names chosen by data (mass assignment).
    Attribute = 1 << 15,
    /// Cells of CSV files and spreadsheets, read back by spreadsheet programs.
    Spreadsheet = 1 << 16,
}

/// A set of [`SinkKind`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SinkSet(u32);

impl SinkSet {
    /// No sink kind.
    pub const NONE: SinkSet = SinkSet(0);
    /// Every sink kind.
    pub const ALL: SinkSet = SinkSet(u32::MAX);

    /// A set holding the given kinds.
    pub fn of(kinds: &[SinkKind]) -> Self {
        Self(kinds.iter().fold(0, |acc, k| acc | *k as u32))
    }

    /// Whether `kind` is in the set.
    pub fn contains(self, kind: SinkKind) -> bool {
        self.0 & kind as u32 != 0
    }

    /// The union of two sets.
    pub fn union(self, other: SinkSet) -> Self {
        Self(self.0 | other.0)
    }

    /// The intersection of two sets.
    pub fn intersection(self, other: SinkSet) -> Self {
        Self(self.0 & other.0)
    }
}

/// What kind of untrusted input a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// Web request data: parameters, headers, cookies, bodies, paths.
    Request,
    /// Command-line arguments.
    CommandLine,
    /// Environment variables.
    Environment,
    /// Standard input or interactive prompts.
    Stdin,
    /// Data read from a network connection.
    Network,
    /// Data read from a file at a user-chosen path.
    File,
    /// A parameter of a function whose callers are unknown (used only in function summaries).
    Parameter,
    /// A secret credential (an AWS secret key or session token): not untrusted input, so its
    /// origins are marked safe for every sink; detectors of leaked secrets look for the kind.
    Credential,
}

impl SourceKind {
    /// A short phrase for messages ("user-supplied request data").
    pub fn describe(self) -> &'static str {
        match self {
            Self::Request => "web request data",
            Self::CommandLine => "a command-line argument",
            Self::Environment => "an environment variable",
            Self::Stdin => "standard input",
            Self::Network => "data read from the network",
            Self::File => "data read from a user-chosen file",
            Self::Parameter => "a function parameter",
            Self::Credential => "an AWS credential",
        }
    }
}

/// One place untrusted data entered the program, and the sinks it was sanitised for on the way.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    /// What kind of input it is.
    pub kind: SourceKind,
    /// The API it came from, as written or resolved (`flask.request.args`, `req.query`).
    /// Shared: origins are copied into every value built from the data, so cloning one must
    /// not copy the text.
    pub label: Arc<str>,
    /// Where the source expression is, in bytes.
    pub range: Range<usize>,
    /// Sink kinds this data has been sanitised for.
    pub sanitized: SinkSet,
}

/// How many distinct origins a value remembers; enough for messages, bounded for speed.
const MAX_ORIGINS: usize = 4;

/// The taint of a value: empty when the value is trusted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Taint {
    origins: Vec<Origin>,
}

impl Taint {
    /// Trusted data.
    pub fn clean() -> Self {
        Self::default()
    }

    /// Data straight from a source.
    pub fn from_source(kind: SourceKind, label: impl Into<Arc<str>>, range: Range<usize>) -> Self {
        Self {
            origins: vec![Origin {
                kind,
                label: label.into(),
                range,
                sanitized: SinkSet::NONE,
            }],
        }
    }

    /// Whether any untrusted data flows into the value, whatever it was sanitised for.
    pub fn is_tainted(&self) -> bool {
        !self.origins.is_empty()
    }

    /// The first origin that is not sanitised for `kind`, if any: the value is dangerous there.
    pub fn tainted_for(&self, kind: SinkKind) -> Option<&Origin> {
        self.origins.iter().find(|o| !o.sanitized.contains(kind))
    }

    /// The origins of the value.
    pub fn origins(&self) -> &[Origin] {
        &self.origins
    }

    /// The origins, for moving their ranges to another version of the text.
    pub(crate) fn origins_mut(&mut self) -> &mut [Origin] {
        &mut self.origins
    }

    /// Adds the origins of `other` (a value built from both).
    pub fn merge(&mut self, other: &Taint) {
        for origin in &other.origins {
            if let Some(same) = self
                .origins
                .iter_mut()
                .find(|o| o.range == origin.range && o.label == origin.label)
            {
                // Safe only for what both paths sanitised.
                same.sanitized = same.sanitized.intersection(origin.sanitized);
            } else if self.origins.len() < MAX_ORIGINS {
                self.origins.push(origin.clone());
            }
        }
    }

    /// The union of two taints.
    pub fn merged(mut self, other: &Taint) -> Self {
        self.merge(other);
        self
    }

    /// The same taint without the origins of `kind`.
    pub fn without(mut self, kind: SourceKind) -> Self {
        self.origins.retain(|o| o.kind != kind);
        self
    }

    /// The same data, sanitised for `kinds`.
    pub fn sanitized(mut self, kinds: SinkSet) -> Self {
        for origin in &mut self.origins {
            origin.sanitized = origin.sanitized.union(kinds);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitising_is_per_sink_and_merge_keeps_the_weaker() {
        let raw = Taint::from_source(SourceKind::Request, "request.args", 0..5);
        let quoted = raw.clone().sanitized(SinkSet::of(&[SinkKind::Command]));
        assert!(quoted.tainted_for(SinkKind::Command).is_none());
        assert!(quoted.tainted_for(SinkKind::Sql).is_some());
        let both = quoted.merged(&raw);
        assert!(both.tainted_for(SinkKind::Command).is_some());
        assert!(Taint::clean().tainted_for(SinkKind::Command).is_none());
    }
}
