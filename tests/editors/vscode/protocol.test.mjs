// Protocol tests for the VS Code extension, without VS Code: the real `codeward lsp` driven with
// vscode-jsonrpc / vscode-languageserver-protocol (the libraries inside vscode-languageclient),
// with the capabilities VS Code 1.100 announces and the settings exactly as the extension maps them
// (editors/vscode/out/settings.js, compiled from src/settings.ts).
//
//   CODEWARD_BIN=target/debug/codeward node --test tests/editors/vscode/protocol.test.mjs
// (editors/vscode must have its npm dependencies installed and be compiled: `npm run compile`.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const here = import.meta.dirname;
const repo = path.resolve(here, '../../..');
const ext = path.join(repo, 'editors/vscode');
const require = createRequire(path.join(ext, 'package.json'));
const rpc = require('vscode-jsonrpc/node');
const proto = require('vscode-languageserver-protocol');
const { serverSettings, LANGUAGES } = require(path.join(ext, 'out/settings.js'));

const BIN = process.env.CODEWARD_BIN || path.join(repo, 'target/debug/codeward');
const STEP_MS = Number(process.env.CW_TIMEOUT_MS || 20000);
const samples = path.join(repo, 'tests/editors/samples');
const CASES = {
  python: { file: 'bad.py', rule: 'python/insecure-hashing@v1.0', fix: 'Use hashlib.sha256', after: 'hashlib.sha256(data)' },
  java: { file: 'Tokens.java', rule: 'java/weak-random-number-generation@v1.0', fix: 'Use `SecureRandom`', after: 'new SecureRandom()' },
  javascript: { file: 'bad.js', rule: 'javascript/improper-certificate-validation@v1.0', fix: 'Remove `rejectUnauthorized: false`', after: "https.request({ host: 'x' })" },
};

/** The settings the extension sends for the given `codeward.*` values (defaults elsewhere). */
const settingsFor = (values = {}) => serverSettings((key) => values[key]);

/** Rejects after `ms` with `what` (the timer doesn't keep node alive). */
function within(promise, what, ms = STEP_MS) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** VS Code 1.100's client capabilities, trimmed to what the server looks at. */
const VSCODE_CAPABILITIES = {
  general: { positionEncodings: ['utf-16'] },
  window: { workDoneProgress: true, showMessage: {} },
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, applyEdit: true,
    workspaceEdit: { documentChanges: true }, executeCommand: { dynamicRegistration: true },
    diagnostics: { refreshSupport: true } },
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true, willSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: false, codeDescriptionSupport: true, dataSupport: true },
    diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: { dynamicRegistration: true, isPreferredSupport: true, dataSupport: true, resolveSupport: { properties: ['edit'] },
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } } },
  },
  notebookDocument: { synchronization: { dynamicRegistration: true, executionSummarySupport: true } },
};

