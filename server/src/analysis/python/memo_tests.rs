//! Incremental analysis must be invisible: after any edit, reusing the previous version's memo
//! gives exactly the facts of a full analysis, while unchanged functions are replayed.

use proptest::prelude::*;

use super::{analyze, analyze_incremental, Memo};
use crate::analysis::{Facts, SinkKind};
use crate::lang::{parse_str, Language};

/// A program exercising every input a function body can read: module bindings (one from a
/// source), same-file summaries (functions, methods, a function defined below its caller),
/// argument taint passed by callers, route parameters, nested functions and classes.
const PROGRAM: &str = r#"import os
import subprocess
import sys
from flask import Flask, request

app = Flask(__name__)
BASE = "/srv"
ARG = sys.argv[1]


def quote_nothing(value):
    return value


def build(cmd):
    prefix = "echo "
    return prefix + quote_nothing(cmd)


def run(cmd):
    subprocess.call(cmd, shell=True)


class Service:
    name = "svc"

    def command(self, part):
        return "ls " + part

    def execute(self, part):
        os.system(self.command(part))

    def clean(self):
        os.system("ls /tmp")


@app.route("/run/<path:name>")
def handler(name):
    run(build(name))
    Service().execute(request.args.get("q", ""))
    service = Service()
    service.execute(name)
    later(ARG)


def with_nested(value):
    def inner(x):
        return x + "!"
    os.system(inner(value))
    class Local:
        def go(self, y):
            return y
    return Local().go(value)


def later(value):
    os.system(BASE + value)


def constant_only():
    cmd = "ls"
    cmd = cmd + " -l"
    os.system(cmd)
"#;

fn full(source: &str) -> Facts {
    match parse_str(Language::Python, source) {
        Some(tree) => analyze(source, &tree),
        None => Facts::default(),
    }
}

/// The root's children, as the engine lists them for an incremental analysis.
fn top_level(tree: &tree_sitter::Tree) -> Vec<tree_sitter::Node<'_>> {
    crate::lang::syntax::children(tree.root_node())
}

/// An incremental analysis that gives the facts back to the memo, as the engine does.
fn incremental(source: &str, memo: Option<Memo>) -> (Facts, Memo) {
    let tree = parse_str(Language::Python, source).expect("python parses");
    let (facts, mut memo) = analyze_incremental(source, &tree, &top_level(&tree), memo);
    memo.keep_facts(facts.clone());
    (facts, memo)
}

/// Every line of `source` deleted, duplicated, or preceded by a tainting statement, one edit at
/// a time.
fn line_edits(source: &str) -> Vec<String> {
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let mut edited = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let indent = &line[..line.len() - line.trim_start().len()];
        let before = lines[..i].concat();
        let after = lines[i + 1..].concat();
        edited.push(format!("{before}{after}"));
        edited.push(format!("{before}{line}{line}{after}"));
        edited.push(format!(
            "{before}{indent}value = request.args['x']\n{line}{after}"
        ));
    }
    edited
}

fn assert_same(source: &str, memo: Option<Memo>, what: &str) -> Memo {
    let (facts, memo) = incremental(source, memo);
    let expected = full(source);
    assert!(
        facts == expected,
        "{what}: incremental facts differ from a full analysis of\n{source}\n\
         incremental calls: {:#?}\nfull calls: {:#?}",
        facts
            .calls
            .iter()
            .map(|c| (&c.name, &c.range))
            .collect::<Vec<_>>(),
        expected
            .calls
            .iter()
            .map(|c| (&c.name, &c.range))
            .collect::<Vec<_>>(),
    );
    memo
}

#[test]
fn every_single_line_edit_gives_the_facts_of_a_full_analysis() {
    for (n, edited) in line_edits(PROGRAM).iter().enumerate() {
        let (_, base) = incremental(PROGRAM, None);
        let memo = assert_same(edited, Some(base), &format!("edit {n}"));
        // And back again, from the edited version's memo.
        assert_same(PROGRAM, Some(memo), &format!("undo of edit {n}"));
    }
}

