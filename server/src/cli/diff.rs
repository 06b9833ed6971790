//! A unified diff of whole-line hunks with three lines of context, computed from known edits
//! (no line-matching algorithm is needed: the changed lines are exactly those the edits touch).
//!
//! The output applies with `patch -p1` and `git apply` from the directory the paths are relative
//! to: headers are `--- a/PATH` / `+++ b/PATH`, a last line without a line break is followed by
//! `\ No newline at end of file`.

use std::fmt::Write as _;
use std::ops::Range;

use codeward::finding::Edit;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// One run of consecutive changed lines: old lines `old` (0-based, end exclusive) become `new`.
struct Block {
    old: Range<usize>,
    new: Vec<String>,
}

/// The unified diff turning `old` into the result of `edits` (sorted, non-overlapping, on
/// character boundaries), or an empty string when nothing changes. `None` if an edit is out of
/// range or not on a character boundary. The headers name `path` under `a/` and `b/`; an absolute
/// path loses its leading `/` there, as in `git diff --no-index` (`a/tmp/x.py`, which `patch -p1`
/// applies from `/`, not `a//tmp/x.py`).
pub fn unified(path: &str, old: &str, edits: &[Edit]) -> Option<String> {
    let lines: Vec<&str> = old.split_inclusive('\n').collect();
    let mut starts = Vec::with_capacity(lines.len() + 1);
    let mut offset = 0;
    for line in &lines {
        starts.push(offset);
        offset += line.len();
    }
    starts.push(offset);
    let line_of = |at: usize| match starts.binary_search(&at) {
        Ok(i) => i,
        Err(i) => i - 1,
    };

    let mut blocks: Vec<(Range<usize>, Vec<&Edit>)> = Vec::new();
    for edit in edits {
        if edit.range.end > old.len() || edit.range.start > edit.range.end {
            return None;
        }
        let first = line_of(edit.range.start).min(lines.len().saturating_sub(1));
        let last = if edit.range.end > edit.range.start {
            line_of(edit.range.end - 1)
        } else {
            first
        };
        let lines_touched = first.min(lines.len())..(last + 1).min(lines.len());
        match blocks.last_mut() {
            Some((range, group)) if lines_touched.start <= range.end => {
                range.end = range.end.max(lines_touched.end);
                group.push(edit);
            }
            _ => blocks.push((lines_touched, vec![edit])),
        }
    }

    let mut changed = Vec::new();
    for (range, group) in blocks {
        let base = starts.get(range.start).copied().unwrap_or(old.len());
        let end = starts.get(range.end).copied().unwrap_or(old.len());
        let text = old.get(base..end)?;
        let local: Vec<Edit> = group
            .iter()
            .map(|e| {
                Edit::replace(
                    e.range.start - base..e.range.end - base,
                    e.replacement.clone(),
                )
            })
            .collect();
        let replaced = codeward::finding::apply_edits(text, &local)?;
        if replaced == text {
            continue;
        }
        // Lines the edits left as they were (an insertion at a line start) are context.
        let mut new: Vec<String> = replaced.split_inclusive('\n').map(str::to_string).collect();
        let mut old_range = range;
        while old_range.start < old_range.end
            && new.last().is_some_and(|l| l == lines[old_range.end - 1])
        {
            old_range.end -= 1;
            new.pop();
        }
        while old_range.start < old_range.end
            && new.first().is_some_and(|l| l == lines[old_range.start])
        {
            old_range.start += 1;
            new.remove(0);
        }
        changed.push(Block {
            old: old_range,
            new,
        });
    }
    if changed.is_empty() {
        return Some(String::new());
    }

    let header = path.trim_start_matches('/');
    let mut out = format!("--- a/{header}\n+++ b/{header}\n");
    let mut delta: isize = 0;
    let mut i = 0;
    while i < changed.len() {
        // Blocks whose contexts touch share a hunk.
        let mut j = i;
        while j + 1 < changed.len() && changed[j + 1].old.start <= changed[j].old.end + 2 * CONTEXT
        {
            j += 1;
        }
        let start = changed[i].old.start.saturating_sub(CONTEXT);
        let end = (changed[j].old.end + CONTEXT).min(lines.len());
        let mut body = String::new();
        let mut old_count = 0;
        let mut new_count = 0;
        let mut at = start;
        for block in &changed[i..=j] {
            for line in &lines[at..block.old.start] {
                push_line(&mut body, ' ', line);
                old_count += 1;
                new_count += 1;
            }
            for line in &lines[block.old.clone()] {
                push_line(&mut body, '-', line);
                old_count += 1;
            }
            for line in &block.new {
                push_line(&mut body, '+', line);
                new_count += 1;
            }
            at = block.old.end;
        }
        for line in &lines[at..end] {
            push_line(&mut body, ' ', line);
            old_count += 1;
            new_count += 1;
        }
        let new_start = isize::try_from(start).unwrap_or(0) + delta;
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            header_range(start, old_count),
            header_range(usize::try_from(new_start).unwrap_or(0), new_count)
        );
        out.push_str(&body);
        delta += isize::try_from(new_count).unwrap_or(0) - isize::try_from(old_count).unwrap_or(0);
        i = j + 1;
    }
    Some(out)
}

/// `start,count` with a 1-based start; an empty range names the line before it.
fn header_range(start: usize, count: usize) -> String {
    if count == 0 {
        format!("{start},0")
    } else {
        format!("{},{count}", start + 1)
    }
}

fn push_line(out: &mut String, sign: char, line: &str) {
    out.push(sign);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_change_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let at = old.find('5').expect("5");
        let diff = unified("f.txt", old, &[Edit::replace(at..at + 1, "five")]).expect("diff");
        assert_eq!(
            diff,
            "--- a/f.txt\n+++ b/f.txt\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn inserted_lines_shift_later_hunks_and_missing_final_newline_is_marked() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl";
        let edits = [
            Edit::insert(0, "new\n"),
            Edit::replace(old.len() - 1..old.len(), "L"),
        ];
        let diff = unified("x", old, &edits).expect("diff");
        assert!(
            diff.contains("@@ -1,3 +1,4 @@\n+new\n a\n b\n c\n@@"),
            "{diff}"
        );
        assert!(
            diff.contains("@@ -9,4 +10,4 @@\n i\n j\n k\n-l\n\\ No newline at end of file\n+L\n\\ No newline at end of file\n"),
            "{diff}"
        );
    }

    #[test]
    fn an_absolute_path_is_named_without_its_leading_slash() {
        let diff = unified("/tmp/f.txt", "a\n", &[Edit::replace(0..1, "b")]).expect("diff");
        assert!(
            diff.starts_with("--- a/tmp/f.txt\n+++ b/tmp/f.txt\n@@ -1,1 +1,1 @@\n-a\n+b\n"),
            "{diff}"
        );
    }

    #[test]
    fn nothing_to_change_is_empty_and_bad_edits_are_refused() {
        assert_eq!(unified("x", "a\n", &[]).as_deref(), Some(""));
        assert_eq!(unified("x", "a\n", &[Edit::replace(0..9, "b")]), None);
    }
}