/** Starts the server and initializes it like the extension does. */
async function start(initializationOptions) {
  assert.ok(fs.existsSync(BIN), `server binary ${BIN} not found (set CODEWARD_BIN)`);
  const proc = spawn(BIN, ['lsp'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  const pushed = new Map();
  const messages = [];
  conn.onNotification(proto.PublishDiagnosticsNotification.type, (p) => pushed.set(p.uri, p.diagnostics));
  conn.onNotification(proto.ShowMessageNotification.type, (p) => messages.push(p.message));
  // warnings and errors (the server reports rejected settings as warnings in the log)
  conn.onNotification(proto.LogMessageNotification.type, (p) => { if (p.type <= proto.MessageType.Warning) messages.push(p.message); });
  conn.onNotification('$/progress', () => {});
  conn.onRequest(proto.WorkDoneProgressCreateRequest.type, () => null);
  conn.onRequest(proto.ConfigurationRequest.type, (p) => p.items.map(() => null));
  conn.onRequest(proto.RegistrationRequest.type, () => null);
  conn.onRequest(proto.DiagnosticRefreshRequest.type, () => null);
  conn.onRequest(proto.ShowMessageRequest.type, (p) => { messages.push(p.message); return null; });
  conn.listen();
  const root = pathToFileURL(samples).href;
  const init = await within(conn.sendRequest(proto.InitializeRequest.type, {
    processId: process.pid, clientInfo: { name: 'Visual Studio Code', version: '1.100.3' }, rootUri: root,
    workspaceFolders: [{ uri: root, name: 'samples' }], capabilities: VSCODE_CAPABILITIES, initializationOptions,
  }), 'initialize');
  await conn.sendNotification(proto.InitializedNotification.type, {});
  const server = {
    conn, init, pushed, messages,
    open(language, text) {
      const c = CASES[language];
      const uri = pathToFileURL(path.join(samples, c.file)).href;
      return conn.sendNotification(proto.DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: language, version: 1, text: text ?? fs.readFileSync(path.join(samples, c.file), 'utf8') },
      }).then(() => uri);
    },
    /** Pulled diagnostics (what VS Code does when the server offers them). */
    async diagnostics(uri) {
      const report = await within(conn.sendRequest(proto.DocumentDiagnosticRequest.type, { textDocument: { uri } }), `diagnostics of ${uri}`);
      assert.equal(report.kind, 'full', 'a full report for a first pull');
      return report.items;
    },
    /** Pulls until `predicate(items)` holds (a rescan after a settings change is asynchronous). */
    async diagnosticsUntil(uri, predicate, what) {
      const deadline = Date.now() + STEP_MS;
      let items = [];
      while (Date.now() < deadline) {
        items = await server.diagnostics(uri);
        if (predicate(items)) return items;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`${what}; last diagnostics: ${JSON.stringify(items.map((d) => d.code))}`);
    },
    async stop() {
      await within(conn.sendRequest(proto.ShutdownRequest.type), 'shutdown');
      await conn.sendNotification(proto.ExitNotification.type);
      const code = await within(exited, 'server exit after `exit`');
      conn.dispose();
      assert.equal(code, 0, `server exit code; stderr:\n${stderr.slice(-2000)}`);
    },
    kill() { proc.kill('SIGKILL'); },
  };
  return server;
}

test('the extension maps its settings to the names the server reads', () => {
  assert.deepEqual(settingsFor(), {
    analysisType: 'Security', scanType: 'Express', minSeverity: 'Info', scanTrigger: 'type', debounceMs: 200,
    disabledRules: [], honorForeignSuppressions: false,
  });
  const s = settingsFor({ minimumSeverity: 'high', analysisType: 'All', scanType: 'Standard', scanTrigger: 'save',
    disabledRules: [' insecure-hashing ', 3, ''], debounceMs: 99999, honorForeignSuppressions: true });
  assert.deepEqual(s, { analysisType: 'All', scanType: 'Standard', minSeverity: 'High', scanTrigger: 'save',
    debounceMs: 60000, disabledRules: ['insecure-hashing'], honorForeignSuppressions: true });
  assert.equal(settingsFor({ minimumSeverity: 'urgent', scanTrigger: 42 }).minSeverity, 'Info');
  assert.ok(LANGUAGES.includes('python') && LANGUAGES.includes('java') && LANGUAGES.includes('javascriptreact'));
});

