// Test-only extension, installed next to the Codeward .vsix in code-server: runs the end-to-end
// checks inside the real extension host (the installed Codeward extension, its language client,
// VS Code's diagnostics, code action, hover and notebook APIs) and writes a JSON report to
// $CW_PROBE_OUT. Inert without that variable. Run by tests/editors/vscode/run.mjs.
'use strict';
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

const STEP_MS = Number(process.env.CW_TIMEOUT_MS || 30000);
const DOCS = 'https://docs.aws.amazon.com/codeguru/detector-library/';
const CASES = [
  { file: 'bad.py', rule: 'python/insecure-hashing@v1.0', fix: 'Use hashlib.sha256', after: 'h = hashlib.sha256(data)' },
  { file: 'Tokens.java', rule: 'java/weak-random-number-generation@v1.0', fix: 'Use `SecureRandom`', after: 'Random r = new SecureRandom();' },
  { file: 'bad.js', rule: 'javascript/improper-certificate-validation@v1.0', fix: 'Remove `rejectUnauthorized: false`', after: "https.request({ host: 'x' })" },
];
const PY_RULE = CASES[0].rule;

const log = [];
const say = (line) => { log.push(`${new Date().toISOString().slice(11, 23)} ${line}`); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const codeOf = (d) => (typeof d.code === 'object' && d.code !== null ? d.code.value : d.code);
const ours = (uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'codeward');

/** Polls `fn` until it returns a truthy value, or throws `what` after STEP_MS. */
async function until(what, fn, ms = STEP_MS) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await sleep(100);
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Codeward findings on every document but `uri`. */
const countOthers = (uri) => vscode.languages.getDiagnostics()
  .filter(([u]) => u.toString() !== uri.toString())
  .reduce((n, [, ds]) => n + ds.filter((d) => d.source === 'codeward' && codeOf(d) !== 'codeward/express-limit').length, 0);

const describe = (uri) => JSON.stringify(ours(uri).map((d) => `${codeOf(d)}@${d.range.start.line}`));

/** Waits for `rule` on `uri` and checks it is shown once (not pushed and pulled both). */
async function waitFinding(uri, rule, what) {
  const d = await until(`${what}: ${rule} (have ${describe(uri)})`, () => ours(uri).find((x) => codeOf(x) === rule));
  const count = ours(uri).filter((x) => codeOf(x) === rule && x.range.isEqual(d.range)).length;
  check(count === 1, `${what}: ${rule} is shown ${count} times: ${describe(uri)}`);
  return d;
}

async function waitNoFinding(uri, rule, what) {
  await until(`${what}: ${rule} gone (have ${describe(uri)})`, () => !ours(uri).some((d) => codeOf(d) === rule));
}

/** Opens, checks the finding, its doc link and hover, the light bulb's actions, applies the fix. */
async function fileCase(work, c, report) {
  const uri = vscode.Uri.file(path.join(work, c.file));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  const d = await waitFinding(uri, c.rule, `${c.file} (${doc.languageId})`);
  say(`${c.file}: ${c.rule} at ${d.range.start.line + 1}:${d.range.start.character + 1} severity ${d.severity}`);
  check(typeof d.code === 'object' && String(d.code.target).startsWith(DOCS), `${c.file}: the rule id links to its docs, got ${JSON.stringify(d.code)}`);
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, d.range.start);
  const hoverText = (hovers || []).flatMap((h) => h.contents.map((m) => (typeof m === 'string' ? m : m.value))).join('\n');
  check(hoverText.length > 40, `${c.file}: hover explains the finding, got ${JSON.stringify(hoverText)}`);
  // what the light bulb shows for the finding (quick fixes; other extensions' refactorings aside)
  const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, d.range, 'quickfix');
  const titles = actions.map((a) => a.title);
  say(`${c.file}: actions ${JSON.stringify(titles)}`);
  const fix = actions.find((a) => a.title.startsWith(c.fix));
  check(fix && fix.edit, `${c.file}: quick fix "${c.fix}", got ${JSON.stringify(titles)}`);
  check(fix.kind && fix.kind.value === 'quickfix', `${c.file}: the fix is a quickfix, got ${fix.kind && fix.kind.value}`);
  check(titles.includes(`Suppress ${c.rule} for this line`), `${c.file}: suppress action, got ${JSON.stringify(titles)}`);
  check(await vscode.workspace.applyEdit(fix.edit), `${c.file}: applyEdit refused`);
  for (const line of c.after.split('|')) check(doc.getText().includes(line), `${c.file}: after the fix the text has ${line}:\n${doc.getText()}`);
  await waitNoFinding(uri, c.rule, `${c.file} after the fix`);
  say(`${c.file}: fixed, finding gone`);
  report.files.push({ file: c.file, rule: c.rule, href: String(d.code.target), actions: titles });
  await doc.save();
}

