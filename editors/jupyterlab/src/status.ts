/** The status bar item: "Codeward: Scan in progress", "... Scan completed (N findings)", ... */
import { Widget } from '@lumino/widgets';

import { CodewardClient, IStatus } from './client';

/** The status bar widget; clicking it runs `onClick` (shows the findings panel). */
export class StatusItem extends Widget {
  constructor(client: CodewardClient, onClick: () => void) {
    super();
    this.addClass('cw-status');
    this.node.onclick = onClick;
    this.display(client.status);
    client.statusChanged.connect((_, status) => this.display(status), this);
  }

  private display(status: IStatus): void {
    this.node.textContent = status.text;
    this.node.title = status.title;
    this.node.dataset.state = status.state;
    this.node.dataset.scans = String(status.scans ?? 0);
  }
}
