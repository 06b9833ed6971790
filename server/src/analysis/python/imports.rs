//! Import and alias resolution: every `import` / `from ... import` in the file (module level,
//! inside functions, `try` blocks, `if TYPE_CHECKING:`), in document order, later bindings winning.

use tree_sitter::{Node, Tree};

use crate::analysis::python::ids::{self, PyNode};
use crate::analysis::Imports;
use crate::lang::syntax::{self, text};

/// Collects the import bindings of a file.
pub fn collect(source: &str, tree: &Tree) -> Imports {
    let mut imports = Imports::default();
    let mut visit = |node: Node<'_>, _| match node.k() {
        "import_statement" => {
            import_statement(node, source, &mut imports);
            false
        }
        "import_from_statement" => {
            import_from(node, source, &mut imports);
            false
        }
        // Imports only appear in statements; expressions never contain them.
        "call" | "string" | "comment" => false,
        // Nor do these simple statements, which hold only expressions.
        "expression_statement"
        | "return_statement"
        | "assert_statement"
        | "raise_statement"
        | "delete_statement"
        | "decorator" => false,
        _ => true,
    };
    // Only top-level statements whose text says `import` can hold one: skip walking the rest.
    let keyword = memchr::memmem::Finder::new("import");
    let root = tree.root_node();
    let mut cursor = root.walk();
    for statement in root.children(&mut cursor) {
        if keyword.find(text(statement, source).as_bytes()).is_some() {
            syntax::walk_from(statement, &mut visit);
        }
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
