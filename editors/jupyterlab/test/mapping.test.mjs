// Unit tests of the cell/offset mapping (src/mapping.ts, compiled to lib/): node --test test/
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  applyEdits, cellUri, diffCells, documentUri, editsToSplices, lineStarts, offsetAt, positionAt,
  rangeOffsets, severityOf, severityRank
} from '../lib/mapping.js';

const pos = (line, character) => ({ line, character });
const range = (l1, c1, l2, c2) => ({ start: pos(l1, c1), end: pos(l2, c2) });

test('line starts for \\n, \\r\\n and \\r line ends', () => {
  assert.deepEqual(lineStarts(''), [0]);
  assert.deepEqual(lineStarts('a\nbc\n'), [0, 2, 5]);
  assert.deepEqual(lineStarts('a\r\nb\rc'), [0, 3, 5]);
});

test('offsets and positions round-trip on every offset', () => {
  for (const text of ['import os\nos.system(x)\n', 'x = "é😀"\r\ny = 1', '', '\n\n', 'no newline']) {
    for (let i = 0; i <= text.length; i++) {
      const p = positionAt(text, i);
      // a surrogate pair or a \r\n is one place for LSP only between its halves; CodeMirror never puts a cursor there
      const back = offsetAt(text, p);
      const inCrlf = text[i - 1] === '\r' && text[i] === '\n';
      assert.equal(back, inCrlf ? i - 1 : i, `offset ${i} of ${JSON.stringify(text)} -> ${JSON.stringify(p)}`);
    }
  }
});

test('UTF-16 columns: an astral character counts two', () => {
  const text = 'a😀b = md5(x)';
  assert.equal(offsetAt(text, pos(0, 3)), 3);
  assert.equal(text.slice(offsetAt(text, pos(0, 3)), offsetAt(text, pos(0, 4))), 'b');
  assert.deepEqual(positionAt(text, text.indexOf('md5')), pos(0, 7));
});

test('positions past the end clamp like LSP says', () => {
  const text = 'ab\ncd\n';
  assert.equal(offsetAt(text, pos(0, 99)), 2, 'past the end of a line: its end, not the next line');
  assert.equal(offsetAt(text, pos(1, 99)), 5);
  assert.equal(offsetAt(text, pos(9, 0)), text.length, 'past the last line: the end');
  assert.equal(offsetAt(text, pos(-1, 3)), 0);
  assert.equal(offsetAt('a\r\nb', pos(0, 5)), 1, 'the end of a CRLF line is before the \\r');
  assert.deepEqual(positionAt(text, 999), pos(2, 0));
});

test('ranges come out ordered', () => {
  const text = 'h = hashlib.md5(data)\n';
  assert.deepEqual(rangeOffsets(text, range(0, 15, 0, 4)), [4, 15]);
  assert.equal(text.slice(...rangeOffsets(text, range(0, 4, 0, 15))), 'hashlib.md5');
});

test('edits apply last first, in one cell', () => {
  const cell = 'def digest(data):\n    h = hashlib.md5(data)\n    return h.hexdigest()\n';
  const fixed = applyEdits(cell, [
    { range: range(1, 16, 1, 19), newText: 'sha256' },
    { range: range(0, 0, 0, 0), newText: '# fixed\n' }
  ]);
  assert.equal(fixed, '# fixed\ndef digest(data):\n    h = hashlib.sha256(data)\n    return h.hexdigest()\n');
  const splices = editsToSplices(cell, [
    { range: range(0, 0, 0, 0), newText: 'a' },
    { range: range(1, 4, 1, 5), newText: 'b' }
  ]);
  assert.ok(splices[0].from > splices[1].from, 'the later splice comes first');
});

test('inserts at the same place keep their order; overlapping edits are refused', () => {
  assert.equal(applyEdits('x', [{ range: range(0, 0, 0, 0), newText: '1' }, { range: range(0, 0, 0, 0), newText: '2' }]), '12x');
  assert.throws(() => applyEdits('abcdef', [{ range: range(0, 0, 0, 3), newText: '' }, { range: range(0, 2, 0, 4), newText: '' }]), /overlapping/);
});

test('cell list diffs: add, remove, move, replace, nothing', () => {
  assert.equal(diffCells(['a', 'b'], ['a', 'b']), null);
  assert.deepEqual(diffCells(['a', 'b'], ['a', 'x', 'b']), { start: 1, deleteCount: 0, cells: ['x'], opened: ['x'], closed: [] });
  assert.deepEqual(diffCells(['a', 'b', 'c'], ['a', 'c']), { start: 1, deleteCount: 1, cells: [], opened: [], closed: ['b'] });
  // a move is a splice whose cells are neither opened nor closed
  assert.deepEqual(diffCells(['a', 'b', 'c'], ['b', 'a', 'c']), { start: 0, deleteCount: 2, cells: ['b', 'a'], opened: [], closed: [] });
  assert.deepEqual(diffCells(['a'], []), { start: 0, deleteCount: 1, cells: [], opened: [], closed: ['a'] });
  assert.deepEqual(diffCells([], ['a']), { start: 0, deleteCount: 0, cells: ['a'], opened: ['a'], closed: [] });
  // replacing the lists' middle: the splice covers only what changed
  assert.deepEqual(diffCells(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd']), { start: 1, deleteCount: 1, cells: ['x'], opened: ['x'], closed: ['b'] });
});

test('applying a diff to the old list gives the new one', () => {
  const lists = [[], ['a'], ['a', 'b', 'c'], ['c', 'b', 'a'], ['b', 'd'], ['d', 'a', 'e', 'b']];
  for (const before of lists) {
    for (const after of lists) {
      const d = diffCells(before, after);
      const out = [...before];
      if (d) out.splice(d.start, d.deleteCount, ...d.cells);
      assert.deepEqual(out, after, `${before} -> ${after}`);
    }
  }
});

test('URIs of files, notebooks and cells', () => {
  assert.equal(documentUri('file:///home/me', 'my notes/a#1.ipynb'), 'file:///home/me/my%20notes/a%231.ipynb');
  assert.equal(documentUri('file:///srv/nb/', 'sub dir/x.ipynb'), 'file:///srv/nb/sub%20dir/x.ipynb');
  assert.equal(documentUri('file:///srv/nb', ''), 'file:///srv/nb');
  assert.equal(cellUri('file:///srv/nb/x.ipynb', 'cell 1/é'), 'jupyterlab-notebook-cell:///srv/nb/x.ipynb#cell%201%2F%C3%A9');
});

test('severities: from data when sent, else from the LSP level; ranked most severe first', () => {
  assert.equal(severityOf({ severity: 1, data: { severity: 'Critical' } }), 'Critical');
  assert.equal(severityOf({ severity: 1, data: { severity: 'high' } }), 'High');
  assert.equal(severityOf({ severity: 1 }), 'Critical');
  assert.equal(severityOf({ severity: 2 }), 'Medium');
  assert.equal(severityOf({ severity: 3, data: { severity: 42 } }), 'Low');
  assert.equal(severityOf({}), 'Info');
  assert.ok(severityRank('Critical') < severityRank('High') && severityRank('Low') < severityRank('Info'));
});
