/**
 * Keeps the server's copy of open Python notebooks (LSP 3.17 `notebookDocument/*`) and Python
 * files (`textDocument/*`) in step with JupyterLab, and registers every cell and file in the
 * findings store so findings can be drawn, listed and fixed.
 */
import { Cell, ICellModel } from '@jupyterlab/cells';
import { CodeEditor } from '@jupyterlab/codeeditor';
import { IDocumentWidget } from '@jupyterlab/docregistry';
import { FileEditor } from '@jupyterlab/fileeditor';
import { NotebookPanel } from '@jupyterlab/notebook';
import { IDisposable } from '@lumino/disposable';

import { CodewardClient, ISyncedDocument } from './client';
import { cellUri, diffCells } from './mapping';
import { IDocTarget } from './store';

/** How long typing must pause before the changed text is sent (the server debounces scans too). */
const SEND_DELAY_MS = 150;

/** LSP `NotebookCellKind`. */
const MARKUP = 1;
const CODE = 2;

interface ITrackedCell {
  id: string;
  uri: string;
  kind: number;
  version: number;
  model: ICellModel;
}

/** Whether a notebook's kernel language is Python (notebooks without metadata count as Python). */
export function isPythonNotebook(panel: NotebookPanel): boolean {
  const model = panel.content.model;
  if (!model) {
    return false;
  }
  const info = model.getMetadata('language_info') as { name?: string } | undefined;
  const spec = model.getMetadata('kernelspec') as { language?: string } | undefined;
  const language = info?.name ?? spec?.language ?? 'python';
  return language.toLowerCase() === 'python';
}

/** A Python notebook kept open on the server. */
export class NotebookSync implements ISyncedDocument, IDisposable {
  private _uri: string;
  private version = 0;
  private cells: ITrackedCell[] = [];
  private readonly dirty = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private opened = false;
  private _isDisposed = false;

  constructor(
    private readonly panel: NotebookPanel,
    private readonly client: CodewardClient
  ) {
    this._uri = client.uriOf(panel.context.path);
    const model = panel.content.model;
    if (!model) {
      throw new Error(`notebook ${panel.context.path} has no model`);
    }
    model.cells.changed.connect(this.onCellsChanged, this);
    panel.context.saveState.connect(this.onSaveState, this);
    panel.context.pathChanged.connect(this.onPathChanged, this);
    this.cells = this.currentCells();
    this.cells.forEach((c) => this.track(c));
    client.add(this);
  }

  /** The notebook's URI. */
  get uri(): string {
    return this._uri;
  }

