//! Import and alias resolution: every `import` / `from ... import` in the file (module level,
//! inside functions, `try` blocks, `if TYPE_CHECKING:`), in document order, later bindings winning.

use tree_sitter::{Node, Tree};

use crate::analysis::python::ids::{self, PyNode};
use crate::analysis::Imports;
use crate::lang::syntax::{self, text};
use crate::lang::TreeIndex;

/// Whether the walk of [`collect`] goes into a node of this kind: not into imports (bound
/// whole) nor into what holds only expressions, where no import can be.
fn may_hold_imports(kind: &str) -> bool {
    !matches!(
        kind,
        "import_statement"
            | "import_from_statement"
            | "call"
            | "string"
            | "comment"
            | "expression_statement"
            | "return_statement"
            | "assert_statement"
            | "raise_statement"
            | "delete_statement"
            | "decorator"
    )
}

/// Binds an import statement's names (anything else binds nothing).
fn bind(node: Node<'_>, source: &str, imports: &mut Imports) {
    match node.k() {
        "import_statement" => import_statement(node, source, imports),
        "import_from_statement" => import_from(node, source, imports),
        _ => {}
    }
}

/// [`collect`] from `index`'s lists of import statements (a file has few) instead of a walk over
/// every top-level statement whose text mentions `import`: the same imports, those the walk
/// reaches, in the same order.
pub fn collect_indexed(source: &str, tree: &Tree, index: &TreeIndex<'_>) -> Imports {
    // The lists leave out nodes deeper than the walk reaches.
    if index.has_deep_nodes() {
        return collect(source, tree);
    }
    let (plain, from) = ids::import_kinds();
    let (mut plain, mut from) = (index.of_kind(plain).iter(), index.of_kind(from).iter());
    let (mut next_plain, mut next_from) = (plain.next(), from.next());
    let mut imports = Imports::default();
    // The two lists merged in document order (an import never holds another).
    loop {
        let node = match (next_plain, next_from) {
            (Some(a), Some(b)) if a.start_byte() <= b.start_byte() => {
                next_plain = plain.next();
                a
            }
            (_, Some(b)) => {
                next_from = from.next();
                b
            }
            (Some(a), None) => {
                next_plain = plain.next();
                a
            }
            (None, None) => break,
        };
        if reached(*node, source) {
            bind(*node, source, &mut imports);
        }
    }
    imports
}

/// Whether the walk of [`collect`] reaches `node`: its top-level statement's text mentions
/// `import` (an import whose keyword is missing may be the only one in it) and none of its
/// ancestors below the root stops the walk.
fn reached(node: Node<'_>, source: &str) -> bool {
    let mut current = node;
    while let Some(parent) = current.parent() {
        if parent.parent().is_none() {
            return memchr::memmem::find(text(current, source).as_bytes(), b"import").is_some();
        }
        if !may_hold_imports(parent.k()) {
            return false;
        }
        current = parent;
    }
    // The root itself is not walked.
    false
}

/// Collects the import bindings of a file.
pub fn collect(source: &str, tree: &Tree) -> Imports {
    collect_among(source, &syntax::children(tree.root_node()))
}

/// [`collect`] with the root's children listed by the caller ([`syntax::children`]). Only
/// top-level statements whose text says `import` can hold one: the word is looked for once in
/// the whole text and only the statements holding it are walked (a keystroke's analysis of a
/// module of thousands of statements would otherwise visit each).
pub fn collect_among(source: &str, top_level: &[Node<'_>]) -> Imports {
    const KEYWORD: &str = "import";
    let mut imports = Imports::default();
    let mut visit = |node: Node<'_>, _| {
        bind(node, source, &mut imports);
        may_hold_imports(node.k())
    };
    let mut walked = None;
    for at in memchr::memmem::find_iter(source.as_bytes(), KEYWORD) {
        // The statement the word lies in, whole (as a search of each statement's text finds it).
        let i = top_level.partition_point(|s| s.start_byte() <= at);
        let Some(index) = i.checked_sub(1) else {
            continue;
        };
        if walked == Some(index) || at + KEYWORD.len() > top_level[index].end_byte() {
            continue;
        }
        walked = Some(index);
        syntax::walk_from(top_level[index], &mut visit);
    }
    imports
}

fn dotted(node: Node<'_>, source: &str) -> String {
    text(node, source).split_whitespace().collect()
}

/// `import a.b.c` binds `a`; `import a.b as c` binds `c` to `a.b`.
fn import_statement(node: Node<'_>, source: &str, imports: &mut Imports) {
    let mut cursor = node.walk();
    for name in node.fields_of(ids::fields().name, &mut cursor) {
        match name.k() {
            "dotted_name" => {
                let module = dotted(name, source);
                let head = crate::analysis::first_segment(&module).to_string();
                imports.bind(head.clone(), head);
            }
            "aliased_import" => {
                if let (Some(module), Some(alias)) = (
                    name.field(ids::fields().name),
                    name.field(ids::fields().alias),
                ) {
                    imports.bind(text(alias, source), dotted(module, source));
                }
            }
            _ => {}
        }
    }
}