#[test]
fn fixtures_survive_chains_of_edits() {
    for source in [
        include_str!("../../../../tests/fixtures/python/os-command-injection.py"),
        include_str!("../../../../tests/fixtures/python/sql-injection.py"),
        include_str!("../../../../examples/python/inventory_app.py"),
    ] {
        let mut memo = incremental(source, None).1;
        // Chained: each version starts from the memo of the one before.
        for (n, edited) in line_edits(source).iter().enumerate().step_by(7) {
            memo = assert_same(edited, Some(memo), &format!("chained edit {n}"));
        }
    }
}

#[test]
fn only_the_edited_function_is_interpreted_again() {
    let (_, memo) = incremental(PROGRAM, None);
    let (cold_replayed, cold_interpreted) = memo.stats();
    assert_eq!(cold_replayed, 0);
    assert!(cold_interpreted > 20, "{cold_interpreted}");
    let edited = PROGRAM.replace("cmd = cmd + \" -l\"", "cmd = cmd + \" -la\"");
    let (_, memo) = incremental(&edited, Some(memo));
    let (replayed, interpreted) = memo.stats();
    // `constant_only` in each of the three passes; everything else replayed.
    assert_eq!(interpreted, 3, "replayed {replayed}");
    assert_eq!(replayed, cold_interpreted - 3);
}

#[test]
fn a_changed_summary_reanalyses_its_callers() {
    let (facts, memo) = incremental(PROGRAM, None);
    let tainted_shell_calls = |facts: &Facts| {
        facts
            .calls_named("subprocess.call")
            .filter(|c| {
                c.positional(0)
                    .is_some_and(|a| a.value.taint.tainted_for(SinkKind::Command).is_some())
            })
            .count()
    };
    assert_eq!(tainted_shell_calls(&facts), 1);
    // `quote_nothing` now drops its argument: `build`'s summary changes, so `handler` passes
    // clean data to `run`, whose unchanged body must be analysed again.
    let edited = PROGRAM.replace(
        "    return value\n\n\ndef build",
        "    return \"\"\n\n\ndef build",
    );
    assert_ne!(edited, PROGRAM);
    let (facts, _) = incremental(&edited, Some(memo));
    assert_eq!(tainted_shell_calls(&facts), 0);
    assert!(facts == full(&edited));
}

#[test]
fn a_cache_of_another_text_is_harmless() {
    let (_, memo) = incremental("def f(x):\n    return x\n", None);
    assert_same(PROGRAM, Some(memo), "unrelated memo");
    let (_, memo) = incremental("", None);
    assert_same(PROGRAM, Some(memo), "empty memo");
}

#[test]
fn without_the_previous_facts_bodies_are_interpreted_in_the_record_pass() {
    let tree = parse_str(Language::Python, PROGRAM).expect("python parses");
    let (_, memo) = analyze_incremental(PROGRAM, &tree, &top_level(&tree), None);
    let edited = PROGRAM.replace("cmd = cmd + \" -l\"", "cmd = cmd + \" -la\"");
    let tree = parse_str(Language::Python, &edited).expect("python parses");
    let (facts, _) = analyze_incremental(&edited, &tree, &top_level(&tree), Some(memo));
    assert!(facts == full(&edited));
}

/// Replaces `delete` bytes at `start` (both moved out to character boundaries) with `snippet`.
fn replace_at(text: &mut String, mut start: usize, delete: usize, snippet: &str) {
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + delete).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    text.replace_range(start..end, snippet);
}

/// Snippets random edits insert: statements, tainting lines, new functions, broken syntax.
const SNIPPETS: &[&str] = &[
    "\n",
    " ",
    "x",
    "\nq = request.args['q']\n",
    "\n    os.system(cmd)\n",
    "\ndef extra(a):\n    return a\n",
    "\n    return request.form['z']\n",
    "(",
    "'",
    "\nBASE = ARG\n",
    "😀",
    "\r\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_edit_chains_match_a_full_analysis(
        edits in prop::collection::vec((0usize..10_000, 0usize..40, 0usize..SNIPPETS.len()), 1..6)
    ) {
        let mut text = PROGRAM.to_string();
        let mut memo = incremental(&text, None).1;
        for (at, delete, snippet) in edits {
            let start = at % (text.len() + 1);
            replace_at(&mut text, start, delete, SNIPPETS[snippet]);
            let (facts, next) = incremental(&text, Some(memo));
            prop_assert!(facts == full(&text), "differs after editing to\n{}", text);
            memo = next;
        }
    }
}

