/**
 * Pure helpers shared by the extension and its unit tests (no JupyterLab imports): LSP
 * positions <-> offsets in a cell's text, applying LSP text edits, the cell-list diff sent as a
 * notebook structure change, URIs of notebooks and cells, and finding severities.
 */

/** An LSP position (UTF-16 code units, which is also what CodeMirror and JS strings count). */
export interface Position {
  line: number;
  character: number;
}

/** An LSP range. */
export interface Range {
  start: Position;
  end: Position;
}

/** An LSP text edit. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** The offset of the start of each line of `text` (`\n`, `\r\n` and `\r` end a line). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      starts.push(i + 1);
    } else if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) {
        i++;
      }
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The end of line `line` (before its line break). */
function lineEnd(text: string, starts: number[], line: number): number {
  let end = line + 1 < starts.length ? starts[line + 1] : text.length;
  if (end > starts[line] && text.charCodeAt(end - 1) === 10) {
    end--;
  }
  if (end > starts[line] && text.charCodeAt(end - 1) === 13) {
    end--;
  }
  return end;
}

/**
 * The offset of `pos` in `text`, clamped like LSP says: a line past the end means the end of the
 * text, a character past the end of its line means the end of that line.
 */
export function offsetAt(text: string, pos: Position, starts = lineStarts(text)): number {
  if (pos.line < 0) {
    return 0;
  }
  if (pos.line >= starts.length) {
    return text.length;
  }
  const start = starts[pos.line];
  const end = lineEnd(text, starts, pos.line);
  return Math.min(start + Math.max(0, pos.character), end);
}

/** The position of `offset` in `text` (clamped to the text). */
export function positionAt(text: string, offset: number, starts = lineStarts(text)): Position {
  const at = Math.max(0, Math.min(offset, text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= at) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  const end = lineEnd(text, starts, lo);
  return { line: lo, character: Math.min(at, end) - starts[lo] };
}

/** `range` as `[from, to]` offsets in `text` (`from <= to`). */
export function rangeOffsets(text: string, range: Range, starts = lineStarts(text)): [number, number] {
  const a = offsetAt(text, range.start, starts);
  const b = offsetAt(text, range.end, starts);
  return a <= b ? [a, b] : [b, a];
}

/** One replacement in offsets, as the editor's shared model applies it. */
export interface Splice {
  from: number;
  to: number;
  insert: string;
}

/**
 * LSP `edits` (all against the same original `text`) as splices, last first, so applying them in
 * order keeps the earlier offsets valid. Overlapping edits are an error (LSP forbids them).
 */
export function editsToSplices(text: string, edits: TextEdit[]): Splice[] {
  const starts = lineStarts(text);
  const splices = edits
    .map((e, i) => {
      const [from, to] = rangeOffsets(text, e.range, starts);
      return { from, to, insert: e.newText, i };
    })
    // by position; edits at the same offset keep their order (LSP: inserted in array order)
    .sort((a, b) => a.from - b.from || a.to - b.to || a.i - b.i);
  for (let k = 1; k < splices.length; k++) {
    if (splices[k].from < splices[k - 1].to) {
      throw new Error(`overlapping text edits at offsets ${splices[k - 1].from}-${splices[k - 1].to} and ${splices[k].from}-${splices[k].to}`);
    }
  }
  return splices.reverse().map(({ from, to, insert }) => ({ from, to, insert }));
}

/** `text` with LSP `edits` applied. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const s of editsToSplices(text, edits)) {
    out = out.slice(0, s.from) + s.insert + out.slice(s.to);
  }
  return out;
}

/**
 * The smallest splice turning the cell list `before` into `after` (cell ids in order): the
 * `notebookDocument/didChange` `structure.array` change, with the ids it opens and closes. Cells
 * in both lists (a move) are neither opened nor closed. `null` when nothing changed.
 */
export function diffCells(
  before: string[],
  after: string[]
): { start: number; deleteCount: number; cells: string[]; opened: string[]; closed: string[] } | null {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) {
    start++;
  }
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  if (start === endBefore && start === endAfter) {
    return null;
  }
  const keep = new Set(after);
  const had = new Set(before);
  const cells = after.slice(start, endAfter);
  return {
    start,
    deleteCount: endBefore - start,
    cells,
    opened: cells.filter((id) => !had.has(id)),
    closed: before.slice(start, endBefore).filter((id) => !keep.has(id))
  };
}

/**
 * The URI of a document at `path` (relative to the Jupyter server's root) given the server's
 * `rootUri` (`file:///...`, from jupyter-lsp's page config).
 */
export function documentUri(rootUri: string, path: string): string {
  const root = rootUri.replace(/\/+$/, '');
  const rel = path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => encodeURIComponent(s))
    .join('/');
  return rel ? `${root}/${rel}` : root;
}

/** The URI scheme of notebook cells (like VS Code's `vscode-notebook-cell`). */
export const CELL_SCHEME = 'jupyterlab-notebook-cell';

/** The URI of the cell with id `cellId` in the notebook at `notebookUri`. */
export function cellUri(notebookUri: string, cellId: string): string {
  const path = notebookUri.replace(/^file:\/\//, '');
  return `${CELL_SCHEME}://${path}#${encodeURIComponent(cellId)}`;
}

/** Codeward's finding severities, most severe first. */
export const SEVERITIES = ['Critical', 'High', 'Medium', 'Low', 'Info'] as const;

/** One of [`SEVERITIES`]. */
export type Severity = (typeof SEVERITIES)[number];

/** The LSP severity (1 error .. 4 hint) Codeward uses for each of its severities. */
const LSP_LEVEL: Record<Severity, number> = { Critical: 1, High: 1, Medium: 2, Low: 3, Info: 4 };

/**
 * The Codeward severity of a diagnostic: `data.severity` when the server sent it, else the
 * most severe one that maps to its LSP severity.
 */
export function severityOf(diagnostic: { severity?: number; data?: unknown }): Severity {
  const data = diagnostic.data as { severity?: unknown } | undefined;
  const named = typeof data?.severity === 'string' ? data.severity : undefined;
  const known = SEVERITIES.find((s) => s.toLowerCase() === named?.toLowerCase());
  if (known) {
    return known;
  }
  return SEVERITIES.find((s) => LSP_LEVEL[s] === (diagnostic.severity ?? 4)) ?? 'Info';
}

/** Sort key: lower is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
