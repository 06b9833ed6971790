// Codeward for VS Code: a thin client that starts `codeward lsp` and lets vscode-languageclient do
// the protocol (text and notebook sync, pull diagnostics, code actions, hovers). The extension adds
// the settings mapping, the commands, the status bar item and the optional auto-scan timer.
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
  type DocumentSelector,
} from 'vscode-languageclient/node';
import { resolveServer, type ResolvedServer } from './server';
import { autoScanMillis, LANGUAGES, serverSettings, type ServerSettings } from './settings';

const SOURCE = 'codeward';
const EXPRESS_LIMIT_CODE = 'codeward/express-limit';
const SCAN_FILE = 'codeward.scanFile';
const SCAN_WORKSPACE = 'codeward.scanWorkspace';

type Status = 'starting' | 'ready' | 'scanning' | 'error' | 'stopped';

/** The result of the server's scan commands. */
interface ScanResult {
  findings: number;
  documents: number;
}

/** What `activate` returns: used by the end-to-end test's probe extension, handy for scripts. */
export interface CodewardApi {
  /** Resolves once the server is running (rejects if it failed to start). */
  ready(): Promise<void>;
  status(): { state: Status; findings: number; text: string; tooltip: string };
  server(): ResolvedServer | undefined;
  /** The server's `initialize` result capabilities (for example to see if notebooks are synced). */
  serverCapabilities(): unknown;
  /** The settings last sent to the server. */
  settings(): ServerSettings;
}

function readSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration('codeward');
  return serverSettings((key) => config.get(key));
}

/** Files the server should see: every file or unsaved document in one of our languages, and
 * Python cells of notebooks (synced as text when the server has no notebook sync; with notebook
 * sync, vscode-languageclient sends them as part of their notebook instead). */
function documentSelector(): DocumentSelector {
  const selector: DocumentSelector = [];
  for (const language of LANGUAGES) {
    selector.push({ scheme: 'file', language }, { scheme: 'untitled', language });
  }
  selector.push({ scheme: 'vscode-notebook-cell', language: 'python' });
  return selector;
}

/** Counts the open findings (not notices such as the express size limit). */
function countFindings(): number {
  let n = 0;
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const d of diagnostics) {
      const code = typeof d.code === 'object' ? d.code.value : d.code;
      if (d.source === SOURCE && code !== EXPRESS_LIMIT_CODE) {
        n++;
      }
    }
  }
  return n;
}

