// Fixture for javascript/cryptographic-key-generator@v1.0
const crypto = require('crypto');
const NodeRSA = require('node-rsa');
import { generateKeyPair } from 'node:crypto';

const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }); // expect: javascript/cryptographic-key-generator@v1.0
generateKeyPair('dsa', { modulusLength: 2048, divisorLength: 160 }, (err, pub, priv) => {}); // expect: javascript/cryptographic-key-generator@v1.0
const BITS = 1024;
const dh = crypto.createDiffieHellman(BITS); // expect: javascript/cryptographic-key-generator@v1.0
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'secp160r1' }); // expect: javascript/cryptographic-key-generator@v1.0
const hmacKey = crypto.generateKeySync('hmac', { length: 64 }); // expect: javascript/cryptographic-key-generator@v1.0
const legacy = new NodeRSA({ b: 2048 }); // expect: javascript/cryptographic-key-generator@v1.0

// Safe: large enough keys, strong curves, non-constant sizes.
const strong = crypto.generateKeyPairSync('rsa', { modulusLength: 3072 }); // ok: javascript/cryptographic-key-generator@v1.0
const pss = crypto.generateKeyPairSync('rsa-pss', { modulusLength: 2048 }); // ok: javascript/cryptographic-key-generator@v1.0
const p256 = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }); // ok: javascript/cryptographic-key-generator@v1.0
const ed = crypto.generateKeyPairSync('ed25519'); // ok: javascript/cryptographic-key-generator@v1.0
const aes = crypto.generateKeySync('aes', { length: 256 }); // ok: javascript/cryptographic-key-generator@v1.0
function make(bits) {
  return crypto.generateKeyPairSync('rsa', { modulusLength: bits }); // ok: javascript/cryptographic-key-generator@v1.0
}
const modern = new NodeRSA({ b: 4096 }); // ok: javascript/cryptographic-key-generator@v1.0
