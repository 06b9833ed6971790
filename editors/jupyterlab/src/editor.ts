/**
 * The CodeMirror 6 extension added to every editor (notebook cells and files): it underlines the
 * findings of the document the editor shows, keeps them in place while the text changes, and
 * shows the finding card on hover.
 */
import { Extension, Text } from '@codemirror/state';
import { Decoration, DecorationSet, EditorView, hoverTooltip, ViewPlugin, ViewUpdate } from '@codemirror/view';
import { CodeEditor } from '@jupyterlab/codeeditor';

import { findingCard, MarkdownRenderer } from './card';
import { CodewardClient } from './client';
import { lineStarts, rangeOffsets, severityOf } from './mapping';
import { FindingsStore, IDiagnostic } from './store';

/** The findings of `diagnostics` as decorations in `doc`. */
function decorations(doc: Text, diagnostics: IDiagnostic[]): DecorationSet {
  if (diagnostics.length === 0) {
    return Decoration.none;
  }
  const text = doc.toString();
  const starts = lineStarts(text);
  const ranges = diagnostics.map((d) => {
    let [from, to] = rangeOffsets(text, d.range, starts);
    if (from === to) {
      // an empty range still needs a visible mark: the character after it (or before, at the end)
      if (to < text.length) {
        to++;
      } else if (from > 0) {
        from--;
      }
    }
    const severity = severityOf(d).toLowerCase();
    return Decoration.mark({
      class: `cw-finding cw-finding-${severity}`,
      attributes: { 'data-codeward-rule': String(d.data?.ruleId ?? d.code ?? '') }
    }).range(from, Math.max(from, to));
  });
  return Decoration.set(
    ranges.filter((r) => r.from < r.to),
    true
  );
}

/** The diagnostics of `store` for `model` whose (current) range covers `pos`. */
function findingsAt(store: FindingsStore, model: CodeEditor.IModel, doc: Text, pos: number): IDiagnostic[] {
  const target = store.targetOfModel(model);
  if (!target) {
    return [];
  }
  const text = doc.toString();
  const starts = lineStarts(text);
  return store.get(target.uri).filter((d) => {
    const [from, to] = rangeOffsets(text, d.range, starts);
    return from <= pos && pos <= Math.max(to, from + 1);
  });
}

/** The extension for the editor of `model`. */
export function findingsExtension(model: CodeEditor.IModel, client: CodewardClient, render: MarkdownRenderer): Extension {
  const store = client.store;
  const underline = ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      private readonly onChanged = (_: FindingsStore, uri: string) => {
        const target = store.targetOfModel(model);
        if (target && target.uri !== uri) {
          return;
        }
        this.decorations = decorations(this.view.state.doc, target ? store.get(target.uri) : []);
        this.redraw();
      };

      constructor(readonly view: EditorView) {
        const target = store.targetOfModel(model);
        this.decorations = decorations(view.state.doc, target ? store.get(target.uri) : []);
        store.changed.connect(this.onChanged);
      }

      update(update: ViewUpdate) {
        if (update.docChanged) {
          this.decorations = this.decorations.map(update.changes);
        }
      }

      /** Makes the view read the new decorations (never inside another update). */
      private redraw() {
        const view = this.view;
        setTimeout(() => {
          if (view.dom.isConnected || view.state) {
            view.dispatch({});
          }
        }, 0);
      }

      destroy() {
        store.changed.disconnect(this.onChanged);
      }
    },
    { decorations: (v) => v.decorations }
  );
  const hover = hoverTooltip(
    (view, pos) => {
      const found = findingsAt(store, model, view.state.doc, pos);
      const target = store.targetOfModel(model);
      if (found.length === 0 || !target) {
        return null;
      }
      const text = view.state.doc.toString();
      const [from, to] = rangeOffsets(text, found[0].range);
      return {
        pos: from,
        end: Math.max(to, from),
        above: true,
        create: () => ({ dom: findingCard(client, target, found, render) })
      };
    },
    { hoverTime: 300 }
  );
  return [underline, hover];
}