/// Found by the property test: an unclosed parenthesis makes error recovery parse an unchanged
/// function differently after an edit far below it, so broken definitions are never replayed.
#[test]
fn a_definition_with_a_walrus_runs_every_time() {
    // The walrus in `f`'s default binds `found` in the module; replaying `f` would not, and
    // the module-level call would lose its taint. `g` has no walrus and is replayed.
    let source = "import os\nfrom flask import request\n\n\
                  def f(a=(found := request.args[\"x\"])):\n    return a\n\n\
                  def g():\n    return 1\n\nos.system(found)\n";
    let (_, memo) = incremental(source, None);
    let edited = source.replace("return 1", "return 2");
    let memo = assert_same(&edited, Some(memo), "edit in g");
    // Per pass: `g` interpreted (its text changed); `f` runs unmemoised and uncounted (traced
    // for the dependents path, body included: the analysis keeps `g` as the hot definition).
    assert_eq!(memo.stats(), (0, 3));
    let memo = assert_same(source, Some(memo), "undo");
    assert_eq!(memo.stats(), (0, 3));
    let tainted = full(source)
        .calls
        .iter()
        .any(|c| c.name == "os.system" && c.args.iter().any(|a| a.value.taint.is_tainted()));
    assert!(tainted, "the walrus binding carries the request's taint");
}

#[test]
fn error_recovery_around_unchanged_text_is_not_replayed() {
    let mut text = PROGRAM.to_string();
    let mut memo = incremental(&text, None).1;
    for (at, delete) in [(7912usize, 6usize), (3518, 0), (0, 0)] {
        let start = at % (text.len() + 1);
        replace_at(&mut text, start, delete, "\n");
        memo = assert_same(&text, Some(memo), &format!("newline at {start}"));
    }
}

#[test]
fn a_view_returns_are_replayed_and_follow_its_class_bases() {
    let view = "from flask import request\nfrom flask.views import MethodView\n\n\n\
                class Page(MethodView):\n    def get(self):\n        \
                return \"<p>\" + request.args[\"q\"] + \"</p>\"\n\n\n\
                def other():\n    return 1\n";
    let returns = |facts: &Facts| {
        facts
            .stores
            .iter()
            .filter(|s| s.target == super::RETURN_TARGET)
            .count()
    };
    let (facts, memo) = incremental(view, None);
    assert_eq!(returns(&facts), 1, "the view's return is recorded");
    // An edit elsewhere: the class is replayed whole, its recorded return with it.
    let elsewhere = view.replace("return 1", "return 22");
    let (facts, memo) = incremental(&elsewhere, Some(memo));
    assert!(facts == full(&elsewhere));
    assert_eq!(returns(&facts), 1);
    assert!(memo.stats().0 > 0, "replayed {:?}", memo.stats());
    // Whether `get` is a route is decided by the class's bases, outside the method's text.
    let plain = elsewhere.replace("class Page(MethodView):", "class Page(object):");
    let memo = assert_same(&plain, Some(memo), "view → plain class");
    assert_eq!(returns(&full(&plain)), 0);
    assert_same(&elsewhere, Some(memo), "plain class → view");
}

/// Inserts `typed` at the end of the first occurrence of `anchor`, one character at a time,
/// checking each version against a full analysis; returns the memo and how many of the
/// analyses took the fast path.
fn type_after(text: &mut String, anchor: &str, typed: &str, mut memo: Memo) -> (Memo, usize) {
    let mut at = text.find(anchor).map(|i| i + anchor.len()).unwrap_or(0);
    let mut fast = 0;
    for c in typed.chars() {
        text.insert(at, c);
        at += c.len_utf8();
        memo = assert_same(text, Some(memo), &format!("typing {c:?} after {anchor:?}"));
        fast += usize::from(memo.fast());
    }
    (memo, fast)
}

