'use strict';
// A SageMaker Runtime stand-in on 127.0.0.1 for the LetsData tests: InvokeEndpoint (POST /endpoints/{name}/invocations)
// served by a small deterministic embedding model of our own, Node standard library only.
//
// Usage: node sagemaker-local.js --port N [--dimension D]   (D defaults to 64)
//
// Request and response are the Hugging Face embedding containers' shape (TEI, the inference toolkit's
// feature-extraction), the one LetsData.Runtime's SageMaker client speaks: {"inputs": ["text", ...]} (or one string)
// -> [[...], ...], one vector per input in order.
//
// The model: feature hashing. A text's UTF-8 bytes are cut into tokens, each a maximal run of ASCII letters and digits
// and non-ASCII bytes (A-Z lowered to a-z, nothing else changed); each token's FNV-1a 32-bit hash h adds +1 (or -1 when
// bit 16 of h is set) at index h mod D; the vector is then L2-normalized (all zeros for a text without tokens). Byte
// rules only, so another implementation (the tests' own) gives the same doubles bit for bit.
//
// Checked: the request is SigV4-signed for the service "sagemaker" (Authorization header: AWS4-HMAC-SHA256 with a
// credential scope ending in /sagemaker/aws4_request). The signature itself is not verified, as with the other
// emulators. An endpoint name starting with "error-" answers a ModelError (HTTP 424), for tests of failed batches.
const http = require('http');

let port;
let dimension = 64;

function tokens(text) {
  const bytes = Buffer.from(text, 'utf8');
  const found = [];
  let start = -1;
  for (let i = 0; i <= bytes.length; i++) {
    const b = i < bytes.length ? bytes[i] : 0x20;
    const inToken = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b >= 0x80;
    if (inToken && start < 0) start = i;
    if (!inToken && start >= 0) {
      found.push(bytes.subarray(start, i));
      start = -1;
    }
  }
  return found;
}

function fnv1a(token) {
  let h = 0x811c9dc5;
  for (let b of token) {
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function embed(text) {
  const vector = new Array(dimension).fill(0);
  for (const token of tokens(text)) {
    const h = fnv1a(token);
    vector[h % dimension] += (h >>> 16) & 1 ? -1 : 1;
  }
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
  return norm === 0 ? vector : vector.map(v => v / norm);
}

function send(res, status, body, errorType) {
  const text = JSON.stringify(body);
  const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) };
  if (errorType) headers['x-amzn-ErrorType'] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}

function handle(req, res, body) {
  const match = /^\/endpoints\/([^/]+)\/invocations$/.exec(req.url.split('?')[0]);
  if (req.method !== 'POST' || !match) {
    return send(res, 404, { message: `no such operation: ${req.method} ${req.url}` }, 'UnknownOperationException');
  }
  const auth = req.headers.authorization || '';
  if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/sagemaker\/aws4_request,/.test(auth)) {
    return send(res, 403, { message: 'the request is not SigV4-signed for the service sagemaker' }, 'MissingAuthenticationTokenException');
  }
  const endpoint = decodeURIComponent(match[1]);
  if (endpoint.startsWith('error-')) {
    return send(res, 424, { message: `Received server error (500) from model with message "endpoint ${endpoint} fails by design"` }, 'ModelError');
  }
  let inputs;
  try {
    inputs = JSON.parse(body.toString('utf8')).inputs;
  } catch (err) {
    return send(res, 400, { message: `the body is not JSON: ${err.message}` }, 'ValidationError');
  }
  if (typeof inputs === 'string') inputs = [inputs];
  if (!Array.isArray(inputs) || inputs.some(i => typeof i !== 'string')) {
    return send(res, 400, { message: 'expected {"inputs": [string, ...]}' }, 'ValidationError');
  }
  send(res, 200, inputs.map(embed));
}

function main() {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--port') port = Number(argv[i + 1]);
    else if (argv[i] === '--dimension') dimension = Number(argv[i + 1]);
    else {
      console.error(`sagemaker-local: unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(port) || port <= 0 || !Number.isInteger(dimension) || dimension <= 0) {
    console.error('sagemaker-local: --port N is required; --dimension D must be a positive integer');
    process.exit(2);
  }
  const server = http.createServer((req, res) => {
    const chunks = [];
    // A client that goes away mid-request only ends its own request, never the server.
    req.on('error', err => console.error(`sagemaker-local: ${req.method} ${req.url} aborted (${err.message})`));
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks));
      } catch (err) {
        console.error(err);
        if (!res.headersSent) send(res, 500, { message: String(err.message) }, 'InternalFailure');
      }
    });
  });
  server.listen(port, '127.0.0.1', () => console.log(`sagemaker-local listening on http://127.0.0.1:${port} (dimension ${dimension})`));
  const shutdown = () => {
    setTimeout(() => process.exit(0), 2000);
    server.close(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

if (require.main === module) main();
