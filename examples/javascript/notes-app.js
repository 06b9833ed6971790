// A small note-taking service with the mistakes Codeward's JavaScript detectors look for.
// Every finding Codeward reports in this file is a real vulnerability.
'use strict';

const express = require('express');
const https = require('https');
const crypto = require('crypto');
const { exec } = require('child_process');
const escapeHtml = require('escape-html');

const app = express();
app.use(express.urlencoded({ extended: false }));

const notes = new Map();

// Passwords hashed with MD5: fast to brute-force, collisions are cheap.
function hashPassword(password) {
  return crypto.createHash('md5').update(password).digest('hex');
}

app.post('/register', (req, res) => {
  const { user, password } = req.body;
  notes.set(user, { password: hashPassword(password), items: [] });
  res.redirect('/');
});

// Reflected XSS: the search term is echoed into HTML unescaped.
app.get('/search', (req, res) => {
  const term = req.query.q || '';
  const hits = [...notes.keys()].filter((k) => k.includes(term));
  res.send(`<h1>Results for ${term}</h1><p>${hits.length} notes</p>`);
});

// Escaped correctly: not reported.
app.get('/hello', (req, res) => {
  res.send(`<h1>Hello ${escapeHtml(req.query.name)}</h1>`);
});

// OS command injection: the archive name goes into a shell command line.
app.post('/export', (req, res) => {
  const archive = req.body.archive;
  exec(`tar czf /tmp/${archive}.tgz /var/notes`, (err) => {
    res.send(err ? 'failed' : 'ok');
  });
});

// Code injection: a "formula" field is evaluated on the server.
app.post('/calc', (req, res) => {
  const formula = req.body.formula;
  const result = eval(formula);
  res.json({ result });
});

// Certificate validation turned off for the backup upload.
function uploadBackup(data) {
  const request = https.request({
    hostname: 'backup.internal.example.com',
    method: 'PUT',
    path: '/notes',
    rejectUnauthorized: false,
  });
  request.end(data);
}

app.post('/backup', (req, res) => {
  uploadBackup(JSON.stringify([...notes.entries()]));
  res.send('queued');
});

app.listen(3000);