async function settingsCase(work, api, report) {
  const file = path.join(work, 'live.py');
  fs.writeFileSync(file, 'import hashlib\n\nh = hashlib.md5(b"x")\n');
  const uri = vscode.Uri.file(file);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  await waitFinding(uri, PY_RULE, 'live.py');
  const config = () => vscode.workspace.getConfiguration('codeward');
  await config().update('minimumSeverity', 'Critical', vscode.ConfigurationTarget.Global);
  await waitNoFinding(uri, PY_RULE, 'codeward.minimumSeverity = Critical, no restart');
  check(api.settings().minSeverity === 'Critical', `sent settings: ${JSON.stringify(api.settings())}`);
  await config().update('minimumSeverity', undefined, vscode.ConfigurationTarget.Global);
  await waitFinding(uri, PY_RULE, 'codeward.minimumSeverity reset');
  await config().update('disabledRules', ['insecure-hashing'], vscode.ConfigurationTarget.Global);
  await waitNoFinding(uri, PY_RULE, 'codeward.disabledRules = [insecure-hashing]');
  await config().update('disabledRules', undefined, vscode.ConfigurationTarget.Global);
  await waitFinding(uri, PY_RULE, 'codeward.disabledRules reset');
  say('settings: minimumSeverity and disabledRules reach the server without a restart');
  // the commands: Scan Current File (active editor by default) and Scan Workspace
  const one = await vscode.commands.executeCommand('codeward.scanFile');
  check(one && one.findings === 1 && one.documents === 1, `codeward.scanFile: ${JSON.stringify(one)}`);
  const all = await vscode.commands.executeCommand('codeward.scanWorkspace');
  check(all && all.documents >= 1 && all.findings >= 1, `codeward.scanWorkspace: ${JSON.stringify(all)}`);
  // the status bar counts the open findings (live.py's, once the rescan's diagnostics are in)
  await until(`status bar counts live.py's finding: ${JSON.stringify(api.status())}`, () => {
    const s = api.status();
    return s.state === 'ready' && s.findings >= 1 && s.findings === ours(uri).length + countOthers(uri);
  });
  const status = api.status();
  check(status.text.includes(`Codeward: ${status.findings}`), `status bar text: ${JSON.stringify(status)}`);
  say(`commands: scanFile ${JSON.stringify(one)}, scanWorkspace ${JSON.stringify(all)}; status ${JSON.stringify(status.text)}`);
  report.commands = { scanFile: one, scanWorkspace: all, status };
  // Show Output and Restart Server: a new server process, and the finding is back
  await vscode.commands.executeCommand('codeward.showOutput');
  await vscode.commands.executeCommand('codeward.restartServer');
  await api.ready();
  await waitFinding(uri, PY_RULE, 'live.py after Restart Server');
  check(api.status().state === 'ready', `status after the restart: ${JSON.stringify(api.status())}`);
  const again = await vscode.commands.executeCommand('codeward.scanFile', uri);
  check(again && again.findings === 1, `codeward.scanFile(uri) after the restart: ${JSON.stringify(again)}`);
  say('Show Output, Restart Server: the new server reports the finding again');
  // scanTrigger manual: nothing is scanned by itself, until codeward.autoScanInterval's timer
  await config().update('scanTrigger', 'manual', vscode.ConfigurationTarget.Global);
  await until('scanTrigger manual reaches the server', () => api.settings().scanTrigger === 'manual');
  const autoFile = path.join(work, 'auto.py');
  fs.writeFileSync(autoFile, 'import hashlib\n\nh = hashlib.md5(b"a")\n');
  const auto = vscode.Uri.file(autoFile);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(auto));
  await sleep(1500);
  check(ours(auto).length === 0, `scanTrigger manual: auto.py was scanned on open: ${describe(auto)}`);
  const started = Date.now();
  await config().update('autoScanInterval', 10, vscode.ConfigurationTarget.Global);
  await waitFinding(auto, PY_RULE, 'codeward.autoScanInterval = 10 s (manual trigger)');
  say(`autoScanInterval: the timer scanned auto.py after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await config().update('autoScanInterval', undefined, vscode.ConfigurationTarget.Global);
  await config().update('scanTrigger', undefined, vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
}

/** A notebook: findings land on the right cell, clean cells stay clean; with notebook sync, the
 * cells are one program (an import in one cell is seen in the next). */
async function notebookCase(work, api, report) {
  const caps = api.serverCapabilities() || {};
  const synced = Boolean(caps.notebookDocumentSync);
  const file = path.join(work, 'cells.ipynb');
  const cell = (source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });
  const sources = ['import hashlib\nh = hashlib.md5(b"x")\n', 'y = 1\nprint(y)\n', 'g = hashlib.md5(b"y")\n'];
  fs.writeFileSync(file, JSON.stringify({
    cells: sources.map(cell), nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
  }));
  const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
  await vscode.window.showNotebookDocument(nb);
  const cells = nb.getCells();
  check(cells.length === 3 && cells.every((c) => c.document.languageId === 'python'),
    `notebook cells: ${cells.map((c) => c.document.languageId)}`);
  const first = await waitFinding(cells[0].document.uri, PY_RULE, 'notebook cell 1');
  say(`notebook (${nb.notebookType}, server notebookDocumentSync: ${synced}): cell 1 ${PY_RULE} at line ${first.range.start.line + 1}`);
  const result = { notebookType: nb.notebookType, notebookSync: synced, cell1: describe(cells[0].document.uri) };
  if (synced) {
    await waitFinding(cells[2].document.uri, PY_RULE, 'notebook cell 3 (hashlib imported in cell 1)');
    result.cell3 = describe(cells[2].document.uri);
    say(`notebook: cell 3 ${result.cell3}: the cells are scanned as one program`);
  } else {
    say('notebook: the server does not advertise notebookDocumentSync; cells are synced one by one, cross-cell check skipped');
  }
  await sleep(1000); // let any late diagnostics for the clean cell arrive before checking it
  check(ours(cells[1].document.uri).length === 0, `clean cell 2 has no findings: ${describe(cells[1].document.uri)}`);
  result.cell2 = describe(cells[1].document.uri);
  const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', cells[0].document.uri, first.range);
  const fix = actions.find((a) => a.title.startsWith('Use hashlib.sha256'));
  check(fix && fix.edit, `notebook quick fix, got ${JSON.stringify(actions.map((a) => a.title))}`);
  check(await vscode.workspace.applyEdit(fix.edit), 'notebook applyEdit refused');
  check(cells[0].document.getText().includes('hashlib.sha256(b"x")'), `cell 1 after the fix: ${cells[0].document.getText()}`);
  await waitNoFinding(cells[0].document.uri, PY_RULE, 'notebook cell 1 after the fix');
  say('notebook: quick fix applied in cell 1, finding gone');
  result.fixed = true;
  report.notebook = result;
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
}

async function run() {
  const work = process.env.CW_WORK;
  const report = { ok: false, files: [], log };
  const ext = await until('the Codeward extension is installed', () => vscode.extensions.getExtension('codeward.codeward'));
  const api = await ext.activate();
  await api.ready();
  report.server = api.server();
  report.version = vscode.version;
  say(`VS Code ${vscode.version}; codeward ${ext.packageJSON.version}; server ${JSON.stringify(report.server)}`);
  check(report.server && report.server.origin === 'bundled', `the bundled server is used: ${JSON.stringify(report.server)}`);
  for (const c of CASES) await fileCase(work, c, report);
  await settingsCase(work, api, report);
  await notebookCase(work, api, report);
  // leave a vulnerable file open for the UI checks (squiggle, Problems panel, Ctrl+. menu)
  const ui = vscode.Uri.file(path.join(work, 'ui.py'));
  fs.writeFileSync(ui.fsPath, fs.readFileSync(path.join(work, 'live.py')));
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ui));
  await waitFinding(ui, PY_RULE, 'ui.py');
  report.ok = true;
  return report;
}

exports.activate = function activate() {
  const out = process.env.CW_PROBE_OUT;
  if (!out) return;
  const write = (report) => fs.writeFileSync(out + '.tmp', JSON.stringify(report, null, 1)) || fs.renameSync(out + '.tmp', out);
  run().then(write, (err) => write({ ok: false, error: String((err && err.stack) || err), log }));
};

exports.deactivate = function deactivate() {};