/// `from m import x as y` binds `y` to `m.x`; relative modules are kept as written (`.utils.x`);
/// `from m import *` binds nothing (the names cannot be known without reading `m`).
fn import_from(node: Node<'_>, source: &str, imports: &mut Imports) {
    let Some(module) = node.field(ids::fields().module_name) else {
        return;
    };
    let module = dotted(module, source);
    let join = |name: &str| {
        if module.ends_with('.') {
            format!("{module}{name}")
        } else {
            format!("{module}.{name}")
        }
    };
    let mut cursor = node.walk();
    for name in node.fields_of(ids::fields().name, &mut cursor) {
        match name.k() {
            "dotted_name" => {
                let imported = dotted(name, source);
                imports.bind(imported.clone(), join(&imported));
            }
            "aliased_import" => {
                if let (Some(imported), Some(alias)) = (
                    name.field(ids::fields().name),
                    name.field(ids::fields().alias),
                ) {
                    imports.bind(text(alias, source), join(&dotted(imported, source)));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{parse_str, Language};

    fn imports_of(source: &str) -> Imports {
        let tree = parse_str(Language::Python, source).expect("parses");
        collect(source, &tree)
    }

    #[test]
    fn resolves_aliases_and_from_imports() {
        let imports = imports_of(
            "import subprocess as sp\nimport os.path\nfrom os import system, path as p\n\
             from . import helpers\nfrom .utils import run as go\nfrom subprocess import *\n\
             def f():\n    import hashlib as h\ntry:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\n",
        );
        assert_eq!(imports.qualify("sp.call"), "subprocess.call");
        assert_eq!(imports.qualify("os.path.join"), "os.path.join");
        assert_eq!(imports.qualify("system"), "os.system");
        assert_eq!(imports.qualify("p.basename"), "os.path.basename");
        assert_eq!(imports.qualify("helpers.x"), ".helpers.x");
        assert_eq!(imports.qualify("go"), ".utils.run");
        assert_eq!(imports.qualify("h.md5"), "hashlib.md5");
        assert_eq!(imports.qualify("pickle.loads"), "pickle.loads");
        assert_eq!(
            imports.qualify("check_output"),
            "check_output",
            "star imports stay unresolved"
        );
    }
}

#[cfg(test)]
mod indexed_tests {
    use super::*;
    use crate::lang::{parse_str, Language};

    #[test]
    fn the_index_finds_the_imports_the_walk_finds() {
        let sources = [
            "import os\nimport a.b as c\nfrom m import x as y, z\nfrom . import rel\n",
            "def f():\n    import json\n    class C:\n        from x import y\n    return g(lambda: 1)\n",
            "try:\n    import simplejson as json\nexcept ImportError:\n    import json\n",
            "if TYPE_CHECKING:\n    from typing import List\nprint(import_me)\n",
            "f(import os)\nx = [import y]\nfrom m y\nimport\nassert 1, (import z)\n",
            "class A:\n    @deco(import q)\n    def m(self):\n        from .p import *\n",
            "x = f(a,\nimport os\n)\n",
            "print(\"a\" import b)\n",
            "return (import c)\n",
            "del x, import d\n",
            "raise E from import e\n",
            "f(x for import g in y)\n",
            "@d\nimport h\ndef f(): pass\n",
            "x = \"\"\"\nimport i\n\"\"\"\n",
            "foo(\n    import j\n",
            // A later binding wins: the two kinds' lists are merged in document order.
            "from a import b\nimport b\nfrom c import b\n",
            "from a import b\nimport b\n",
            "import b\nfrom a import b\n",
        ];
        for source in sources {
            let Some(tree) = parse_str(Language::Python, source) else {
                panic!("the Python grammar is built in");
            };
            let index = crate::analysis::python::index(&tree);
            let walked = collect(source, &tree);
            assert_eq!(collect_indexed(source, &tree, &index), walked, "{source}");
        }
        // `collect` looks for the word once in the whole text: it must walk exactly the
        // statements a search of each statement's text picks.
        let more = [
            "x = 1; import os\ny = 'import'  # import\nimport a; import b\n",
            "# import os\nimport sys\n\"\"\"import z\"\"\"\nimport re\n",
            "def importer():\n    pass\nimports = 1\nfrom m import importer as i\n",
        ];
        for source in sources.iter().chain(&more) {
            let Some(tree) = parse_str(Language::Python, source) else {
                panic!("the Python grammar is built in");
            };
            let mut expected = Imports::default();
            let mut visit = |node: Node<'_>, _| {
                bind(node, source, &mut expected);
                may_hold_imports(node.k())
            };
            let root = tree.root_node();
            let mut cursor = root.walk();
            for statement in root.children(&mut cursor) {
                if text(statement, source).contains("import") {
                    syntax::walk_from(statement, &mut visit);
                }
            }
            assert_eq!(collect(source, &tree), expected, "{source}");
        }
        let source = sources[0];
        let Some(tree) = parse_str(Language::Python, source) else {
            panic!("the Python grammar is built in");
        };
        let imports = collect_indexed(source, &tree, &crate::analysis::python::index(&tree));
        assert_eq!(imports.resolve("y"), Some("m.x"));
        assert_eq!(imports.resolve("c"), Some("a.b"));
    }
}
