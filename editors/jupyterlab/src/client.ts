/**
 * The Codeward client of one JupyterLab page: finds the server through jupyter-lsp, keeps one
 * websocket to it, re-sends the open documents after a reconnect, turns published diagnostics
 * into the findings store, runs scans and applies the server's code actions.
 */
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { LspConnection, RpcError } from './connection';
import { documentUri, editsToSplices, Position, Range, Severity, TextEdit } from './mapping';
import { FindingsStore, IDiagnostic, IDocTarget } from './store';

/** The key of the server in jupyter-lsp (see `codeward_jupyterlab/spec.py`). */
export const SERVER_KEY = 'codeward';

/** The extension's settings (`schema/plugin.json`). */
export interface ISettings {
  scanWhileTyping: boolean;
  autoScan: boolean;
  autoScanInterval: number;
  analysisType: 'Security' | 'All';
  minimumSeverity: Severity;
  debounceMs: number;
}

/** The defaults, as in the schema. */
export const DEFAULT_SETTINGS: ISettings = {
  scanWhileTyping: true,
  autoScan: false,
  autoScanInterval: 240,
  analysisType: 'Security',
  minimumSeverity: 'Info',
  debounceMs: 200
};

/** The settings the server reads (README "Settings"). */
export function serverSettings(s: ISettings): Record<string, unknown> {
  return {
    analysisType: s.analysisType,
    minSeverity: s.minimumSeverity,
    scanTrigger: s.scanWhileTyping ? 'type' : 'save',
    debounceMs: s.debounceMs
  };
}

/** What the status bar shows. */
export interface IStatus {
  text: string;
  title: string;
  state: 'starting' | 'ready' | 'scanning' | 'done' | 'missing' | 'error';
  /** How many scans asked for on this page ("Run code scan", auto scan) have finished. */
  scans?: number;
}

/** A document the client keeps open on the server (a notebook or a file). */
export interface ISyncedDocument {
  /** The notebook's or file's URI. */
  readonly uri: string;
  /** Sends `didOpen` with the current content (after a (re)connect). */
  open(): void;
  /** Sends the changes waiting for the debounce now. */
  flush(): void;
}

/** An LSP code action (the parts used). */
export interface ICodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  diagnostics?: IDiagnostic[];
  edit?: IWorkspaceEdit;
  command?: { title: string; command: string; arguments?: unknown[] };
}

/** An LSP workspace edit (text edits only). */
export interface IWorkspaceEdit {
  changes?: Record<string, TextEdit[]>;
  documentChanges?: { textDocument?: { uri: string }; edits?: TextEdit[]; kind?: string }[];
}

const CAPABILITIES = {
  general: { positionEncodings: ['utf-16'] },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: true,
      codeDescriptionSupport: true,
      dataSupport: true
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      codeActionLiteralSupport: {
        codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll', 'source.fixAll.codeward'] }
      },
      isPreferredSupport: true,
      dataSupport: true
    }
  },
  notebookDocument: { synchronization: { dynamicRegistration: false, executionSummarySupport: false } },
  window: { workDoneProgress: true, showMessage: {} },
  workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } }
};

/** How often, and how long apart, a lost connection is retried. */
const RECONNECT_TRIES = 5;
const RECONNECT_DELAY_MS = 3000;

