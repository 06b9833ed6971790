/**
 * The findings panel: every finding of the current notebook or file, most severe first; choosing
 * one moves the cursor to it, and its fixes can be applied from the list.
 */
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { fillActions, ruleOf } from './card';
import { CodewardClient, ICodeAction } from './client';
import { IFindingEntry } from './store';

/** The panel widget. */
export class FindingsPanel extends Widget {
  private pending: ReturnType<typeof setTimeout> | null = null;
  private readonly header: HTMLElement;
  private readonly list: HTMLElement;
  /** The code actions of each listed finding, so a re-render asks the server only for new ones. */
  private actions = new Map<string, Promise<ICodeAction[]>>();

  constructor(
    private readonly client: CodewardClient,
    icon: LabIcon
  ) {
    super();
    this.id = 'codeward-findings';
    this.addClass('cw-panel');
    this.title.icon = icon;
    this.title.caption = 'Codeward findings';
    this.title.label = '';
    this.header = document.createElement('div');
    this.header.className = 'cw-panel-header';
    this.list = document.createElement('ul');
    this.list.className = 'cw-panel-list';
    this.node.append(this.header, this.list);
    client.store.changed.connect(this.schedule, this);
    this.render();
  }

  /** Re-renders soon (findings arrive cell by cell). */
  schedule(): void {
    if (this.pending === null) {
      this.pending = setTimeout(() => {
        this.pending = null;
        this.render();
      }, 50);
    }
  }

  dispose(): void {
    this.client.store.changed.disconnect(this.schedule, this);
    super.dispose();
  }

  private render(): void {
    const owner = this.client.current;
    const entries = owner ? this.client.store.findingsOf(owner) : [];
    const name = owner ? decodeURIComponent(owner.split('/').pop() ?? owner) : '';
    this.header.textContent = owner
      ? `${name}: ${entries.length} finding${entries.length === 1 ? '' : 's'}`
      : 'Open a Python notebook or file to see its Codeward findings.';
    const previous = this.actions;
    this.actions = new Map();
    this.list.replaceChildren(...entries.map((e) => this.row(e, previous)));
  }

  private row(entry: IFindingEntry, previous: Map<string, Promise<ICodeAction[]>>): HTMLElement {
    const { target, diagnostic, severity } = entry;
    const li = document.createElement('li');
    li.className = `cw-panel-row cw-panel-row-${severity.toLowerCase()}`;
    li.dataset.codewardRule = ruleOf(diagnostic);
    const badge = document.createElement('span');
    badge.className = `cw-severity cw-severity-${severity.toLowerCase()}`;
    badge.textContent = severity;
    const where = document.createElement('span');
    where.className = 'cw-panel-where';
    const line = diagnostic.range.start.line + 1;
    where.textContent = [target.label(), `line ${line}`].filter(Boolean).join(', ');
    const rule = document.createElement('code');
    rule.className = 'cw-panel-rule';
    rule.textContent = ruleOf(diagnostic);
    const message = document.createElement('div');
    message.className = 'cw-panel-message';
    message.textContent = diagnostic.message;
    const actions = document.createElement('div');
    actions.className = 'cw-panel-actions';
    li.append(badge, where, rule, message, actions);
    li.tabIndex = 0;
    li.title = 'Go to the finding';
    const go = async () => {
      const editor = await target.reveal();
      if (editor) {
        editor.setCursorPosition({ line: diagnostic.range.start.line, column: diagnostic.range.start.character });
        editor.focus();
      }
    };
    li.onclick = (e) => {
      if (!(e.target instanceof HTMLButtonElement)) {
        void go();
      }
    };
    li.onkeydown = (e) => {
      if (e.key === 'Enter') {
        void go();
      }
    };
    if (diagnostic.data?.fixes?.length) {
      const key = JSON.stringify([target.uri, diagnostic.data.version, diagnostic.range, ruleOf(diagnostic)]);
      const fetched = previous.get(key) ?? this.client.codeActions(target.uri, diagnostic);
      this.actions.set(key, fetched);
      void fillActions(this.client, target, diagnostic, actions, () => fetched);
    }
    return li;
  }
}
