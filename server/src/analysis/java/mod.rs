//! Java analysis: imports, call sites resolved by the declared types of their receivers,
//! constant strings, and flow-sensitive intra-procedural taint with summaries of the file's own
//! methods.
//!
//! The file is read in three steps: a pre-pass collects imports, declared classes, fields (types
//! and `static final` constants) and the units of code (methods, constructors, initialisers,
//! field initialisers); a summary pass computes, for each method, which parameters reach its
//! return value and whether it returns source data; the main pass interprets every unit once, in
//! statement order, recording each call with its argument values as they are at that point.

mod env;
mod expr;
mod ids;
mod interp;
mod literals;
pub mod model;
mod names;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use tree_sitter::{Node, Tree};

use super::{Call, Constant, Facts, Imports, SinkSet, Taint};
use crate::lang::syntax::{self, text};
use ids::{Kind, F};
use interp::Interp;

pub use expr::fixes_destination;
pub use literals::string_value;
pub use names::{looks_like_class, resolve_type};

/// The field of a value read with a constant fallback (`props.getProperty("alg", "MD5")`,
/// `System.getProperty(k, d)`, `map.getOrDefault(k, d)`): the fallback's value, so detectors can
/// judge a weak default.
pub const DEFAULT_FIELD: &str = "#default";

/// The field of a string built by concatenation holding its constant leading part
/// (`"Basic " + token` keeps `"Basic "`), when the leftmost operand is a constant.
pub const PREFIX_FIELD: &str = "#prefix";

/// A field declared in the file.
#[derive(Debug, Clone, Default)]
struct Field {
    /// Its declared type, resolved.
    type_name: Option<String>,
    /// Its value when it is a `static final` (or `final`) field initialised with a constant.
    constant: Option<Constant>,
}

/// What a method of the file does with data, seen from a call site.
#[derive(Debug, Clone, Default)]
struct Summary {
    /// For each parameter that reaches the return value: what it was sanitised for on the way.
    params_to_return: Vec<Option<SinkSet>>,
    /// Source data the method returns whatever its arguments.
    source: Taint,
    /// The declared return type, resolved.
    return_type: Option<String>,
    /// The returned constant, when every return returns the same one.
    constant: Option<Constant>,
    /// Calls inside the method whose arguments or receiver carry parameter data, with
    /// placeholder origins naming the parameters; replayed with the caller's taint.
    param_calls: Vec<Call>,
}

/// What the whole file declares, shared by every unit's interpretation.
#[derive(Debug, Default)]
struct FileModel {
    imports: Imports,
    /// Simple names of the classes, interfaces, enums and records declared in the file.
    classes: HashSet<String>,
    fields: HashMap<String, Field>,
    /// Summaries by (method name, parameter count).
    summaries: HashMap<(String, usize), Summary>,
}

