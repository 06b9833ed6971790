/**
 * The finding card shown on hover over an underline and the quick-fix buttons it shares with the
 * findings panel.
 */
import { CodewardClient, ICodeAction } from './client';
import { severityOf } from './mapping';
import { IDiagnostic, IDocTarget } from './store';

/** Renders markdown into an element (JupyterLab's sanitizing markdown renderer). */
export type MarkdownRenderer = (markdown: string, host: HTMLElement) => Promise<void>;

/** The rule id of a diagnostic. */
export function ruleOf(d: IDiagnostic): string {
  return String(d.data?.ruleId ?? d.code ?? '');
}

/** A button applying `action` to the document; reports a failure on the button. */
export function actionButton(client: CodewardClient, action: ICodeAction): HTMLButtonElement {
  const button = document.createElement('button');
  button.className = 'jp-Button cw-action' + (action.isPreferred ? ' cw-action-preferred' : '');
  button.textContent = action.title;
  button.title = `Apply: ${action.title}`;
  button.onmousedown = (e) => e.preventDefault(); // keep the editor's focus and selection
  button.onclick = async (e) => {
    e.preventDefault();
    e.stopPropagation();
    button.disabled = true;
    try {
      await client.applyAction(action);
    } catch (error) {
      button.disabled = false;
      button.title = `Could not apply: ${error}`;
      button.classList.add('cw-action-failed');
    }
  };
  return button;
}

/** Fills `host` with buttons for the server's fixes of `diagnostic` (nothing when there are none). */
export async function fillActions(
  client: CodewardClient,
  target: IDocTarget,
  diagnostic: IDiagnostic,
  host: HTMLElement,
  fetch: () => Promise<ICodeAction[]> = () => client.codeActions(target.uri, diagnostic)
): Promise<void> {
  let actions: ICodeAction[] = [];
  try {
    actions = await fetch();
  } catch (error) {
    host.textContent = `Quick fixes unavailable: ${error}`;
    return;
  }
  // the fixes of this finding first (the preferred one leading), then suppressions and the rest
  const mine = actions.filter((a) => !a.diagnostics || a.diagnostics.some((d) => ruleOf(d) === ruleOf(diagnostic)));
  mine.sort((a, b) => Number(Boolean(b.isPreferred)) - Number(Boolean(a.isPreferred)));
  for (const action of mine) {
    host.appendChild(actionButton(client, action));
  }
}

/** The card for the findings `diagnostics` at one place of `target`. */
export function findingCard(
  client: CodewardClient,
  target: IDocTarget,
  diagnostics: IDiagnostic[],
  render: MarkdownRenderer
): HTMLElement {
  const card = document.createElement('div');
  card.className = 'cw-card';
  for (const d of diagnostics) {
    const section = document.createElement('section');
    section.className = 'cw-card-finding';
    const severity = severityOf(d);
    const head = document.createElement('div');
    head.className = 'cw-card-head';
    const badge = document.createElement('span');
    badge.className = `cw-severity cw-severity-${severity.toLowerCase()}`;
    badge.textContent = severity;
    const rule = document.createElement('code');
    rule.className = 'cw-card-rule';
    rule.textContent = ruleOf(d);
    head.append(badge, rule);
    const message = document.createElement('div');
    message.className = 'cw-card-message';
    message.textContent = d.message;
    const details = document.createElement('div');
    details.className = 'cw-card-details';
    const actions = document.createElement('div');
    actions.className = 'cw-card-actions';
    section.append(head, message, actions, details);
    card.appendChild(section);
    // the server's hover: detector name, severity, CWE links, explanation and the fix
    void client
      .hover(target.uri, d.range.start)
      .then(async (markdown) => {
        if (markdown) {
          message.remove();
          await render(markdown, details);
        }
      })
      .catch((e) => console.warn('codeward: hover', e));
    void fillActions(client, target, d, actions);
  }
  return card;
}
