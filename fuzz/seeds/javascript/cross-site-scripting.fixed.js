// Fixture for javascript/cross-site-scripting@v1.0
import express from 'express';
import escapeHtml from 'escape-html';
import DOMPurify from 'dompurify';
import React from 'react';

const app = express();

app.get('/hello', (req, res) => {
  res.send(`<h1>Hello ${req.query.name}</h1>`); // expect: javascript/cross-site-scripting@v1.0
});

app.get('/search', function (request, response) {
  const term = request.query.q;
  let html = '<p>Results for ';
  html += term + '</p>';
  response.status(200).write(html); // expect: javascript/cross-site-scripting@v1.0
  response.end();
});

function renderError(msg) {
  return '<div class="error">' + msg + '</div>';
}

app.post('/comment', (req, res) => {
  res.end(renderError(req.body.text)); // expect: javascript/cross-site-scripting@v1.0
});

// Browser code: the URL is attacker-controlled.
const fragment = decodeURIComponent(location.hash.slice(1));
document.getElementById('greeting').textContent = 'Hi ' + fragment; // expect: javascript/cross-site-scripting@v1.0
document.write('<a href="' + document.referrer + '">back</a>'); // expect: javascript/cross-site-scripting@v1.0
$('#panel').html(new URLSearchParams(location.search).get('msg')); // expect: javascript/cross-site-scripting@v1.0

export function Banner({ fallback }) {
  const message = window.name || fallback;
  return <div className="banner" dangerouslySetInnerHTML={{ __html: message }} />; // expect: javascript/cross-site-scripting@v1.0
}

// Safe: escaped, sanitised, JSON, text, templates, constants.
app.get('/safe', (req, res) => {
  res.send(`<h1>Hello ${escapeHtml(req.query.name)}</h1>`); // ok: javascript/cross-site-scripting@v1.0
  res.json({ name: req.query.name }); // ok: javascript/cross-site-scripting@v1.0
  res.render('profile', { name: req.query.name }); // ok: javascript/cross-site-scripting@v1.0
});

app.get('/plain', (req, res) => {
  res.type('text/plain');
  res.send(req.query.name); // ok: javascript/cross-site-scripting@v1.0
});

document.getElementById('out').textContent = fragment; // ok: javascript/cross-site-scripting@v1.0
document.getElementById('out').innerHTML = DOMPurify.sanitize(fragment); // ok: javascript/cross-site-scripting@v1.0
document.getElementById('out').innerHTML = '<b>static</b>'; // ok: javascript/cross-site-scripting@v1.0

export function Safe({ html }) {
  const clean = DOMPurify.sanitize(location.hash);
  return <div dangerouslySetInnerHTML={{ __html: clean }}>{html}</div>; // ok: javascript/cross-site-scripting@v1.0
}

// Request objects passed whole are sent as JSON by Express.
app.post('/echo', (req, res) => {
  res.send(req.body); // ok: javascript/cross-site-scripting@v1.0
});

// Fastify sends strings as text/plain and objects as JSON.
fastify.get('/greet', async (request, reply) => {
  reply.send(request.query.name); // ok: javascript/cross-site-scripting@v1.0
});

// A hand-written escaper replacing `<` with `&lt;`.
function escapeBasic(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
app.get('/escaped', (req, res) => {
  res.send('<p>' + escapeBasic(req.query.q) + '</p>'); // ok: javascript/cross-site-scripting@v1.0
  res.send('<p>' + req.query.q.replace(/&/g, '&amp;') + '</p>'); // expect: javascript/cross-site-scripting@v1.0
});

// Koa sends a string body starting with `<` as HTML; `ctx.body` stores are not modelled yet.
router.get('/koa', async (ctx) => {
  ctx.body = `<p>${ctx.query.name}</p>`; // todo-expect: javascript/cross-site-scripting@v1.0 Koa ctx.body is not a sink yet
});
