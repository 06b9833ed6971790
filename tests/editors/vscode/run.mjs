// Real VS Code end to end: VS Code 1.100.3 (code-server 4.100.3) with the Codeward .vsix built by
// `editors/vscode/scripts/package.sh` (bundling $CODEWARD_BIN) and the probe extension installed,
// driven in headless Debian Chromium through playwright-core.
//
// 1. Inside the extension host, the probe (probe/extension.js) opens Python, Java and JavaScript
//    files and a notebook, checks findings, doc links, hovers, quick fixes, suppress actions,
//    live settings, the scan commands and the status bar, and writes a report.
// 2. In the browser: the squiggle, the Problems panel row with the rule id, the Ctrl+. menu with
//    the fix and "Suppress", picking the fix, and the status bar item's count.
//
// Usage: node tests/editors/vscode/run.mjs   (exit 0: pass, 1: fail; every wait is bounded)
// Env: CODEWARD_BIN (server; default target/debug/codeward), CODEWARD_CODE_SERVER (default
// target/editors/code-server/node_modules/.bin/code-server), CODEWARD_CHROMIUM (default
// /usr/bin/chromium), CW_TIMEOUT_MS (per step, default 30000), CW_KEEP=1 keeps the sandbox (always kept on failure).
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../../..');
const ext = path.join(repo, 'editors/vscode');
const require = createRequire(path.join(ext, 'package.json'));
const { chromium } = require('playwright-core');

const BIN = path.resolve(process.env.CODEWARD_BIN || path.join(repo, 'target/debug/codeward'));
const CODE_SERVER = process.env.CODEWARD_CODE_SERVER || path.join(repo, 'target/editors/code-server/node_modules/.bin/code-server');
const CHROMIUM = process.env.CODEWARD_CHROMIUM || '/usr/bin/chromium';
const STEP_MS = Number(process.env.CW_TIMEOUT_MS || 30000);
const TOTAL_MS = Number(process.env.CW_TOTAL_TIMEOUT_MS || 240000);
const RULE = 'python/insecure-hashing@v1.0';