class Codeward implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private resolved: ResolvedServer | undefined;
  private state: Status = 'stopped';
  private lastError = '';
  private scans = 0;
  private findings = 0;
  private sent: ServerSettings = readSettings();
  private autoScan: NodeJS.Timeout | undefined;
  private readyPromise: Promise<void> = Promise.resolve();
  private readonly output: vscode.LogOutputChannel;
  private readonly statusItem: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    // vscode-languageclient 11 logs through a LogOutputChannel (a plain one crashes it).
    this.output = vscode.window.createOutputChannel('Codeward', { log: true });
    this.statusItem = vscode.window.createStatusBarItem('codeward.status', vscode.StatusBarAlignment.Left, 10);
    this.statusItem.name = 'Codeward';
    this.statusItem.command = 'workbench.actions.view.problems';
    this.statusItem.show();
    this.disposables.push(
      this.output,
      this.statusItem,
      vscode.commands.registerCommand('codeward.showOutput', () => { this.output.show(true); }),
      vscode.commands.registerCommand('codeward.restartServer', () => this.restart()),
      vscode.languages.onDidChangeDiagnostics(() => { this.refreshCount(); }),
      vscode.workspace.onDidChangeConfiguration((e) => { this.configurationChanged(e); }),
    );
    this.render();
  }

  api(): CodewardApi {
    return {
      ready: () => this.readyPromise,
      status: () => ({
        state: this.state,
        findings: this.findings,
        text: this.statusItem.text,
        tooltip: typeof this.statusItem.tooltip === 'string' ? this.statusItem.tooltip : '',
      }),
      server: () => this.resolved,
      serverCapabilities: () => this.client?.initializeResult?.capabilities,
      settings: () => this.sent,
    };
  }

  /** Starts the server (a no-op when it is running). */
  start(): Promise<void> {
    this.readyPromise = this.doStart();
    // Callers that don't wait must not see an unhandled rejection; errors are shown to the user.
    this.readyPromise.catch(() => undefined);
    return this.readyPromise;
  }

  private async doStart(): Promise<void> {
    if (this.client) {
      return;
    }
    this.setState('starting');
    const config = vscode.workspace.getConfiguration('codeward');
    try {
      this.resolved = resolveServer(config.get<string>('serverPath') ?? '', this.context.extensionPath);
    } catch (err) {
      this.fail(err);
      throw err;
    }
    this.output.info(`starting ${this.resolved.command} lsp (${this.resolved.origin})`);
    // The server logs to stderr, which the client shows as errors: only warnings and errors by
    // default (CODEWARD_LOG in VS Code's environment overrides it).
    const env = (level: string) => ({ ...process.env, CODEWARD_LOG: process.env.CODEWARD_LOG ?? level });
    const serverOptions: ServerOptions = {
      run: { command: this.resolved.command, args: ['lsp'], options: { env: env('warn') } },
      debug: { command: this.resolved.command, args: ['lsp'], options: { env: env('debug') } },
    };
    this.sent = readSettings();
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentSelector(),
      initializationOptions: this.sent,
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // Diagnostics come from the server's pull (or push) diagnostics; the scan commands below
      // are the server's own (advertised by its executeCommandProvider and registered by the
      // client), with a default argument and a progress notification added here.
      middleware: {
        executeCommand: async (command, args, next) => this.runScan(command, args, next),
      },
    };
    const client = new LanguageClient('codeward', 'Codeward', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) {
        this.setState('ready');
      } else if (e.newState === State.Starting) {
        this.setState('starting');
      } else if (this.client === client && this.state !== 'error') {
        this.setState('stopped');
      }
    });
    try {
      await client.start();
    } catch (err) {
      this.client = undefined;
      this.fail(err);
      await client.dispose().catch(() => undefined);
      throw err;
    }
    this.setState('ready');
    this.scheduleAutoScan();
  }

  async stop(): Promise<void> {
    this.clearAutoScan();
    const client = this.client;
    this.client = undefined;
    if (client) {
      await client.dispose(2000).catch((err: unknown) => { this.output.warn(`stopping the server: ${String(err)}`); });
    }
    this.setState('stopped');
  }

  async restart(): Promise<void> {
    this.output.info('restarting the server');
    await this.stop();
    this.lastError = '';
    await this.start().catch(() => undefined);
  }

  /** Middleware for the server's scan commands: the active document by default, progress, a summary. */
  private async runScan(
    command: string,
    args: unknown[],
    next: (command: string, args: unknown[]) => vscode.ProviderResult<unknown>,
  ): Promise<unknown> {
    let title = 'Codeward: scanning the open files';
    if (command === SCAN_FILE) {
      if (args.length === 0 || args[0] === undefined) {
        const editor = vscode.window.activeTextEditor;
        if (!editor) {
          void vscode.window.showWarningMessage('Codeward: open a file to scan it.');
          return undefined;
        }
        args = [editor.document.uri.toString()];
      } else if (args[0] instanceof vscode.Uri) {
        args = [args[0].toString()];
      }
      title = `Codeward: scanning ${vscode.workspace.asRelativePath(String(args[0]))}`;
    } else if (command !== SCAN_WORKSPACE) {
      return next(command, args);
    }
    this.scans++;
    this.setState('scanning');
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: false },
        async () => (await next(command, args)) as ScanResult | undefined,
      );
      if (result && typeof result.findings === 'number') {
        const files = result.documents === 1 ? '1 file' : `${result.documents} files`;
        vscode.window.setStatusBarMessage(`Codeward: scan completed: ${result.findings} findings in ${files}`, 5000);
      }
      return result;
    } finally {
      this.scans--;
      if (this.scans === 0 && this.state === 'scanning') {
        this.setState(this.client ? 'ready' : 'stopped');
      }
    }
  }

  private configurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration('codeward')) {
      return;
    }
    if (e.affectsConfiguration('codeward.serverPath')) {
      void this.restart();
      return;
    }
    if (e.affectsConfiguration('codeward.autoScanInterval')) {
      this.scheduleAutoScan();
    }
    const next = readSettings();
    if (JSON.stringify(next) === JSON.stringify(this.sent)) {
      return;
    }
    this.sent = next;
    const client = this.client;
    if (client?.isRunning()) {
      this.output.info(`settings changed: ${JSON.stringify(next)}`);
      // The server replaces only the keys a change carries; every key is sent.
      void client
        .sendNotification(DidChangeConfigurationNotification.type, { settings: { codeward: next } })
        .catch((err: unknown) => { this.output.error(`sending settings: ${String(err)}`); });
    }
  }

  private scheduleAutoScan(): void {
    this.clearAutoScan();
    const every = autoScanMillis((key) => vscode.workspace.getConfiguration('codeward').get(key));
    if (every === 0) {
      return;
    }
    this.autoScan = setInterval(() => {
      const client = this.client;
      if (client?.isRunning() && this.scans === 0) {
        client
          .sendRequest(ExecuteCommandRequest.type, { command: SCAN_WORKSPACE, arguments: [] })
          .then(undefined, (err: unknown) => { this.output.warn(`auto-scan: ${String(err)}`); });
      }
    }, every);
  }

  private clearAutoScan(): void {
    if (this.autoScan) {
      clearInterval(this.autoScan);
      this.autoScan = undefined;
    }
  }

  private fail(err: unknown): void {
    this.lastError = err instanceof Error ? err.message : String(err);
    this.output.error(`the server could not start: ${this.lastError}`);
    this.setState('error');
    void vscode.window
      .showErrorMessage(`Codeward: ${this.lastError}`, 'Show Output', 'Restart Server')
      .then((choice) => {
        if (choice === 'Show Output') {
          this.output.show(true);
        } else if (choice === 'Restart Server') {
          void this.restart();
        }
      });
  }

  private setState(state: Status): void {
    this.state = this.scans > 0 && state === 'ready' ? 'scanning' : state;
    this.render();
  }

  private refreshCount(): void {
    const n = countFindings();
    if (n !== this.findings) {
      this.findings = n;
      this.render();
    }
  }

  private render(): void {
    const item = this.statusItem;
    const n = this.findings;
    const count = `${n} finding${n === 1 ? '' : 's'}`;
    item.backgroundColor = undefined;
    item.command = 'workbench.actions.view.problems';
    switch (this.state) {
      case 'starting':
        item.text = '$(loading~spin) Codeward';
        item.tooltip = 'Codeward: starting the server';
        break;
      case 'scanning':
        item.text = `$(sync~spin) Codeward: ${n}`;
        item.tooltip = `Codeward: scanning (${count} open)`;
        break;
      case 'ready':
        item.text = `$(shield) Codeward: ${n}`;
        item.tooltip = `Codeward: ready, ${count} in open files. Click for the Problems panel.`;
        break;
      case 'error':
        item.text = '$(error) Codeward';
        item.tooltip = `Codeward: error: ${this.lastError}. Click for the output.`;
        item.command = 'codeward.showOutput';
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
      case 'stopped':
        item.text = '$(circle-slash) Codeward';
        item.tooltip = 'Codeward: the server is not running. Click for the output.';
        item.command = 'codeward.showOutput';
        break;
    }
  }

  dispose(): void {
    this.clearAutoScan();
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}

let codeward: Codeward | undefined;

export function activate(context: vscode.ExtensionContext): CodewardApi {
  codeward = new Codeward(context);
  context.subscriptions.push(codeward);
  void codeward.start();
  return codeward.api();
}

export async function deactivate(): Promise<void> {
  if (codeward) {
    await codeward.stop();
  }
}