test('the server binary: codeward.serverPath, then the bundled one, then PATH', () => {
  const { resolveServer } = require(path.join(ext, 'out/server.js'));
  const tmp = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'codeward-resolve-'));
  const savedPath = process.env.PATH;
  try {
    const root = path.join(tmp, 'ext');
    const bundled = path.join(root, 'server', `${process.platform}-${process.arch}`, 'codeward');
    const onPath = path.join(tmp, 'bin', 'codeward');
    fs.mkdirSync(path.dirname(bundled), { recursive: true });
    fs.mkdirSync(path.dirname(onPath), { recursive: true });
    fs.writeFileSync(onPath, '#!/bin/sh\n', { mode: 0o755 });
    process.env.PATH = path.dirname(onPath);
    assert.deepEqual(resolveServer('', root), { command: onPath, origin: 'PATH' }, 'no bundled binary: PATH');
    fs.writeFileSync(bundled, '#!/bin/sh\n', { mode: 0o644 }); // an unpacker lost the executable bit
    assert.deepEqual(resolveServer('', root), { command: bundled, origin: 'bundled' }, 'bundled first, made executable');
    assert.ok(fs.statSync(bundled).mode & 0o100);
    assert.deepEqual(resolveServer(onPath, root), { command: onPath, origin: 'setting' }, 'the setting wins');
    assert.deepEqual(resolveServer('codeward', path.join(tmp, 'none')), { command: onPath, origin: 'setting' }, 'a bare name is looked up on PATH');
    assert.throws(() => resolveServer(path.join(tmp, 'missing'), root), /codeward.serverPath/);
    process.env.PATH = '/nonexistent';
    assert.throws(() => resolveServer('', path.join(tmp, 'none')), /not on PATH/);
  } finally {
    process.env.PATH = savedPath;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("the extension's manifest: settings, commands, engines, selector", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
  const props = manifest.contributes.configuration.properties;
  const read = [];
  serverSettings((key) => { read.push(key); return undefined; });
  for (const key of read) assert.ok(props[`codeward.${key}`], `codeward.${key} is read by the mapping but not contributed`);
  const clientSide = ['serverPath', 'autoScanInterval', 'trace.server'];
  for (const key of Object.keys(props)) {
    const short = key.replace(/^codeward\./, '');
    assert.ok(read.includes(short) || clientSide.includes(short), `${key} is contributed but neither sent to the server nor used by the client`);
  }
  for (const [key, values] of [['analysisType', ['Security', 'All']], ['scanType', ['Express', 'Standard']],
    ['scanTrigger', ['type', 'save', 'manual']], ['minimumSeverity', ['Info', 'Low', 'Medium', 'High', 'Critical']]]) {
    assert.deepEqual(props[`codeward.${key}`].enum, values, `codeward.${key} offers the server's values`);
    for (const v of values) assert.equal(settingsFor({ [key]: v })[key === 'minimumSeverity' ? 'minSeverity' : key], v);
  }
  assert.deepEqual(manifest.contributes.commands.map((c) => `${c.category}: ${c.title} (${c.command})`), [
    'Codeward: Scan Current File (codeward.scanFile)', 'Codeward: Scan Workspace (codeward.scanWorkspace)',
    'Codeward: Show Output (codeward.showOutput)', 'Codeward: Restart Server (codeward.restartServer)']);
  assert.equal(manifest.engines.vscode, '^1.100.0', 'VS Code 1.100 (code-server 4.100.3, the last on Node 20) is accepted');
  for (const language of LANGUAGES) {
    assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`), `activates on ${language}`);
  }
});

test('VS Code-like session: pull diagnostics with doc links, hover, quick fix and suppress, scan commands', async () => {
  const server = await start(settingsFor());
  try {
    const caps = server.init.capabilities;
    assert.ok(caps.diagnosticProvider, 'pull diagnostics offered to a client that supports them');
    assert.ok(caps.hoverProvider, 'hover');
    assert.ok(caps.codeActionProvider, 'code actions');
    assert.deepEqual([...caps.executeCommandProvider.commands].sort(), ['codeward.scanFile', 'codeward.scanWorkspace'],
      'the commands the extension wraps (Scan Current File / Scan Workspace)');
    console.log(`notebookDocumentSync: ${JSON.stringify(caps.notebookDocumentSync ?? null)}`);
    for (const language of Object.keys(CASES)) {
      const c = CASES[language];
      const uri = await server.open(language);
      const items = await server.diagnostics(uri);
      const d = items.find((x) => x.code === c.rule);
      assert.ok(d, `${c.file}: ${c.rule} expected, got ${JSON.stringify(items.map((x) => x.code))}`);
      assert.equal(d.source, 'codeward');
      assert.match(d.codeDescription?.href ?? '', /^https:\/\/docs\.aws\.amazon\.com\/codeguru\/detector-library\//,
        'the rule id links to its documentation (Problems panel)');
      const hover = await within(server.conn.sendRequest(proto.HoverRequest.type, { textDocument: { uri }, position: d.range.start }), 'hover');
      assert.ok(hover && hover.contents.kind === 'markdown' && hover.contents.value.length > 40, `hover explains the finding: ${JSON.stringify(hover)}`);
      const actions = await within(server.conn.sendRequest(proto.CodeActionRequest.type, {
        textDocument: { uri }, range: d.range, context: { diagnostics: [d], triggerKind: 1 } }), 'code actions');
      const titles = actions.map((a) => `${a.kind}: ${a.title}`);
      const fix = actions.find((a) => a.kind === 'quickfix' && a.title.startsWith(c.fix));
      assert.ok(fix?.edit, `${c.file}: quick fix "${c.fix}" with an edit; got ${JSON.stringify(titles)}`);
      assert.equal(fix.isPreferred, true, 'the first fix is preferred (auto-fix in VS Code)');
      assert.ok(actions.some((a) => a.kind === 'quickfix' && a.title === `Suppress ${c.rule} for this line` && a.edit),
        `suppress action; got ${JSON.stringify(titles)}`);
    }
    const py = pathToFileURL(path.join(samples, CASES.python.file)).href;
    const one = await within(server.conn.sendRequest(proto.ExecuteCommandRequest.type, { command: 'codeward.scanFile', arguments: [py] }), 'scanFile');
    assert.deepEqual(one, { findings: 1, documents: 1 });
    const all = await within(server.conn.sendRequest(proto.ExecuteCommandRequest.type, { command: 'codeward.scanWorkspace', arguments: [] }), 'scanWorkspace');
    assert.deepEqual(all, { findings: 3, documents: 3, files: 0, cancelled: false }, 'open documents are not rescanned from disk');
    assert.equal(server.pushed.size, 0, `no pushed diagnostics in pull mode (would show twice): ${[...server.pushed.keys()]}`);
  } finally {
    await server.stop().catch((e) => { server.kill(); throw e; });
  }
});

test('settings: initializationOptions and didChangeConfiguration as the extension sends them', async () => {
  // codeward.disabledRules from the start: the Python finding is off, the others are on
  const server = await start(settingsFor({ disabledRules: ['insecure-hashing'] }));
  try {
    const py = await server.open('python');
    const js = await server.open('javascript');
    assert.deepEqual((await server.diagnostics(py)).map((d) => d.code), [], 'disabled by initializationOptions');
    assert.ok((await server.diagnostics(js)).some((d) => d.code === CASES.javascript.rule));
    // the user raises codeward.minimumSeverity to Critical, then resets everything
    const send = (values) => server.conn.sendNotification(proto.DidChangeConfigurationNotification.type, { settings: { codeward: settingsFor(values) } });
    await send({ minimumSeverity: 'Critical', disabledRules: ['insecure-hashing'] });
    await server.diagnosticsUntil(js, (items) => !items.some((d) => d.code === CASES.javascript.rule), 'minimumSeverity Critical hides the High finding');
    await send({});
    await server.diagnosticsUntil(js, (items) => items.some((d) => d.code === CASES.javascript.rule), 'reset settings bring it back');
    await server.diagnosticsUntil(py, (items) => items.some((d) => d.code === CASES.python.rule), 'the re-enabled rule reports again');
    // every value the extension can send is accepted (an invalid one is reported to the user)
    await send({ scanTrigger: 'manual', analysisType: 'All', scanType: 'Standard', minimumSeverity: 'Low' });
    await send({ scanTrigger: 'save', debounceMs: 0, honorForeignSuppressions: true });
    await server.diagnostics(js); // a round trip, so the notifications above have been handled
    assert.deepEqual(server.messages, [], 'no complaints about the settings the extension sends');
    await server.conn.sendNotification(proto.DidChangeConfigurationNotification.type, { settings: { codeward: { scanTrigger: 'sometimes' } } });
    const deadline = Date.now() + STEP_MS;
    while (server.messages.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.match(server.messages.join('\n'), /scanTrigger/, 'a value the server does not know is reported');
  } finally {
    await server.stop().catch((e) => { server.kill(); throw e; });
  }
});
