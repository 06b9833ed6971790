//! `java/path-traversal`: untrusted data choosing the file that is read, written or deleted.

use super::sinks::{class_is, sink, source_phrase, split_call, taint_hits_where, Part, Sink};
use crate::analysis::{Call, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags file system accesses whose path is built from untrusted data.
pub struct PathTraversal;

/// The detector instance.
pub static PATH_TRAVERSAL: PathTraversal = PathTraversal;

static META: DetectorMeta = DetectorMeta {
    id: "java/path-traversal@v1.0",
    name: "Path traversal",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[22, 23],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags the places where a path built from untrusted data (servlet request parameters, headers and
cookies, Spring `@RequestParam`-style parameters, data read from the network) is used to open, read, write, list or delete a file: `new FileInputStream`,
`FileOutputStream`, `FileReader`, `FileWriter`, `RandomAccessFile`, `PrintWriter` on a path,
`java.nio.file.Files` operations (`readAllBytes`, `newInputStream`, `write`, `delete`, `copy`,
`move`, ...), `File.delete`/`renameTo`/`listFiles` on a file made from input, Commons IO
`FileUtils`, Spring `FileSystemResource` and `ServletContext.getResourceAsStream`. A `PrintWriter`
or `PrintStream` wrapping another writer or stream (`new PrintWriter(new OutputStreamWriter(out,
charset))`) opens no file and is not flagged; `ServletContext.getRealPath` only maps a web path to a
file name, so the use of its result is flagged, not the call. The path counts
as safe after `FilenameUtils.getName`, `Path.getFileName`, a numeric conversion, an allow-list
check, or `normalize()` / `getCanonicalPath()` followed by a `startsWith(base)` check. Creating a
`File` or `Path` object alone is not flagged; the use is. Severity High as in the catalogue, which
lists no CWE; Codeward uses CWE-22 and CWE-23.

Command-line arguments, environment variables and standard input are not flagged: a tool opening
the file its user names is doing its job. It does not follow paths into other files or through fields set in other methods, and it does not
know whether a directory prefix is enough (`"/data/" + name` is still flagged: `../` escapes it).

## Why is this bad?
`../../etc/passwd` or an absolute path in a request parameter lets a client read or overwrite any
file the server can reach: configuration with secrets, other users' uploads, or code that runs later.

## Example
```java
String name = request.getParameter("file");
InputStream in = new FileInputStream(new File(UPLOADS, name));
```

## Use instead
```java
Path base = Paths.get(UPLOADS).toAbsolutePath().normalize();
Path target = base.resolve(request.getParameter("file")).normalize();
if (!target.startsWith(base)) {
    throw new SecurityException("outside the upload directory");
}
InputStream in = Files.newInputStream(target);
```

## Fix safety
No automatic fix: where files may live, and what to do with a path outside it, is the
application's decision.

## References
- [CWE-22: Improper Limitation of a Pathname to a Restricted Directory](https://cwe.mitre.org/data/definitions/22.html)
- [CWE-23: Relative Path Traversal](https://cwe.mitre.org/data/definitions/23.html)
- [OWASP Path Traversal](https://owasp.org/www-community/attacks/Path_Traversal)
"#,
};

const FIRST: &[Part] = &[Part::Arg(0)];
const FIRST_TWO: &[Part] = &[Part::Arg(0), Part::Arg(1)];
const RECEIVER: &[Part] = &[Part::Receiver];

/// Where a path is used.
const SINKS: &[Sink] = &[
    sink("java.io.FileInputStream", "", FIRST),
    sink("java.io.FileOutputStream", "", FIRST),
    sink("java.io.FileReader", "", FIRST),
    sink("java.io.FileWriter", "", FIRST),
    sink("java.io.RandomAccessFile", "", FIRST),
    sink("java.io.PrintWriter", "", FIRST),
    sink("java.io.PrintStream", "", FIRST),
    sink("java.nio.file.Files", "newInputStream", FIRST),
    sink("java.nio.file.Files", "newOutputStream", FIRST),
    sink("java.nio.file.Files", "newBufferedReader", FIRST),
    sink("java.nio.file.Files", "newBufferedWriter", FIRST),
    sink("java.nio.file.Files", "newByteChannel", FIRST),
    sink("java.nio.file.Files", "readAllBytes", FIRST),
    sink("java.nio.file.Files", "readAllLines", FIRST),
    sink("java.nio.file.Files", "readString", FIRST),
    sink("java.nio.file.Files", "lines", FIRST),
    sink("java.nio.file.Files", "write", FIRST),
    sink("java.nio.file.Files", "writeString", FIRST),
    sink("java.nio.file.Files", "delete", FIRST),
    sink("java.nio.file.Files", "deleteIfExists", FIRST),
    sink("java.nio.file.Files", "copy", FIRST_TWO),
    sink("java.nio.file.Files", "move", FIRST_TWO),
    sink("java.nio.file.Files", "createFile", FIRST),
    sink("java.nio.file.Files", "createDirectories", FIRST),
    sink("java.nio.file.Files", "list", FIRST),
    sink("java.nio.file.Files", "walk", FIRST),
    sink("java.io.File", "delete", RECEIVER),
    sink("java.io.File", "renameTo", &[Part::Receiver, Part::Arg(0)]),
    sink("java.io.File", "listFiles", RECEIVER),
    sink("java.io.File", "createNewFile", RECEIVER),
    sink("org.apache.commons.io.FileUtils", "readFileToString", FIRST),
    sink(
        "org.apache.commons.io.FileUtils",
        "readFileToByteArray",
        FIRST,
    ),
    sink("org.apache.commons.io.FileUtils", "readLines", FIRST),
    sink(
        "org.apache.commons.io.FileUtils",
        "writeStringToFile",
        FIRST,
    ),
    sink(
        "org.apache.commons.io.FileUtils",
        "writeByteArrayToFile",
        FIRST,
    ),
    sink("org.apache.commons.io.FileUtils", "openInputStream", FIRST),
    sink("org.apache.commons.io.FileUtils", "openOutputStream", FIRST),
    sink("org.apache.commons.io.FileUtils", "copyFile", FIRST_TWO),
    sink("org.apache.commons.io.FileUtils", "forceDelete", FIRST),
    sink("org.apache.commons.io.FileUtils", "deleteDirectory", FIRST),
    sink("org.springframework.core.io.FileSystemResource", "", FIRST),
    sink("javax.servlet.ServletContext", "getResourceAsStream", FIRST),
];

/// A `PrintWriter`/`PrintStream` made around another writer or stream (its first argument's type
/// is a `...Writer` or `...Stream`), not on a file name.
fn wraps_stream(call: &Call) -> bool {
    let (class, method) = split_call(call);
    method.is_empty()
        && (class_is(class, "java.io.PrintWriter") || class_is(class, "java.io.PrintStream"))
        && call
            .positional(0)
            .and_then(|a| a.value.type_name.as_deref())
            .is_some_and(|t| t.ends_with("Writer") || t.ends_with("Stream"))
}

impl Detector for PathTraversal {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        // A command-line tool opening the file or URL its user names is doing its job.
        let mut hits = taint_hits_where(ctx, SINKS, Some(SinkKind::Path), &|o| {
            matches!(o.kind, SourceKind::Request | SourceKind::Network)
        });
        hits.retain(|hit| !ctx.facts.call_at(&hit.anchor).is_some_and(wraps_stream));
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Path traversal (CWE-22): the path used by `{}` is built from {}, so `../` or an \
             absolute path can reach any file the server can. Keep only the file name \
             (`FilenameUtils.getName`), or normalise the path and check it `startsWith` the base \
             directory before using it.",
            hit.subject,
            source_phrase(ctx, hit)
        )
    }
}