/// A piece of code interpreted on its own, with a fresh state.
#[derive(Clone, Copy)]
enum Unit<'t> {
    /// A method or constructor declaration.
    Method(Node<'t>),
    /// A static or instance initialiser block.
    Block(Node<'t>),
    /// A field declaration's initialisers.
    Field(Node<'t>),
}

/// Builds the facts of a Java file.
pub fn analyze(source: &str, tree: &Tree) -> Facts {
    let root = tree.root_node();
    let mut model = FileModel {
        imports: names::collect_imports(root, source),
        ..FileModel::default()
    };
    let units = collect_units(tree, source, &mut model);
    // Constants may refer to earlier constants, so they are evaluated in source order.
    for unit in &units {
        if let Unit::Field(decl) = unit {
            evaluate_field(decl, source, &mut model);
        }
    }
    for unit in &units {
        if let Unit::Method(decl) = unit {
            if decl.kind_name() == "method_declaration" {
                // A method without parameters returning nothing or a primitive can neither
                // return attacker text nor pass its caller's data on: nothing to interpret.
                if let Some(key) = primitive_method_key(*decl, source) {
                    model.summaries.insert(key, Summary::default());
                    continue;
                }
                let (key, summary) = {
                    // Recording, so calls whose arguments depend on parameters can be replayed
                    // at call sites (a helper that runs the query it is given).
                    let mut interp = Interp::new(source, &model, true);
                    interp.summarize(*decl)
                };
                model.summaries.insert(key, summary);
            }
        }
    }
    let mut interp = Interp::new(source, &model, true);
    for unit in &units {
        match unit {
            Unit::Method(decl) => interp.run_method(*decl),
            Unit::Block(block) => interp.run_block(*block),
            Unit::Field(decl) => interp.run_field(*decl),
        }
    }
    Facts {
        imports: model.imports.clone(),
        ..interp.into_facts()
    }
}

/// The summary key of a parameterless method whose return type is `void` or primitive.
fn primitive_method_key(decl: Node<'_>, source: &str) -> Option<(String, usize)> {
    let ty = text(decl.child_by_field_id(F.type_)?, source);
    let primitive = matches!(
        ty,
        "void" | "boolean" | "byte" | "short" | "int" | "long" | "float" | "double" | "char"
    );
    if !primitive {
        return None;
    }
    let name = text(decl.child_by_field_id(F.name)?, source).to_string();
    let params = decl.child_by_field_id(F.parameters)?;
    let mut cursor = params.walk();
    let arity = params
        .named_children(&mut cursor)
        .filter(|p| matches!(p.kind_name(), "formal_parameter" | "spread_parameter"))
        .count();
    (arity == 0).then_some((name, arity))
}

/// Collects declared class names and field types, and lists the units of code in source order.
fn collect_units<'t>(tree: &'t Tree, source: &str, model: &mut FileModel) -> Vec<Unit<'t>> {
    let mut units = Vec::new();
    syntax::walk(tree, |node, _| {
        match node.kind_name() {
            "class_declaration"
            | "interface_declaration"
            | "enum_declaration"
            | "record_declaration"
            | "annotation_type_declaration" => {
                if let Some(name) = node.child_by_field_id(F.name) {
                    model.classes.insert(text(name, source).to_string());
                }
            }
            "method_declaration"
            | "constructor_declaration"
            | "compact_constructor_declaration" => {
                units.push(Unit::Method(node));
            }
            "static_initializer" => units.push(Unit::Block(node)),
            "block" if node.parent().is_some_and(|p| p.kind_name() == "class_body") => {
                units.push(Unit::Block(node));
            }
            "field_declaration" | "constant_declaration" => {
                let type_name = node
                    .child_by_field_id(F.type_)
                    .map(|t| resolve_type(text(t, source), &model.imports));
                for declarator in declarators(node) {
                    if let Some(name) = declarator.child_by_field_id(F.name) {
                        model.fields.insert(
                            text(name, source).to_string(),
                            Field {
                                type_name: type_name.clone(),
                                constant: None,
                            },
                        );
                    }
                }
                units.push(Unit::Field(node));
            }
            _ => {}
        }
        true
    });
    units
}

/// The `variable_declarator` children of a declaration.
fn declarators(decl: Node<'_>) -> Vec<Node<'_>> {
    ids::children_by_field(decl, F.declarator)
}

/// Whether a declaration's modifiers include `keyword` (`static`, `final`).
fn has_modifier(decl: Node<'_>, source: &str, keyword: &str) -> bool {
    let mut cursor = decl.walk();
    let found = decl
        .children(&mut cursor)
        .filter(|c| c.kind_name() == "modifiers")
        .any(|m| {
            let mut inner = m.walk();
            let hit = m.children(&mut inner).any(|k| text(k, source) == keyword);
            hit
        });
    found
}

/// Records the constant value of a `final` field initialised with a constant expression.
fn evaluate_field(decl: &Node<'_>, source: &str, model: &mut FileModel) {
    let is_constant =
        decl.kind_name() == "constant_declaration" || has_modifier(*decl, source, "final");
    if !is_constant {
        return;
    }
    for declarator in declarators(*decl) {
        let (Some(name), Some(value)) = (
            declarator.child_by_field_id(F.name),
            declarator.child_by_field_id(F.value),
        ) else {
            continue;
        };
        let constant = {
            let mut interp = Interp::new(source, model, false);
            interp.constant_of(value)
        };
        if let Some(field) = model.fields.get_mut(text(name, source)) {
            field.constant = constant;
        }
    }
}