#[test]
fn facts_before_the_edit_that_point_after_it_move() {
    // The store into `os.environ` and the `print` call come before `hot` and hold the origin of
    // the taint `helper` returns, which lies after `hot`: typing in `hot` moves it. (The fast
    // path leaves facts before the definition that point only before it as they are.)
    let mut text = "import os\n\nos.environ[\"R\"] = helper()\nprint(helper())\n\n\
                    def hot():\n    y = 1\n    os.system(\"ls\")\n\n\
                    def helper():\n    return os.environ[\"X\"]\n"
        .to_string();
    let memo = incremental(&text, None).1;
    let (memo, fast) = type_after(&mut text, "y = 1", "234", memo);
    assert_eq!(
        fast, 2,
        "the first keystroke finds the definition, the others are fast"
    );
    let (_, fast) = type_after(&mut text, "y = 1234", "\n    x = 5", memo);
    assert!(fast > 0);
}

#[test]
fn typing_inside_one_function_runs_only_that_function() {
    let mut text = PROGRAM.to_string();
    let memo = incremental(&text, None).1;
    // Every keystroke keeps the file valid; the first one finds the definition, the others
    // take the fast path (the string's value is no state any other statement reads).
    let (memo, fast) = type_after(&mut text, "cmd = \"ls", "-halt", memo);
    assert_eq!(fast, 4);
    assert_eq!(memo.stats(), (0, 3), "only `constant_only`, once per pass");
    // A tainting statement typed into the route handler. The general path takes the keystrokes
    // outside any definition (the new line and its indent, until `o` makes it the handler's),
    // and those that change what the handler passes on: `n` (error recovery reads the unclosed
    // call differently) and `)`. Keystrokes leaving a syntax error inside the handler (`os.`,
    // `os.system(`) stay on the fast path.
    let (memo, fast) = type_after(&mut text, "    later(ARG)", "\n    os.system(name)", memo);
    assert_eq!(fast, 12);
    // All seven, through `name +` (a syntax error) and `name + B` (an unknown name).
    let (memo, fast) = type_after(&mut text, "os.system(name", " + BASE", memo);
    assert_eq!(fast, 7);
    // An import inside the function changes the file's imports: the general path.
    let (memo, _) = type_after(
        &mut text,
        "os.system(name + BASE)",
        "\n    import shlex as os",
        memo,
    );
    assert!(!memo.fast());
    let (_, fast) = type_after(
        &mut text,
        "import shlex as os",
        "\n    os.quote(name)",
        memo,
    );
    assert!(fast > 0);
}

#[test]
fn a_changed_summary_runs_only_what_depends_on_it() {
    let mut text = PROGRAM.to_string();
    let memo = incremental(&text, None).1;
    // The first keystroke finds the definition; the second takes the fast path.
    let (memo, fast) = type_after(
        &mut text,
        "def quote_nothing(value):\n    return",
        "  ",
        memo,
    );
    assert_eq!(fast, 1);
    assert_eq!(memo.reran(), 0, "nothing it writes changed");
    // `quote_nothing` returns a constant: its summary changes, so `build`'s does, and the
    // handler calling `build` passes `run` something else. Only those run again: `build` and
    // the handler in every pass (both come after `quote_nothing`), `run` in the two later
    // passes (the index does not know that parameters read argument taint only in the record
    // pass) and `quote_nothing` itself in the two later passes: 10 of the 3 × 8 statements'
    // runs.
    text = text.replace("    return   value\n", "    return \"\"\n");
    let memo = assert_same(&text, Some(memo), "summary change");
    assert!(memo.fast());
    assert_eq!(memo.reran(), 10);
    // And back.
    text = text.replace("    return \"\"\n", "    return value\n");
    let memo = assert_same(&text, Some(memo), "summary change back");
    assert!(memo.fast());
    assert_eq!(memo.reran(), 10);
    // Renaming the function changes the name it binds: the general path. The fast path is
    // tried and fails after taking the hot definition's state; that state and the
    // interpreter's tables go to the collector.
    text = text.replace("def quote_nothing(", "def quote_nothin(");
    let collecting = crate::analysis::garbage::Collecting::start();
    let (facts, memo) = incremental(&text, Some(memo));
    let garbage = collecting.finish();
    assert!(facts == full(&text), "renamed");
    assert!(!memo.fast());
    // The failed fast path's state (with the previous memo's hot bodies merged back, its span
    // alone left) and the interpreter's tables.
    assert_eq!(garbage.len(), 3, "{garbage:?}");
}

