// Real JupyterLab end to end: JupyterLab 4 with codeward-jupyterlab installed (pip, from the
// wheel), `codeward lsp` run by jupyter-lsp, driven in headless Debian Chromium by playwright-core.
//
// Opens a notebook whose third cell calls hashlib.md5 (imported in the first cell): the underline
// appears in that cell, the status bar counts it, the findings panel lists it (choosing it moves
// the cursor there), the toolbar button and the cell menu run a scan, the hover card shows the
// detector, CWE and fix, its quick-fix button edits the cell and the finding disappears; typing a
// new md5 call brings a finding back; with pylsp and jupyterlab-lsp installed (as `.ci/run` does),
// the completer still offers pylsp's completions in a cell while Codeward's underline shows; a .py
// file gets its finding too.
//
// Usage: node tests/editors/jupyterlab/e2e.mjs   (exit 0 and PASS: pass; every wait is bounded)
// Env: CODEWARD_BIN (default target/debug/codeward), CODEWARD_JLAB_PYTHON (a Python with
// jupyterlab + codeward-jupyterlab; default target/editors/jlab-venv/bin/python), CODEWARD_CHROMIUM
// (default /usr/bin/chromium), CW_TIMEOUT_MS (per step, default 30000), CW_SCREENSHOT (write the
// notebook-with-findings screenshot there), CW_KEEP=1 keeps the sandbox (always kept on failure).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const repo = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(path.join(repo, 'editors/jupyterlab/package.json'));
const { chromium } = require('playwright-core');

const BIN = path.resolve(process.env.CODEWARD_BIN || path.join(repo, 'target/debug/codeward'));
const PYTHON = process.env.CODEWARD_JLAB_PYTHON || path.join(repo, 'target/editors/jlab-venv/bin/python');
const CHROMIUM = process.env.CODEWARD_CHROMIUM || '/usr/bin/chromium';
const STEP_MS = Number(process.env.CW_TIMEOUT_MS || 30000);
const TOTAL_MS = Number(process.env.CW_TOTAL_TIMEOUT_MS || 240000);
const RULE = 'python/insecure-hashing@v1.0';
const FIX = 'Use hashlib.sha256';

