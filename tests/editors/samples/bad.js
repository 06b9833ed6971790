const https = require('https');

https.request({ host: 'x', rejectUnauthorized: false });
