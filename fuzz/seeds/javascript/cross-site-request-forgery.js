// Fixture for javascript/cross-site-request-forgery@v1.0
// (Cookie sessions without any CSRF middleware are covered by the detector's unit test: one
// file cannot both import and lack a CSRF module.)
const express = require('express');
const csurf = require('csurf');
const lusca = require('lusca');
const { doubleCsrf } = require('csrf-csrf');
import pogodinCsurf from '@dr.pogodin/csurf';

const app = express();

app.use(csurf({ cookie: true, ignoreMethods: ['GET', 'HEAD', 'POST'] })); // expect: javascript/cross-site-request-forgery@v1.0
const SKIP = ['put', 'delete'];
app.use('/api', csurf({ ignoreMethods: SKIP })); // expect: javascript/cross-site-request-forgery@v1.0
app.use(lusca({ csrf: false, xframe: 'SAMEORIGIN' })); // expect: javascript/cross-site-request-forgery@v1.0
const { doubleCsrfProtection } = doubleCsrf({ getSecret: () => 's', ignoredMethods: ['GET', 'PATCH'] }); // expect: javascript/cross-site-request-forgery@v1.0
app.use(pogodinCsurf({ ignoreMethods: ['OPTIONS', 'DELETE'] })); // expect: javascript/cross-site-request-forgery@v1.0

// Safe: default and read-only ignore lists, CSRF enabled.
app.use(csurf({ cookie: true })); // ok: javascript/cross-site-request-forgery@v1.0
app.use(csurf({ ignoreMethods: ['GET', 'HEAD', 'OPTIONS'] })); // ok: javascript/cross-site-request-forgery@v1.0
app.use(lusca({ csrf: true })); // ok: javascript/cross-site-request-forgery@v1.0
app.use(lusca.csrf()); // ok: javascript/cross-site-request-forgery@v1.0
const other = doubleCsrf({ getSecret: () => 's' }); // ok: javascript/cross-site-request-forgery@v1.0
app.post('/transfer', doubleCsrfProtection, (req, res) => res.end()); // ok: javascript/cross-site-request-forgery@v1.0
