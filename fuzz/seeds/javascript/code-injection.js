// Fixture for javascript/code-injection@v1.0
const express = require('express');
const vm = require('node:vm');
import { runInNewContext as sandboxRun } from 'vm';

const app = express();
app.use(express.json());

app.get('/calc', (req, res) => {
  const expr = req.query.expr;
  res.send(String(eval(expr))); // expect: javascript/code-injection@v1.0
});

app.post('/rules', (req, res) => {
  const { body } = req;
  const predicate = new Function('item', `return ${body.rule};`); // expect: javascript/code-injection@v1.0
  sandboxRun(body.script, { items: [] }); // expect: javascript/code-injection@v1.0
  const script = new vm.Script(req.body.source); // expect: javascript/code-injection@v1.0
  res.json({ ok: predicate({}) && script });
});

function buildHandler(code) {
  return 'handle_' + code;
}

app.get('/later', (req, res) => {
  setTimeout(buildHandler(req.query.cb), 10); // expect: javascript/code-injection@v1.0
  setTimeout(() => res.end('done'), 10); // ok: javascript/code-injection@v1.0
});

// Browser: the URL fragment is attacker-controlled.
window.addEventListener('message', (event) => {
  vm.runInThisContext(event.data); // expect: javascript/code-injection@v1.0
});

// Safe: constants, numbers, allow-listed and overwritten values.
eval('1 + 2'); // ok: javascript/code-injection@v1.0
const OPS = ['sum', 'avg'];
app.get('/stats', (req, res) => {
  const n = Number(req.query.n);
  eval(`compute(${n})`); // ok: javascript/code-injection@v1.0
  const op = req.query.op;
  if (!OPS.includes(op)) {
    return res.status(400).end();
  }
  vm.runInNewContext(`${op}(data)`, {}); // ok: javascript/code-injection@v1.0
  let code = req.query.code;
  code = 'defaultReport()';
  eval(code); // ok: javascript/code-injection@v1.0
  // Parsing data as JSON is not evaluation.
  res.json(JSON.parse(req.query.filter)); // ok: javascript/code-injection@v1.0
});

// Module injection (`require` of request data) is left to a separate detector.
app.get('/plugin', (req, res) => {
  require(req.query.plugin); // ok: javascript/code-injection@v1.0
  res.end();
});
