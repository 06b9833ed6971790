/**
 * codeward-jupyterlab: Codeward's security findings in JupyterLab 4 notebooks and Python files,
 * next to (never instead of) the Python language server used for completion.
 */
import { ILabShell, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { EditorExtensionRegistry, IEditorExtensionRegistry } from '@jupyterlab/codemirror';
import { IDocumentWidget } from '@jupyterlab/docregistry';
import { FileEditor, IEditorTracker } from '@jupyterlab/fileeditor';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { IRenderMimeRegistry, MimeModel } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { MarkdownRenderer } from './card';
import { CodewardClient, DEFAULT_SETTINGS, ISettings } from './client';
import { findingsExtension } from './editor';
import { FindingsPanel } from './panel';
import { StatusItem } from './status';
import { FileSync, isPythonNotebook, NotebookSync } from './sync';

const PLUGIN_ID = 'codeward-jupyterlab:plugin';

/** Command ids. */
export const CommandIds = {
  scan: 'codeward:scan',
  showFindings: 'codeward:show-findings'
};

const shieldIcon = new LabIcon({
  name: 'codeward:shield',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3zm-1.2 14.2-3.5-3.5 1.4-1.4 2.1 2.1 4.9-4.9 1.4 1.4-6.3 6.3z"/>' +
    '</svg>'
});

function readSettings(settings: ISettingRegistry.ISettings): ISettings {
  const c = settings.composite as Partial<ISettings>;
  return { ...DEFAULT_SETTINGS, ...c };
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Codeward security findings in notebooks and Python files: underlines, hover cards, quick fixes, a findings panel.',
  autoStart: true,
  requires: [INotebookTracker, IEditorTracker, IEditorExtensionRegistry, IRenderMimeRegistry],
  optional: [ISettingRegistry, IStatusBar, ICommandPalette, ILabShell],
  activate: (
    app: JupyterFrontEnd,
    notebooks: INotebookTracker,
    editors: IEditorTracker,
    extensions: IEditorExtensionRegistry,
    rendermime: IRenderMimeRegistry,
    settingRegistry: ISettingRegistry | null,
    statusBar: IStatusBar | null,
    palette: ICommandPalette | null,
    labShell: ILabShell | null
  ) => {
    const client = new CodewardClient();
    const render: MarkdownRenderer = async (markdown, host) => {
      const renderer = rendermime.createRenderer('text/markdown');
      await renderer.renderModel(new MimeModel({ data: { 'text/markdown': markdown }, trusted: false }));
      renderer.addClass('cw-card-markdown');
      host.replaceChildren(renderer.node);
    };

    extensions.addExtension({
      name: 'codeward:findings',
      factory: (options) => EditorExtensionRegistry.createImmutableExtension(findingsExtension(options.model, client, render))
    });

    // Documents: Python notebooks and .py files, each kept open on the server while open here.
    const synced = new WeakMap<Widget, NotebookSync | FileSync>();
    const ownerOf = (widget: Widget | null): string | null => synced.get(widget as Widget)?.uri ?? null;
    notebooks.widgetAdded.connect(async (_, panel: NotebookPanel) => {
      await panel.context.ready;
      if (panel.isDisposed || !isPythonNotebook(panel)) {
        return;
      }
      const sync = new NotebookSync(panel, client);
      synced.set(panel, sync);
      panel.disposed.connect(() => sync.dispose());
      if (app.shell.currentWidget === panel) {
        client.setCurrent(sync.uri);
      }
      app.commands.notifyCommandChanged(CommandIds.scan);
    });
    editors.widgetAdded.connect(async (_, widget: IDocumentWidget<FileEditor>) => {
      await widget.context.ready;
      if (widget.isDisposed || !widget.context.path.endsWith('.py')) {
        return;
      }
      const sync = new FileSync(widget, client);
      synced.set(widget, sync);
      widget.disposed.connect(() => sync.dispose());
      if (app.shell.currentWidget === widget) {
        client.setCurrent(sync.uri);
      }
      app.commands.notifyCommandChanged(CommandIds.scan);
    });
    labShell?.currentChanged.connect((_, change) => {
      client.setCurrent(ownerOf(change.newValue));
      app.commands.notifyCommandChanged(CommandIds.scan);
    });

    // Findings panel (right side bar) and status bar item.
    const panel = new FindingsPanel(client, shieldIcon);
    labShell?.currentChanged.connect(() => panel.schedule());
    const showPanel = () => {
      if (!panel.isAttached) {
        app.shell.add(panel, 'right', { rank: 700 });
      }
      app.shell.activateById(panel.id);
    };
    app.restored.then(() => {
      if (!panel.isAttached) {
        app.shell.add(panel, 'right', { rank: 700 });
      }
    });
    if (statusBar) {
      statusBar.registerStatusItem('codeward:status', {
        item: new StatusItem(client, showPanel),
        align: 'left',
        rank: 50
      });
    }

    // Commands: "Run code scan" (toolbar button, cell context menu, palette), "Show findings panel".
    app.commands.addCommand(CommandIds.scan, {
      label: 'Run code scan',
      caption: 'Codeward: scan this notebook or file now',
      icon: shieldIcon,
      isEnabled: () => ownerOf(app.shell.currentWidget) !== null,
      execute: async () => {
        const owner = ownerOf(app.shell.currentWidget);
        if (!owner) {
          return;
        }
        await client.scan(owner);
      }
    });
    app.commands.addCommand(CommandIds.showFindings, {
      label: 'Show findings panel',
      caption: 'Codeward: list every finding of this notebook or file',
      icon: shieldIcon,
      execute: showPanel
    });
    palette?.addItem({ command: CommandIds.scan, category: 'Codeward' });
    palette?.addItem({ command: CommandIds.showFindings, category: 'Codeward' });

    // Settings first (they go into `initialize`), then the server.
    const started = settingRegistry
      ? settingRegistry
          .load(PLUGIN_ID)
          .then((settings) => {
            client.updateSettings(readSettings(settings));
            settings.changed.connect(() => client.updateSettings(readSettings(settings)));
          })
          .catch((error) => console.warn('codeward: cannot load settings, using the defaults', error))
      : Promise.resolve();
    void started.then(() => client.start());
  }
};

export default plugin;