const t0 = Date.now();
const say = (line) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}`);
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'codeward-jlab-e2e-'));
let server;
let context;
let failed = false;

async function cleanup() {
  if (context) await context.close().catch(() => {});
  if (server && server.exitCode === null) {
    server.stdin.end(); // jupyter_sandbox.py stops Jupyter's process group when its stdin closes
    await new Promise((r) => { const t = setTimeout(r, 15000); server.once('exit', () => { clearTimeout(t); r(); }); });
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (!process.env.CW_KEEP && !failed) fs.rmSync(sandbox, { recursive: true, force: true });
  else say(`sandbox kept: ${sandbox}`);
}

const watchdog = setTimeout(async () => {
  console.log(`FAIL: the run took longer than ${TOTAL_MS} ms`);
  failed = true;
  await cleanup();
  process.exit(1);
}, TOTAL_MS);

/** Starts Jupyter through jupyter_sandbox.py; resolves with its port and token. */
function startJupyter() {
  return new Promise((resolve, reject) => {
    server = spawn(PYTHON, [path.join(import.meta.dirname, 'jupyter_sandbox.py'), path.join(sandbox, 'jupyter'), BIN, 'lab'], {
      stdio: ['pipe', 'pipe', 'inherit']
    });
    server.once('error', reject);
    server.once('exit', (code) => reject(new Error(`jupyter_sandbox.py exited with ${code}`)));
    readline.createInterface({ input: server.stdout }).on('line', (line) => {
      const m = /^READY (\d+) (\S+)$/.exec(line);
      if (m) resolve({ port: Number(m[1]), token: m[2] });
      else console.log(`jupyter: ${line}`);
    });
  });
}

/** Waits until `fn` (run in the page) returns a truthy value; returns it. */
async function until(page, what, fn, arg) {
  try {
    const handle = await page.waitForFunction(fn, arg, { timeout: STEP_MS, polling: 200 });
    return await handle.jsonValue();
  } catch (e) {
    throw new Error(`${what}: not within ${STEP_MS} ms (${e.message.split('\n')[0]})`);
  }
}

const statusText = () => document.querySelector('.cw-status')?.textContent ?? '';

async function main() {
  for (const [what, file] of [['server', BIN], ['python', PYTHON], ['chromium', CHROMIUM]]) {
    if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file}`);
  }
  const { port, token } = await startJupyter();
  const base = `http://127.0.0.1:${port}`;
  say(`jupyter lab up on ${base}`);
  context = await chromium.launchPersistentContext(path.join(sandbox, 'chromium'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: { width: 1400, height: 860 }
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on('console', (m) => { if (m.type() === 'error' || m.text().includes('codeward')) console.log(`browser ${m.type()}: ${m.text()}`); });
  await page.goto(`${base}/lab/tree/vulnerable.ipynb?token=${token}&reset`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: STEP_MS * 2 });
  say('notebook open');

  // 1. the underline in cell 3, on `hashlib.md5` (the import is in cell 1)
  const underline = page.locator('.jp-Notebook .cw-finding').first();
  await underline.waitFor({ timeout: STEP_MS });
  const marked = await underline.evaluate((el) => ({
    text: el.textContent, rule: el.getAttribute('data-codeward-rule'),
    cell: [...document.querySelectorAll('.jp-Notebook .jp-Cell')].indexOf(el.closest('.jp-Cell'))
  }));
  say(`underline: ${JSON.stringify(marked)}`);
  if (marked.rule !== RULE || marked.cell !== 2 || !marked.text.includes('hashlib.md5')) throw new Error(`unexpected underline ${JSON.stringify(marked)}`);
  say(`status: ${await until(page, 'status "Scan completed (1 finding)"', (t) => { const s = document.querySelector('.cw-status')?.textContent ?? ''; return s.includes(t) && s; }, 'Scan completed (1 finding)')}`);

  // 2. the findings panel lists it; choosing it moves the cursor to cell 3, line 2
  await page.evaluate(() => window.jupyterapp.commands.execute('codeward:show-findings'));
  const row = page.locator(`.cw-panel-row[data-codeward-rule="${RULE}"]`);
  await row.waitFor({ timeout: STEP_MS });
  const rowText = (await row.innerText()).replace(/\s+/g, ' ');
  say(`panel row: ${rowText}`);
  if (!rowText.includes('cell 3, line 2') || !rowText.includes('Medium')) throw new Error(`panel row lacks the place or severity: ${rowText}`);
  await page.evaluate(() => { const nb = window.jupyterapp.shell.currentWidget.content; nb.activeCellIndex = 0; });
  await row.locator('.cw-panel-where').click();
  const cursor = await until(page, 'cursor in cell 3 after choosing the finding', () => {
    const nb = window.jupyterapp.shell.currentWidget?.content;
    const pos = nb?.activeCell?.editor?.getCursorPosition();
    return nb && nb.activeCellIndex === 2 && pos && pos.line === 1 ? { cell: nb.activeCellIndex, ...pos } : null;
  });
  say(`cursor after choosing the finding: ${JSON.stringify(cursor)}`);

  // 3. "Run code scan": the notebook toolbar button and the cell context menu (each finished scan
  //    bumps the status item's data-scans)
  const scans = () => page.evaluate(() => Number(document.querySelector('.cw-status')?.dataset.scans ?? -1));
  const before = await scans();
  await page.locator('.jp-NotebookPanel-toolbar [data-command="codeward:scan"]').first().click();
  await until(page, 'the toolbar scan to finish', (n) => Number(document.querySelector('.cw-status')?.dataset.scans) > n, before);
  await until(page, 'status after the toolbar scan', (t) => (document.querySelector('.cw-status')?.textContent ?? '').includes(t), 'Scan completed (1 finding)');
  // jupyterlab-lsp rebuilds its notebook adapter when the kernel connects, and a context menu
  // opened meanwhile fails to render ("Virtual document of adapter disposed!"): wait for the
  // kernel, and open the menu again if it still did not render
  await until(page, 'the kernel', () => window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle');
  const item = page.locator('.lm-Menu .lm-Menu-item[data-command="codeward:scan"]');
  for (let attempt = 1; ; attempt++) {
    await page.locator('.jp-Notebook .jp-Cell').nth(0).click({ button: 'right' });
    try {
      await item.waitFor({ timeout: attempt < 3 ? STEP_MS / 3 : STEP_MS });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
      say(`cell menu not rendered (attempt ${attempt}), opening it again`);
      await page.keyboard.press('Escape');
    }
  }
  await item.click();
  await until(page, 'the menu scan to finish', (n) => Number(document.querySelector('.cw-status')?.dataset.scans) > n + 1, before);
  await until(page, 'status after the menu scan', (t) => (document.querySelector('.cw-status')?.textContent ?? '').includes(t), 'Scan completed (1 finding)');
  say(`toolbar button and cell menu scanned (${(await scans()) - before} scans)`);

  // 4. the hover card: detector, severity, CWE, explanation, the fix button
  await underline.hover();
  const card = page.locator('.cw-card');
  await card.waitFor({ timeout: STEP_MS });
  await card.locator('.cw-card-markdown').waitFor({ timeout: STEP_MS });
  const fixButton = card.locator('.cw-action', { hasText: FIX });
  await fixButton.waitFor({ timeout: STEP_MS });
  const cardText = (await card.innerText()).replace(/\s+/g, ' ');
  say(`hover card: ${cardText.slice(0, 200)}…`);
  for (const want of ['Insecure hashing', 'Medium', 'CWE-327', RULE]) {
    if (!cardText.includes(want)) throw new Error(`hover card lacks "${want}": ${cardText}`);
  }
  if (process.env.CW_SCREENSHOT) {
    await page.screenshot({ path: process.env.CW_SCREENSHOT });
    say(`screenshot: ${process.env.CW_SCREENSHOT}`);
  }

  // 5. the quick fix edits cell 3 and the finding disappears (underline, panel, status)
  await fixButton.click();
  const fixed = await until(page, 'the fix in cell 3', () => {
    const src = window.jupyterapp.shell.currentWidget.content.model.cells.get(2).sharedModel.getSource();
    return src.includes('hashlib.sha256(data)') && src;
  });
  say(`cell 3 after the fix: ${JSON.stringify(fixed)}`);
  await until(page, 'the finding to disappear', () =>
    document.querySelectorAll('.jp-Notebook .cw-finding').length === 0 &&
    document.querySelectorAll('.cw-panel-row').length === 0 &&
    (document.querySelector('.cw-status')?.textContent ?? '').includes('Scan completed (0 findings)'));
  say('finding gone after the quick fix');

  // 6. typing a new md5 call in cell 1 brings a finding back (scan while typing)
  await page.locator('.jp-Notebook .jp-Cell').nth(0).locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('legacy = hashlib.md5(b"x")');
  const typed = await until(page, 'a finding for the typed line', () => {
    const el = document.querySelector('.jp-Notebook .jp-Cell .cw-finding');
    const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
    return el && { cell: cells.indexOf(el.closest('.jp-Cell')), text: el.textContent };
  });
  say(`typed finding: ${JSON.stringify(typed)}`);
  if (typed.cell !== 0) throw new Error(`the typed finding is in cell ${typed.cell + 1}, not 1`);

  // 7. completion still comes from pylsp (through jupyterlab-lsp) while Codeward's underline shows:
  //    `hashlib.blake` typed in cell 3 completes to `blake2b`: the kernel never ran cell 1's import
  //    and no cell contains the word (JupyterLab's context completer offers words of the cell), so
  //    only the language server, which sees the whole notebook, can offer it
  const sessions = await page.evaluate(async (t) => (await (await fetch(`/lsp/status?token=${t}`)).json()).sessions, token);
  for (const key of ['codeward', 'pylsp']) {
    if (!(sessions[key]?.handler_count >= 1)) throw new Error(`no open ${key} connection: ${JSON.stringify(sessions[key] ?? Object.keys(sessions))}`);
  }
  say(`lsp sessions: codeward ${sessions.codeward.status}, pylsp ${sessions.pylsp.status}`);
  const cell3 = await page.evaluate(() => window.jupyterapp.shell.currentWidget.content.model.cells.get(2).sharedModel.getSource());
  await page.locator('.jp-Notebook .jp-Cell').nth(2).locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('hashlib.blake');
  // what Tab runs; again while jupyterlab-lsp is still setting up its document (the first requests
  // can come back empty)
  const completion = page.locator('.jp-Completer .jp-Completer-item[data-value="blake2b"]');
  let tries = 1;
  for (; ; tries++) {
    await page.evaluate(() => window.jupyterapp.commands.execute('completer:invoke-notebook'));
    try {
      await completion.waitFor({ timeout: STEP_MS / 6 });
      break;
    } catch {
      if (tries >= 6) throw new Error(`no pylsp completion \`blake2b\` for \`hashlib.blake\` in cell 3 after ${tries} tries`);
    }
  }
  const offered = await page.evaluate(() => [...document.querySelectorAll('.jp-Completer .jp-Completer-item')].map((e) => e.dataset.value));
  const stillMarked = await page.locator('.jp-Notebook .jp-Cell').nth(0).locator('.cw-finding').count();
  say(`completer in cell 3 (try ${tries}): ${offered.slice(0, 8).join(', ')}; cell 1 underlines: ${stillMarked}`);
  if (stillMarked < 1) throw new Error("Codeward's underline in cell 1 is gone while completing");
  await page.keyboard.press('Escape');
  await page.evaluate((src) => window.jupyterapp.shell.currentWidget.content.model.cells.get(2).sharedModel.setSource(src), cell3);

  // 8. a .py file in the editor
  await page.evaluate(() => window.jupyterapp.commands.execute('docmanager:open', { path: 'bad.py' }));
  const fileMark = page.locator('.jp-FileEditor .cw-finding').first();
  await fileMark.waitFor({ timeout: STEP_MS });
  say(`bad.py underline: ${await fileMark.textContent()}`);
  await until(page, 'status for bad.py', (t) => (document.querySelector('.cw-status')?.textContent ?? '').includes(t), 'Scan completed (1 finding)');
  console.log(`PASS in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

try {
  await main();
} catch (e) {
  failed = true;
  console.log(`FAIL: ${e.stack || e}`);
  const page = context?.pages()[0];
  if (page) await page.screenshot({ path: path.join(sandbox, 'failure.png') }).catch(() => {});
  const log = path.join(sandbox, 'jupyter/jupyter.log');
  if (fs.existsSync(log)) console.log(`--- jupyter log (tail):\n${fs.readFileSync(log, 'utf8').slice(-4000)}`);
} finally {
  clearTimeout(watchdog);
  await cleanup();
}
process.exit(failed ? 1 : 0);