/// Functions reading one another's summaries and argument taint in every order: callers above
/// and below their callees, a chain through three functions, methods, a class whose method
/// another function's summary reaches, and module-level code reading a summary.
const DEPENDENTS: &str = r#"import os
import subprocess
from flask import Flask, request

app = Flask(__name__)


def top_caller():
    return source_of() + "!"


def source_of():
    return "fixed"


def middle(value):
    return value


def chain(value):
    return middle(value)


def sink_user():
    subprocess.call(chain(source_of()), shell=True)
    os.system(top_caller())


class Holder:
    def get(self):
        return source_of()

    def run(self):
        os.system(self.get())


def passes_on(value):
    spread(request.args.get("p", ""))


def spread(value):
    os.system(value)


@app.route("/r")
def route():
    passes_on(request.args.get("q", ""))
    return middle(source_of())


MODULE_VALUE = top_caller()
"#;

#[test]
fn dependents_run_in_every_order_and_match_a_full_analysis() {
    let mut text = DEPENDENTS.to_string();
    let memo = incremental(&text, None).1;
    let (memo, _) = type_after(&mut text, "    return \"fixed", "x", memo);
    // `source_of` now returns request data: read above it (`top_caller`, in the second pass),
    // below it, through a method, through `chain` and `middle`... and by module-level code,
    // which the dependents path never runs again: `top_caller`'s summary changes in the second
    // pass, which `MODULE_VALUE = top_caller()` read. The general path.
    text = text.replace("return \"fixedx\"", "return request.args[\"a\"]");
    let memo = assert_same(&text, Some(memo), "source_of tainted");
    assert!(!memo.fast());
    // Without the module-level reader, the same edit and back are on the dependents path.
    text = text.replace("MODULE_VALUE = top_caller()\n", "");
    let memo = assert_same(&text, Some(memo), "module-level reader removed");
    let (memo, _) = type_after(&mut text, "return request.args[\"a", "b", memo);
    text = text.replace("return request.args[\"ab\"]", "return \"fixed\"");
    let memo = assert_same(&text, Some(memo), "source_of clean");
    assert!(memo.fast());
    assert!(memo.reran() > 0);
    text = text.replace("return \"fixed\"", "return request.args[\"a\"]");
    let memo = assert_same(&text, Some(memo), "source_of tainted again");
    assert!(memo.fast());
    assert!(memo.reran() > 0);
    // Argument taint: `passes_on` stops passing request data to `spread`, and starts again.
    let (memo, _) = type_after(&mut text, "def passes_on(value):\n", "    x = 1\n", memo);
    let tainted = "    spread(request.args.get(\"p\", \"\"))\n";
    text = text.replace(tainted, "    spread(\"v\")\n");
    let memo = assert_same(&text, Some(memo), "passes_on passes a constant");
    assert!(memo.fast());
    assert!(memo.reran() > 0);
    text = text.replace("    spread(\"v\")\n", tainted);
    let memo = assert_same(&text, Some(memo), "passes_on passes request data");
    assert!(memo.fast());
    assert!(memo.reran() > 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Edit chains inside functions that others depend on, from snippets that change what the
    /// function returns or passes on (or break the syntax): every analysis is a full one's.
    #[test]
    fn edit_chains_changing_summaries_match_a_full_analysis(
        edits in prop::collection::vec(
            (0usize..5, 0usize..40, 0usize..8, 0usize..RETURNS.len()), 1..12
        )
    ) {
        const ANCHORS: [&str; 5] = [
            "def source_of():\n",
            "def middle(value):\n",
            "    def get(self):\n",
            "def passes_on(value):\n",
            "def top_caller():\n",
        ];
        edit_chain_matches_a_full_analysis(DEPENDENTS, &ANCHORS, RETURNS, &edits)?;
    }
}

/// Applies `edits` to `program` one at a time — each (anchor, offset after it, bytes deleted,
/// snippet inserted) — checking every incremental analysis against a full one.
fn edit_chain_matches_a_full_analysis(
    program: &str,
    anchors: &[&str],
    snippets: &[&str],
    edits: &[(usize, usize, usize, usize)],
) -> Result<(), TestCaseError> {
    let mut text = program.to_string();
    let mut memo = incremental(&text, None).1;
    for &(anchor, offset, delete, snippet) in edits {
        let Some(base) = text.find(anchors[anchor]) else {
            continue;
        };
        let start = (base + anchors[anchor].len() + offset).min(text.len());
        replace_at(&mut text, start, delete, snippets[snippet]);
        let (facts, next) = incremental(&text, Some(memo));
        prop_assert!(facts == full(&text), "differs after editing to\n{}", text);
        memo = next;
    }
    Ok(())
}

/// Snippets for [`edit_chains_changing_summaries_match_a_full_analysis`].
const RETURNS: &[&str] = &[
    "    return request.args['q']\n",
    "    return \"\"\n",
    "    return value\n",
    "    spread(value)\n",
    "    spread(request.form['f'])\n",
    "x",
    "(",
    "\n",
    " + value",
];

#[test]
fn moving_to_another_function_switches_the_hot_one() {
    let mut text = PROGRAM.to_string();
    let memo = incremental(&text, None).1;
    let (memo, fast) = type_after(&mut text, "cmd = \"ls", "abc", memo);
    assert_eq!(fast, 2);
    // Another function, above (only definitions between the two): it becomes the hot one
    // without a general analysis; only it is interpreted, once per pass.
    let (memo, fast) = type_after(&mut text, "return \"ls ", "x", memo);
    assert_eq!(fast, 1);
    assert_eq!(memo.stats(), (0, 3));
    let (memo, fast) = type_after(&mut text, "return \"ls x", "yz", memo);
    assert_eq!(fast, 2);
    // And below again.
    let (_, fast) = type_after(&mut text, "cmd = \"lsabc", "d", memo);
    assert_eq!(fast, 1);
}

#[test]
fn a_switch_starts_from_the_state_where_the_definition_starts() {
    // From `quote_nothing` down to `build`, which reads what `quote_nothing` writes; down to
    // the handler: `run` and `Service` write their summaries between the two, and the handler
    // reads them; from there up to `build` again. A keystroke that changes nothing the
    // definition writes runs nothing else: its outputs from the state built for it are the
    // ones recorded.
    let mut text = PROGRAM.to_string();
    let memo = incremental(&text, None).1;
    let (memo, _) = type_after(
        &mut text,
        "def quote_nothing(value):\n    return",
        " ",
        memo,
    );
    let (memo, fast) = type_after(&mut text, "prefix = \"echo \"", " ", memo);
    assert_eq!(fast, 1);
    assert_eq!(memo.reran(), 0);
    let (memo, fast) = type_after(&mut text, "service = Service()", " ", memo);
    assert_eq!(fast, 1);
    assert_eq!(memo.reran(), 0);
    let (memo, fast) = type_after(&mut text, "prefix = \"echo \" ", " ", memo);
    assert_eq!(fast, 1);
    assert_eq!(memo.reran(), 0);
    let (memo, fast) = type_after(&mut text, "service = Service() ", " ", memo);
    assert_eq!(fast, 1);
    assert_eq!(memo.reran(), 0);
}

#[test]
fn switching_across_module_level_code_takes_the_general_path() {
    // `X = a()` binds a name the trace has no value for.
    let mut text = "def a():\n    return 1\n\nX = a()\n\ndef b():\n    return 2\n".to_string();
    let memo = incremental(&text, None).1;
    let (memo, _) = type_after(&mut text, "return 1", "0", memo);
    let (memo, fast) = type_after(&mut text, "return 2", "0", memo);
    assert_eq!(fast, 0);
    // Between definitions only, it switches.
    text.push_str("\ndef c():\n    return 3\n");
    let memo = assert_same(&text, Some(memo), "c added");
    let (memo, _) = type_after(&mut text, "return 20", "0", memo);
    let (_, fast) = type_after(&mut text, "return 3", "0", memo);
    assert_eq!(fast, 1);
}

#[test]
fn a_switch_sees_the_names_definitions_between_unbind() {
    // `helper` is bound to request data until `def helper` unbinds it: `early`'s default is
    // tainted, `late`'s is not. Switching from one to the other (either way) across that
    // definition must see the binding as it is where the edited one starts.
    let mut text = "import os\nfrom flask import request\n\nhelper = request.args[\"h\"]\n\n\
                    def early(x=helper):\n    os.system(x)\n\n\
                    def helper():\n    return \"x\"\n\n\
                    def late(x=helper):\n    os.system(x)\n"
        .to_string();
    let memo = incremental(&text, None).1;
    let (memo, _) = type_after(&mut text, "os.system(x", " ", memo);
    let (memo, fast) = type_after(&mut text, "def late(x=helper):\n    os.system(x", " ", memo);
    assert_eq!(fast, 1);
    let (_, fast) = type_after(
        &mut text,
        "def early(x=helper):\n    os.system(x",
        " ",
        memo,
    );
    assert_eq!(fast, 1);
}

#[test]
fn summaries_change_after_switching_in_both_directions() {
    let mut text = DEPENDENTS.replace("MODULE_VALUE = top_caller()\n", "");
    let memo = incremental(&text, None).1;
    let (memo, _) = type_after(&mut text, "    return \"fixed", "x", memo);
    // Below: `middle` returns a constant (its callers run again), then its parameter again.
    let (memo, fast) = type_after(&mut text, "def middle(value):\n    return value", "s", memo);
    assert_eq!(fast, 1, "the switch and the keystroke in one");
    text = text.replace("    return values\n", "    return \"m\"\n");
    let memo = assert_same(&text, Some(memo), "middle returns a constant");
    assert!(memo.fast());
    assert!(memo.reran() > 0);
    // Above: `top_caller` returns request data.
    let (memo, fast) = type_after(
        &mut text,
        "def top_caller():\n    return source_of()",
        " ",
        memo,
    );
    assert_eq!(fast, 1);
    text = text.replace(
        "    return source_of()  + \"!\"\n",
        "    return request.args[\"t\"]\n",
    );
    let memo = assert_same(&text, Some(memo), "top_caller returns request data");
    assert!(memo.fast());
    assert!(memo.reran() > 0);
    // And down to `source_of` between them, which both read.
    let (memo, fast) = type_after(&mut text, "    return \"fixedx", "y", memo);
    assert_eq!(fast, 1);
    text = text.replace(
        "    return \"fixedxy\"\n",
        "    return request.args[\"s\"]\n",
    );
    let memo = assert_same(&text, Some(memo), "source_of returns request data");
    assert!(memo.fast());
    assert!(memo.reran() > 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Edits that stay in one or two functions (where the fast path applies, or stops applying),
    /// from snippets that keep or break the syntax.
    #[test]
    fn edit_chains_inside_functions_match_a_full_analysis(
        edits in prop::collection::vec(
            (0usize..4, 0usize..60, 0usize..6, 0usize..SNIPPETS.len()), 1..10
        )
    ) {
        const ANCHORS: [&str; 4] =
            ["def handler(name):\n", "def build(cmd):\n", "def clean(self):\n", "def later(value):\n"];
        edit_chain_matches_a_full_analysis(PROGRAM, &ANCHORS, SNIPPETS, &edits)?;
    }
}

#[test]
fn keystrokes_and_undos_across_every_fixture_match_a_full_analysis() {
    // At every second indented line of every Python fixture, in turn: a keystroke, a new line
    // or a comment, then the original text again, so the hot definition keeps switching (and
    // the text keeps returning to what the last general analysis saw).
    let mut switched = 0;
    for (path, original) in crate::test_support::python_fixtures() {
        let mut memo = incremental(&original, None).1;
        for at in crate::test_support::every_second_indented_line(&original) {
            for typed in crate::test_support::KEYSTROKES {
                let mut edited = original.clone();
                edited.insert_str(at, typed);
                for text in [&edited, &original] {
                    memo = assert_same(text, Some(memo), &format!("{}", path.display()));
                    switched += usize::from(memo.fast());
                }
            }
        }
    }
    assert!(switched > 1000, "only {switched} analyses on the fast path");
}
