// Fixture for javascript/aws-logged-credentials@v1.0
const AWS = require('aws-sdk');
const { S3Client } = require('@aws-sdk/client-s3');
const logger = require('winston').createLogger();

console.log('Using credentials', AWS.config.credentials); // expect: javascript/aws-logged-credentials@v1.0
logger.info(`key=${AWS.config.credentials.secretAccessKey}`); // expect: javascript/aws-logged-credentials@v1.0

async function show(client) {
  const creds = await client.config.credentials();
  console.debug('resolved', creds.accessKeyId, creds.secretAccessKey); // expect: javascript/aws-logged-credentials@v1.0
  logger.warn({ token: creds.sessionToken }); // expect: javascript/aws-logged-credentials@v1.0
}

const s3 = new S3Client({});
console.error('s3 config', s3.config.credentials); // expect: javascript/aws-logged-credentials@v1.0

// Safe: other properties, lengths, credentials not logged.
console.log('region', AWS.config.region); // ok: javascript/aws-logged-credentials@v1.0
console.log('key length', AWS.config.credentials.accessKeyId.length); // ok: javascript/aws-logged-credentials@v1.0
const client = new AWS.S3({ credentials: AWS.config.credentials }); // ok: javascript/aws-logged-credentials@v1.0
console.log('user', { name: 'x', accessKey: 'hidden' }); // ok: javascript/aws-logged-credentials@v1.0
console.log('done'); // ok: javascript/aws-logged-credentials@v1.0