const t0 = Date.now();
const say = (line) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}`);
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'codeward-vscode-'));
const dirs = Object.fromEntries(['work', 'data', 'exts', 'xdg-data', 'xdg-config', 'chromium', 'home'].map((d) => [d, path.join(sandbox, d)]));
for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
let server;
let context;

async function cleanup() {
  if (context) await context.close().catch(() => {});
  if (server && server.exitCode === null) {
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ }
    await new Promise((r) => { const t = setTimeout(r, 3000); server.once('exit', () => { clearTimeout(t); r(); }); });
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  if (!process.env.CW_KEEP) fs.rmSync(sandbox, { recursive: true, force: true });
  else say(`sandbox kept: ${sandbox}`);
}

// The whole run is bounded: a hang anywhere fails the test instead of blocking CI.
const watchdog = setTimeout(async () => {
  console.log(`FAIL: the run took longer than ${TOTAL_MS} ms`);
  await cleanup();
  process.exit(1);
}, TOTAL_MS);

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000, ...opts });
}

const freePort = () => new Promise((resolve, reject) => {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  srv.on('error', reject);
});

async function main() {
  for (const [what, file] of [['server', BIN], ['code-server', CODE_SERVER], ['chromium', CHROMIUM]]) {
    if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file}`);
  }
  for (const f of fs.readdirSync(path.join(repo, 'tests/editors/samples'))) {
    fs.copyFileSync(path.join(repo, 'tests/editors/samples', f), path.join(dirs.work, f));
  }
  // The extension as users get it: `npm run package` with the server binary bundled.
  const vsix = path.join(sandbox, 'codeward.vsix');
  run('bash', [path.join(ext, 'scripts/package.sh')], { cwd: ext, env: { ...process.env, CODEWARD_BIN: BIN, VSIX_OUT: vsix } });
  const probeDir = path.join(sandbox, 'probe');
  fs.cpSync(path.join(import.meta.dirname, 'probe'), probeDir, { recursive: true });
  const probeVsix = path.join(sandbox, 'probe.vsix');
  run(path.join(ext, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--skip-license', '-o', probeVsix], { cwd: probeDir });
  say(`packaged ${path.basename(vsix)} (${(fs.statSync(vsix).size / 1e6).toFixed(1)} MB) and the probe`);

  const env = {
    ...process.env,
    HOME: dirs.home,
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CONFIG_HOME: dirs['xdg-config'],
    CW_PROBE_OUT: path.join(sandbox, 'probe-result.json'),
    CW_WORK: dirs.work,
    CW_TIMEOUT_MS: String(STEP_MS),
    // the bundled server must be the one found: no codeward on PATH
    PATH: (process.env.PATH || '').split(':').filter((d) => !fs.existsSync(path.join(d, 'codeward'))).join(':'),
  };
  const csArgs = ['--user-data-dir', dirs.data, '--extensions-dir', dirs.exts];
  run(CODE_SERVER, [...csArgs, '--install-extension', vsix, '--install-extension', probeVsix, '--force'], { env });
  const installed = run(CODE_SERVER, [...csArgs, '--list-extensions', '--show-versions'], { env });
  say(`installed: ${installed.trim().split('\n').join(', ')}`);
  fs.mkdirSync(path.join(dirs.data, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.data, 'User/settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'workbench.enableExperiments': false,
    'notebook.experimental.remoteSave': false,
    'codeward.trace.server': 'messages',
    // VS Code's own JavaScript support: a syntax-only tsserver (a full one is slow to start on a
    // loaded machine and is not what is tested here)
    'typescript.tsserver.useSyntaxServer': 'always',
    'javascript.validate.enable': false,
  }, null, 1));

  const port = await freePort();
  const csLog = fs.openSync(path.join(sandbox, 'code-server.log'), 'w');
  server = spawn(CODE_SERVER, [...csArgs, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', dirs.work],
  { env, detached: true, stdio: ['ignore', csLog, csLog] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error(`code-server exited ${server.exitCode}`);
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break;
    if (i > 120) throw new Error('code-server not healthy after 60 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  say(`code-server up on ${base}`);

  context = await chromium.launchPersistentContext(dirs.chromium, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 900 },
    env: { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: dirs['xdg-config'], XDG_CACHE_HOME: path.join(dirs.home, '.cache') },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  await page.goto(`${base}/?folder=${encodeURIComponent(dirs.work)}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  say('workbench up');

  // 1. the probe's checks inside the extension host (the probe has its own per-step timeouts)
  const resultFile = env.CW_PROBE_OUT;
  const deadline = Date.now() + 12 * STEP_MS;
  while (!fs.existsSync(resultFile) && Date.now() < deadline) await page.waitForTimeout(250);
  if (!fs.existsSync(resultFile)) throw new Error('the probe wrote no result');
  const probe = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  for (const line of probe.log) console.log(`  probe ${line}`);
  if (!probe.ok) throw new Error(`probe failed: ${probe.error}`);
  say(`probe passed${probe.notebook?.notebookSync ? ' (notebook synced as a notebook)' : ' (notebook cells synced one by one)'}`);

  // 2. what the user sees: the probe left ui.py open with its finding
  // the status bar item counts ui.py's finding
  const status = page.locator('.statusbar-item', { hasText: /Codeward: [1-9]/ }).first();
  await status.waitFor();
  const statusBefore = (await status.innerText()).trim();
  const squiggle = page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first();
  await squiggle.waitFor({ state: 'attached' });
  await page.keyboard.press('Control+Shift+M'); // View: Problems
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: RULE }).first();
  await row.waitFor();
  const rowText = (await row.innerText()).replace(/\s+/g, ' ');
  say(`Problems row: ${rowText}`);
  // the rule id is a link to the detector's documentation (codeDescription.href)
  const link = row.locator('a.monaco-link', { hasText: RULE }).first();
  if ((await link.count()) === 0) throw new Error('the rule id in the Problems panel is not a link');
  const href = await link.getAttribute('href');
  if (!href?.startsWith('https://docs.aws.amazon.com/codeguru/detector-library/python/insecure-hashing')) {
    throw new Error(`the rule id links to ${href}`);
  }
  say(`Problems: ${RULE} links to ${href}`);
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G'); // Go to Line
  await page.keyboard.type('3');
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  await page.keyboard.press('Control+.'); // Quick Fix...
  const menu = page.locator('.action-widget');
  await menu.waitFor();
  const items = (await menu.innerText()).split('\n').map((s) => s.trim()).filter(Boolean);
  say(`Ctrl+. menu: ${JSON.stringify(items)}`);
  if (!items.some((t) => t.startsWith('Use hashlib.sha256'))) throw new Error('the quick fix menu lacks the fix');
  if (!items.includes(`Suppress ${RULE} for this line`)) throw new Error('the quick fix menu lacks "Suppress"');
  // the preferred fix comes first and has the focus: Enter applies it, as a user would
  const focused = await menu.locator('.monaco-list-row.focused').first().getAttribute('aria-label');
  if (!focused?.startsWith('Use hashlib.sha256')) throw new Error(`the focused action is ${focused}, not the fix`);
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines', { hasText: 'hashlib.sha256(b"x")' }).first().waitFor();
  await page.locator('.markers-panel .monaco-list-row', { hasText: RULE }).first().waitFor({ state: 'detached' });
  await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first().waitFor({ state: 'detached' });
  await page.locator('.statusbar-item', { hasText: 'Codeward: 0' }).first().waitFor();
  say(`fix picked in the menu: finding gone from the editor and the Problems panel; status bar "${statusBefore}" -> "Codeward: 0"`);
  await page.screenshot({ path: path.join(sandbox, 'final.png') });
}

let rc = 1;
try {
  await main();
  say('PASS');
  rc = 0;
} catch (err) {
  console.log(`FAIL: ${err.message}`);
  const csLog = path.join(sandbox, 'code-server.log');
  if (fs.existsSync(csLog)) console.log(`--- tail of code-server.log:\n${fs.readFileSync(csLog, 'utf8').split('\n').slice(-30).join('\n')}`);
  const exthost = findLogs(dirs.data);
  for (const f of exthost) console.log(`--- tail of ${path.relative(sandbox, f)}:\n${fs.readFileSync(f, 'utf8').split('\n').slice(-40).join('\n')}`);
  if (context) {
    const page = context.pages()[0];
    if (page) await page.screenshot({ path: path.join(sandbox, 'fail.png') }).catch(() => {});
  }
  process.env.CW_KEEP = '1'; // keep the sandbox (logs, fail.png) for a look
} finally {
  clearTimeout(watchdog);
  await cleanup();
}
process.exit(rc);

/** The extension host logs and Codeward's output channel under the user data dir. */
function findLogs(dir) {
  const found = [];
  const walk = (d) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost\.log$|Codeward\.log$/.test(e.name)) found.push(p);
    }
  };
  walk(path.join(dir, 'logs'));
  return found;
}