/** The client. */
export class CodewardClient {
  /** Findings of the open documents. */
  readonly store = new FindingsStore();
  private connection: LspConnection | null = null;
  private readonly documents = new Map<string, ISyncedDocument>();
  private _settings: ISettings = { ...DEFAULT_SETTINGS };
  private _status: IStatus = { text: 'Codeward: starting', title: 'Connecting to the Codeward server', state: 'starting' };
  private readonly _statusChanged = new Signal<this, IStatus>(this);
  private readonly _settingsChanged = new Signal<this, ISettings>(this);
  private _current: string | null = null;
  private ready = false;
  private tries = 0;
  private scans = 0;
  private finishedScans = 0;
  private autoScanTimer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly server: ServerConnection.ISettings = ServerConnection.makeSettings()) {
    this.store.changed.connect((_, uri) => {
      const owner = this.store.target(uri)?.owner ?? uri;
      if (owner === this._current && this._status.state !== 'scanning' && this.ready) {
        this.setStatus(this.completed(this.store.count(owner)));
      }
    });
  }

  /** The status bar state. */
  get status(): IStatus {
    return this._status;
  }

  /** Emits on every status change. */
  get statusChanged(): ISignal<this, IStatus> {
    return this._statusChanged;
  }

  /** The settings in force. */
  get settings(): ISettings {
    return this._settings;
  }

  /** Emits when the settings change. */
  get settingsChanged(): ISignal<this, ISettings> {
    return this._settingsChanged;
  }

  /** The root of the Jupyter server's files as a `file://` URI (from jupyter-lsp). */
  get rootUri(): string {
    return PageConfig.getOption('rootUri') || 'file:///';
  }

  /** The URI of the file at `path` (relative to the Jupyter root). */
  uriOf(path: string): string {
    return documentUri(this.rootUri, path);
  }

  /** The notebook or file shown in the main area (`null`: none of ours). */
  setCurrent(owner: string | null): void {
    this._current = owner;
    if (this.ready && this._status.state !== 'scanning' && owner) {
      this.setStatus(this.completed(this.store.count(owner)));
    }
  }

  /** The notebook or file shown in the main area. */
  get current(): string | null {
    return this._current;
  }

  /** Finds the server in `/lsp/status`, connects and initializes. */
  async start(): Promise<void> {
    this.setStatus({ text: 'Codeward: starting', title: 'Connecting to the Codeward server', state: 'starting' });
    let status: any;
    try {
      const response = await ServerConnection.makeRequest(
        URLExt.join(this.server.baseUrl, 'lsp', 'status'),
        { method: 'GET' },
        this.server
      );
      if (!response.ok) {
        throw new Error(`GET /lsp/status: HTTP ${response.status} (is jupyter-lsp installed and enabled?)`);
      }
      status = await response.json();
    } catch (error) {
      this.setStatus({ text: 'Codeward: server not found', title: String(error), state: 'missing' });
      return;
    }
    if (!status?.specs?.[SERVER_KEY]) {
      this.setStatus({
        text: 'Codeward: server not found',
        title:
          'jupyter-lsp has no `codeward` server: put the codeward binary on the PATH of the Jupyter server ' +
          'or set CODEWARD_SERVER_PATH to it, then restart Jupyter.',
        state: 'missing'
      });
      return;
    }
    const token = this.server.token ? `?token=${encodeURIComponent(this.server.token)}` : '';
    const url = URLExt.join(this.server.wsUrl, 'lsp', 'ws', SERVER_KEY) + token;
    const connection = new LspConnection(url, {
      notification: (method, params) => this.onNotification(method, params),
      request: (method, params) => this.onRequest(method, params),
      closed: (reason) => this.onClosed(reason)
    });
    try {
      await connection.open();
      this.connection = connection;
      await this.initialize(connection);
    } catch (error) {
      connection.dispose();
      this.connection = null;
      this.onClosed(String(error));
      return;
    }
    this.tries = 0;
    this.ready = true;
    this.setStatus({ text: 'Codeward: ready', title: 'Connected to `codeward lsp` through jupyter-lsp', state: 'ready' });
    for (const doc of this.documents.values()) {
      doc.open();
    }
    if (this._current) {
      this.setCurrent(this._current);
    }
  }

  private async initialize(connection: LspConnection): Promise<void> {
    const root = this.rootUri;
    try {
      await connection.request('initialize', {
        processId: null,
        clientInfo: { name: 'codeward-jupyterlab' },
        rootUri: root,
        workspaceFolders: [{ uri: root, name: root.split('/').filter(Boolean).pop() ?? 'root' }],
        capabilities: CAPABILITIES,
        initializationOptions: { codeward: serverSettings(this._settings) }
      });
      connection.notify('initialized', {});
    } catch (error) {
      // jupyter-lsp shares one server between all pages: a second page finds it initialized.
      if (!(error instanceof RpcError)) {
        throw error;
      }
      connection.notify('workspace/didChangeConfiguration', { settings: { codeward: serverSettings(this._settings) } });
    }
  }

  private onClosed(reason: string): void {
    this.ready = false;
    this.connection = null;
    this.store.clear();
    if (this.tries < RECONNECT_TRIES) {
      this.tries++;
      this.setStatus({ text: 'Codeward: reconnecting', title: reason, state: 'error' });
      setTimeout(() => void this.start(), RECONNECT_DELAY_MS);
    } else {
      this.setStatus({ text: 'Codeward: server stopped', title: `${reason}; reload the page to retry`, state: 'error' });
    }
  }

  /** Applies new settings (sent to the server at once; no restart). */
  updateSettings(settings: ISettings): void {
    this._settings = { ...settings };
    this.connection?.notify('workspace/didChangeConfiguration', {
      settings: { codeward: serverSettings(this._settings) }
    });
    this.scheduleAutoScan();
    this._settingsChanged.emit(this._settings);
  }

  private scheduleAutoScan(): void {
    if (this.autoScanTimer !== null) {
      clearInterval(this.autoScanTimer);
      this.autoScanTimer = null;
    }
    if (this._settings.autoScan && this._settings.autoScanInterval > 0) {
      this.autoScanTimer = setInterval(() => {
        for (const uri of this.documents.keys()) {
          void this.scan(uri, { quiet: true }).catch((e) => console.warn('codeward: auto scan', e));
        }
      }, Math.max(10, this._settings.autoScanInterval) * 1000);
    }
  }

  /** Starts keeping `doc` open on the server. */
  add(doc: ISyncedDocument): void {
    this.documents.set(doc.uri, doc);
    if (this.ready) {
      doc.open();
    }
  }

  /** Stops keeping the document `uri` open (the caller sends its `didClose`). */
  remove(uri: string): void {
    this.documents.delete(uri);
  }

  /** Whether the server is connected and initialized. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Sends a notification (dropped while disconnected: documents are re-opened on connect). */
  notify(method: string, params: unknown): void {
    if (this.ready) {
      this.connection?.notify(method, params);
    }
  }

  /** Scans the notebook or file `uri` now (`codeward.scanFile`, with progress in the status bar). */
  async scan(uri: string, options: { quiet?: boolean } = {}): Promise<number> {
    const connection = this.connection;
    if (!connection || !this.ready) {
      throw new Error(this._status.text);
    }
    this.documents.get(uri)?.flush();
    if (!options.quiet) {
      this.setStatus({ text: 'Codeward: Scan in progress', title: `Scanning ${uri}`, state: 'scanning' });
    }
    try {
      const result = await connection.request<{ findings?: number }>('workspace/executeCommand', {
        command: 'codeward.scanFile',
        arguments: [uri],
        workDoneToken: `codeward-jupyterlab-scan-${++this.scans}`
      });
      const findings = typeof result?.findings === 'number' ? result.findings : this.store.count(uri);
      this.finishedScans++;
      if (!options.quiet || uri === this._current) {
        this.setStatus(this.completed(findings));
      }
      return findings;
    } catch (error) {
      this.setStatus({ text: 'Codeward: scan failed', title: String(error), state: 'error' });
      throw error;
    }
  }

  /** The server's hover markdown at `position` of `uri` (`''` when none). */
  async hover(uri: string, position: Position): Promise<string> {
    if (!this.connection || !this.ready) {
      return '';
    }
    const hover = await this.connection.request<any>('textDocument/hover', { textDocument: { uri }, position });
    const contents = hover?.contents;
    if (!contents) {
      return '';
    }
    if (typeof contents === 'string') {
      return contents;
    }
    if (Array.isArray(contents)) {
      return contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n\n');
    }
    return String(contents.value ?? '');
  }

  /** The server's quick fixes (and other actions) for `diagnostic` in `uri`. */
  async codeActions(uri: string, diagnostic: IDiagnostic): Promise<ICodeAction[]> {
    if (!this.connection || !this.ready) {
      return [];
    }
    const range: Range = diagnostic.range;
    const actions = await this.connection.request<any[] | null>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] }
    });
    return (actions ?? []).filter((a) => a && typeof a.title === 'string' && (a.edit || a.command)) as ICodeAction[];
  }

  /** Applies a code action: its edit to the right cells or files, then its command. */
  async applyAction(action: ICodeAction): Promise<void> {
    if (action.edit) {
      this.applyEdit(action.edit);
    }
    if (action.command && this.connection) {
      await this.connection.request('workspace/executeCommand', {
        command: action.command.command,
        arguments: action.command.arguments ?? []
      });
    }
  }

  /** Applies a workspace edit to the open cells and files; throws when a document is not open. */
  applyEdit(edit: IWorkspaceEdit): void {
    const byUri = new Map<string, TextEdit[]>();
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      byUri.set(uri, [...(byUri.get(uri) ?? []), ...edits]);
    }
    for (const change of edit.documentChanges ?? []) {
      if (change.textDocument && change.edits) {
        byUri.set(change.textDocument.uri, [...(byUri.get(change.textDocument.uri) ?? []), ...change.edits]);
      }
    }
    const targets: [IDocTarget, TextEdit[]][] = [];
    for (const [uri, edits] of byUri) {
      const target = this.store.target(uri);
      if (!target) {
        throw new Error(`the edit changes ${uri}, which is not open`);
      }
      targets.push([target, edits]);
    }
    for (const [target, edits] of targets) {
      const shared = target.model.sharedModel;
      const splices = editsToSplices(shared.getSource(), edits);
      shared.transact(() => {
        for (const s of splices) {
          shared.updateSource(s.from, s.to, s.insert);
        }
      });
    }
  }

  private completed(findings: number): IStatus {
    return {
      text: `Codeward: Scan completed (${findings} finding${findings === 1 ? '' : 's'})`,
      title: 'Findings in the current notebook or file (Codeward: Show findings panel)',
      state: 'done'
    };
  }

  private setStatus(status: IStatus): void {
    this._status = { ...status, scans: this.finishedScans };
    this._statusChanged.emit(this._status);
  }

  private onNotification(method: string, params: any): void {
    switch (method) {
      case 'textDocument/publishDiagnostics':
        if (params && typeof params.uri === 'string' && Array.isArray(params.diagnostics)) {
          if (this.store.target(params.uri)) {
            this.store.set(params.uri, params.diagnostics as IDiagnostic[]);
          }
        }
        break;
      case 'window/showMessage':
      case 'window/logMessage':
        if (params?.type === 1) {
          console.error('codeward:', params.message);
        }
        break;
      default:
        break;
    }
  }

  private onRequest(method: string, params: any): unknown {
    switch (method) {
      case 'workspace/configuration':
        return (params?.items ?? []).map((item: { section?: string }) =>
          item.section === 'codeward' || !item.section ? serverSettings(this._settings) : null
        );
      case 'workspace/applyEdit':
        try {
          this.applyEdit(params.edit as IWorkspaceEdit);
          return { applied: true };
        } catch (error) {
          return { applied: false, failureReason: String(error) };
        }
      default:
        // window/workDoneProgress/create, client/registerCapability, window/showMessageRequest...
        return null;
    }
  }
}