  /** The URI of the cell with `id`. */
  cellUri(id: string): string {
    return cellUri(this._uri, id);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Sends `notebookDocument/didOpen` with every cell. */
  open(): void {
    this.clearTimer();
    this.dirty.clear();
    this.version++;
    this.opened = true;
    this.client.notify('notebookDocument/didOpen', {
      notebookDocument: {
        uri: this._uri,
        notebookType: 'jupyter-notebook',
        version: this.version,
        cells: this.cells.map((c) => ({ kind: c.kind, document: c.uri }))
      },
      cellTextDocuments: this.cells.map((c) => this.textDocument(c))
    });
  }

  /** Sends the text changes waiting for the debounce. */
  flush(): void {
    this.clearTimer();
    if (!this.opened || this.dirty.size === 0) {
      this.dirty.clear();
      return;
    }
    const changed = this.cells.filter((c) => this.dirty.has(c.id));
    this.dirty.clear();
    if (changed.length === 0) {
      return;
    }
    this.version++;
    this.client.notify('notebookDocument/didChange', {
      notebookDocument: { uri: this._uri, version: this.version },
      change: {
        cells: {
          textContent: changed.map((c) => {
            c.version++;
            return { document: { uri: c.uri, version: c.version }, changes: [{ text: c.model.sharedModel.getSource() }] };
          })
        }
      }
    });
  }

  /** Sends `didClose` and forgets the notebook. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.clearTimer();
    this.close();
    this.client.remove(this._uri);
    const model = this.panel.content.model;
    model?.cells.changed.disconnect(this.onCellsChanged, this);
    this.panel.context.saveState.disconnect(this.onSaveState, this);
    this.panel.context.pathChanged.disconnect(this.onPathChanged, this);
    this.cells.forEach((c) => this.untrack(c));
    this.cells = [];
  }

  private close(): void {
    if (this.opened) {
      this.client.notify('notebookDocument/didClose', {
        notebookDocument: { uri: this._uri },
        cellTextDocuments: this.cells.map((c) => ({ uri: c.uri }))
      });
    }
    this.opened = false;
  }

  private textDocument(c: ITrackedCell) {
    const type = c.model.type;
    return {
      uri: c.uri,
      languageId: type === 'code' ? 'python' : type,
      version: c.version,
      text: c.model.sharedModel.getSource()
    };
  }

  private currentCells(): ITrackedCell[] {
    const model = this.panel.content.model;
    const out: ITrackedCell[] = [];
    if (!model) {
      return out;
    }
    const known = new Map(this.cells.map((c) => [c.id, c]));
    for (let i = 0; i < model.cells.length; i++) {
      const cell = model.cells.get(i);
      const kind = cell.type === 'code' ? CODE : MARKUP;
      const old = known.get(cell.id);
      if (old && old.model === cell && old.kind === kind) {
        out.push(old);
      } else {
        out.push({ id: cell.id, uri: this.cellUri(cell.id), kind, version: old ? old.version + 1 : 1, model: cell });
      }
    }
    return out;
  }

  private track(c: ITrackedCell): void {
    c.model.sharedModel.changed.connect(this.onCellChanged, this);
    this.client.store.register(this.target(c));
  }

  private untrack(c: ITrackedCell): void {
    c.model.sharedModel.changed.disconnect(this.onCellChanged, this);
    if (this.client.store.target(c.uri)?.model === c.model) {
      this.client.store.unregister(c.uri);
    }
  }

  private target(c: ITrackedCell): IDocTarget {
    return {
      uri: c.uri,
      model: c.model,
      owner: this._uri,
      index: () => this.cells.indexOf(c),
      label: () => `cell ${this.cells.indexOf(c) + 1}`,
      reveal: async () => this.reveal(c)
    };
  }

  private async reveal(c: ITrackedCell): Promise<CodeEditor.IEditor | null> {
    const notebook = this.panel.content;
    const index = notebook.widgets.findIndex((w: Cell) => w.model === c.model);
    if (index < 0) {
      return null;
    }
    notebook.activeCellIndex = index;
    await notebook.scrollToItem(index, 'center');
    const cell = notebook.widgets[index];
    await cell.ready;
    notebook.mode = 'edit';
    return cell.editor;
  }

  private onCellChanged(shared: unknown, change: { sourceChange?: unknown }): void {
    if (!change.sourceChange) {
      return;
    }
    const cell = this.cells.find((c) => c.model.sharedModel === shared);
    if (!cell) {
      return;
    }
    this.dirty.add(cell.id);
    this.clearTimer();
    this.timer = setTimeout(() => this.flush(), SEND_DELAY_MS);
  }

  private onCellsChanged(): void {
    // text first: a removed cell's pending edit must not arrive after its removal
    this.flush();
    const before = this.cells;
    const after = this.currentCells();
    const keyOf = (c: ITrackedCell) => `${c.id}\u0000${c.kind}\u0000${c.version}`;
    const diff = diffCells(before.map(keyOf), after.map(keyOf));
    if (!diff) {
      return;
    }
    const byKey = new Map([...before, ...after].map((c) => [keyOf(c), c]));
    const opened = diff.opened.map((k) => byKey.get(k)!);
    const closed = diff.closed.map((k) => byKey.get(k)!);
    closed.forEach((c) => this.untrack(c));
    this.cells = after;
    opened.forEach((c) => this.track(c));
    if (!this.opened) {
      return;
    }
    this.version++;
    this.client.notify('notebookDocument/didChange', {
      notebookDocument: { uri: this._uri, version: this.version },
      change: {
        cells: {
          structure: {
            array: {
              start: diff.start,
              deleteCount: diff.deleteCount,
              cells: diff.cells.map((k) => {
                const c = byKey.get(k)!;
                return { kind: c.kind, document: c.uri };
              })
            },
            didOpen: opened.map((c) => this.textDocument(c)),
            didClose: closed.map((c) => ({ uri: c.uri }))
          }
        }
      }
    });
  }

  private onSaveState(_: unknown, state: string): void {
    if (state === 'completed' && this.opened) {
      this.flush();
      this.client.notify('notebookDocument/didSave', { notebookDocument: { uri: this._uri } });
    }
  }

  private onPathChanged(): void {
    this.flush();
    this.close();
    this.client.remove(this._uri);
    this.cells.forEach((c) => this.untrack(c));
    this._uri = this.client.uriOf(this.panel.context.path);
    this.cells = this.cells.map((c) => ({ ...c, uri: this.cellUri(c.id) }));
    this.cells.forEach((c) => this.track(c));
    this.client.add(this);
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}

/** A Python file in JupyterLab's editor kept open on the server. */
export class FileSync implements ISyncedDocument, IDisposable {
  private _uri: string;
  private version = 0;
  private opened = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private dirty = false;
  private _isDisposed = false;

  constructor(
    private readonly widget: IDocumentWidget<FileEditor>,
    private readonly client: CodewardClient
  ) {
    this._uri = client.uriOf(widget.context.path);
    this.model.sharedModel.changed.connect(this.onChanged, this);
    widget.context.saveState.connect(this.onSaveState, this);
    widget.context.pathChanged.connect(this.onPathChanged, this);
    this.register();
    client.add(this);
  }

  /** The file's URI. */
  get uri(): string {
    return this._uri;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  private get model(): CodeEditor.IModel {
    return this.widget.content.model;
  }

  /** Sends `textDocument/didOpen`. */
  open(): void {
    this.clearTimer();
    this.dirty = false;
    this.version++;
    this.opened = true;
    this.client.notify('textDocument/didOpen', {
      textDocument: { uri: this._uri, languageId: 'python', version: this.version, text: this.model.sharedModel.getSource() }
    });
  }

  /** Sends the change waiting for the debounce. */
  flush(): void {
    this.clearTimer();
    if (!this.opened || !this.dirty) {
      return;
    }
    this.dirty = false;
    this.version++;
    this.client.notify('textDocument/didChange', {
      textDocument: { uri: this._uri, version: this.version },
      contentChanges: [{ text: this.model.sharedModel.getSource() }]
    });
  }

  /** Sends `didClose` and forgets the file. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.clearTimer();
    this.close();
    this.model.sharedModel.changed.disconnect(this.onChanged, this);
    this.widget.context.saveState.disconnect(this.onSaveState, this);
    this.widget.context.pathChanged.disconnect(this.onPathChanged, this);
  }

  private close(): void {
    if (this.opened) {
      this.client.notify('textDocument/didClose', { textDocument: { uri: this._uri } });
    }
    this.opened = false;
    this.client.remove(this._uri);
    this.client.store.unregister(this._uri);
  }

  private register(): void {
    this.client.store.register({
      uri: this._uri,
      model: this.model,
      owner: this._uri,
      index: () => 0,
      label: () => '',
      reveal: async () => {
        const editor = this.widget.content.editor;
        return editor;
      }
    });
  }

  private onChanged(_: unknown, change: { sourceChange?: unknown }): void {
    if (!change.sourceChange) {
      return;
    }
    this.dirty = true;
    this.clearTimer();
    this.timer = setTimeout(() => this.flush(), SEND_DELAY_MS);
  }

  private onSaveState(_: unknown, state: string): void {
    if (state === 'completed' && this.opened) {
      this.flush();
      this.client.notify('textDocument/didSave', { textDocument: { uri: this._uri } });
    }
  }

  private onPathChanged(): void {
    this.flush();
    this.close();
    this._uri = this.client.uriOf(this.widget.context.path);
    if (this.widget.context.path.endsWith('.py')) {
      this.register();
      this.client.add(this);
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
