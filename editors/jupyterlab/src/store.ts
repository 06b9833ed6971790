/**
 * The findings of every open document (by URI, as the server published them) and the documents
 * they belong to: each cell or file editor model is registered with its URI, its owner (the
 * notebook or file) and how to show it.
 */
import { CodeEditor } from '@jupyterlab/codeeditor';
import { ISignal, Signal } from '@lumino/signaling';

import { Range, Severity, SEVERITIES, severityOf, severityRank } from './mapping';

/** An LSP diagnostic as Codeward sends it. */
export interface IDiagnostic {
  range: Range;
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  data?: { version?: number; ruleId?: string; severity?: string; fixes?: { title: string }[] };
}

/** A document (a notebook cell or a file) whose findings are shown. */
export interface IDocTarget {
  /** The LSP URI. */
  uri: string;
  /** The editor model holding its text. */
  model: CodeEditor.IModel;
  /** The URI of the notebook or file it belongs to. */
  owner: string;
  /** Its position in the owner (the cell index; 0 for files). */
  index(): number;
  /** A label for the panel ("cell 3", or "" for a file). */
  label(): string;
  /** Brings it into view and returns its editor, when there is one. */
  reveal(): Promise<CodeEditor.IEditor | null>;
}

/** One finding with where it is. */
export interface IFindingEntry {
  target: IDocTarget;
  diagnostic: IDiagnostic;
  severity: Severity;
}

/** The store. */
export class FindingsStore {
  private readonly diagnostics = new Map<string, IDiagnostic[]>();
  private readonly targets = new Map<string, IDocTarget>();
  private readonly byModel = new WeakMap<CodeEditor.IModel, IDocTarget>();
  private readonly _changed = new Signal<this, string>(this);

  /** Emits the URI whose findings (or registration) changed. */
  get changed(): ISignal<this, string> {
    return this._changed;
  }

  /** Registers a cell or file. */
  register(target: IDocTarget): void {
    this.targets.set(target.uri, target);
    this.byModel.set(target.model, target);
    this._changed.emit(target.uri);
  }

  /** Forgets a cell or file and its findings. */
  unregister(uri: string): void {
    const target = this.targets.get(uri);
    if (target && this.byModel.get(target.model) === target) {
      this.byModel.delete(target.model);
    }
    this.targets.delete(uri);
    this.diagnostics.delete(uri);
    this._changed.emit(uri);
  }

  /** The document registered under `uri`. */
  target(uri: string): IDocTarget | undefined {
    return this.targets.get(uri);
  }

  /** The document whose text `model` holds. */
  targetOfModel(model: CodeEditor.IModel): IDocTarget | undefined {
    return this.byModel.get(model);
  }

  /** Replaces the findings of `uri` (from `textDocument/publishDiagnostics`). */
  set(uri: string, diagnostics: IDiagnostic[]): void {
    if (diagnostics.length === 0) {
      this.diagnostics.delete(uri);
    } else {
      this.diagnostics.set(uri, diagnostics);
    }
    this._changed.emit(uri);
  }

  /** Drops every finding (the server went away). */
  clear(): void {
    const uris = [...this.diagnostics.keys()];
    this.diagnostics.clear();
    uris.forEach((uri) => this._changed.emit(uri));
  }

  /** The findings of `uri`. */
  get(uri: string): IDiagnostic[] {
    return this.diagnostics.get(uri) ?? [];
  }

  /** Every finding of the notebook or file `owner`: most severe first, then in document order. */
  findingsOf(owner: string): IFindingEntry[] {
    const entries: IFindingEntry[] = [];
    for (const target of this.targets.values()) {
      if (target.owner !== owner) {
        continue;
      }
      for (const diagnostic of this.get(target.uri)) {
        entries.push({ target, diagnostic, severity: severityOf(diagnostic) });
      }
    }
    return entries.sort(
      (a, b) =>
        severityRank(a.severity) - severityRank(b.severity) ||
        a.target.index() - b.target.index() ||
        a.diagnostic.range.start.line - b.diagnostic.range.start.line ||
        a.diagnostic.range.start.character - b.diagnostic.range.start.character
    );
  }

  /** The number of findings of `owner` at or above each severity. */
  count(owner: string): number {
    return this.findingsOf(owner).length;
  }
}

export { SEVERITIES };
