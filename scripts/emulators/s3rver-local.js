'use strict';
// s3rver on 127.0.0.1 for the LetsData tests, plus two fixes. (1) CopyObject: AWSSDK.S3 v4 sends
// x-amz-copy-source URL-encoded as a whole ("bucket%2Fkey"), and s3rver 3.7.1 decodes it with decodeURI, which
// leaves %2F alone, so it looks for a bucket named "bucket%2Fkey"; the header is decoded here first.
// (2) AWSSDK.S3 v4 uploads with
// Content-Encoding: aws-chunked (x-amz-content-sha256: STREAMING-...), which s3rver 3.7.1 would store with the
// chunk framing inside the object. A middleware placed in front of s3rver's own decodes the framing, so
// objects are stored byte for byte. Run with `node --openssl-legacy-provider` (s3rver's list continuation
// tokens use DES, which OpenSSL 3 only offers through the legacy provider).
//
// Usage: node --openssl-legacy-provider s3rver-local.js --directory DIR [--port N] [--bucket NAME]... [--silent]
const { Transform } = require('stream');
const S3rver = require('s3rver');

/** Decodes "<hex size>[;ext]\r\n<bytes>\r\n ... 0[;ext]\r\n[trailer lines]\r\n" into the bare payload. */
class ChunkFramingDecoder extends Transform {
  constructor() {
    super();
    this.pending = Buffer.alloc(0);
    this.remaining = 0;
    this.phase = 'header'; // header -> payload -> separator -> header ... -> done
  }

  _transform(data, _encoding, done) {
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    try {
      this.drain();
      done();
    } catch (err) {
      done(err);
    }
  }

  drain() {
    while (this.pending.length > 0 && this.phase !== 'done') {
      if (this.phase === 'header') {
        const eol = this.pending.indexOf('\r\n');
        if (eol < 0) return;
        const sizeText = this.pending.subarray(0, eol).toString('latin1').split(';', 1)[0].trim();
        if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new Error(`aws-chunked: bad chunk header '${sizeText}'`);
        this.remaining = parseInt(sizeText, 16);
        this.pending = this.pending.subarray(eol + 2);
        this.phase = this.remaining === 0 ? 'done' : 'payload';
      } else if (this.phase === 'payload') {
        const take = Math.min(this.remaining, this.pending.length);
        this.push(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.phase = 'separator';
      } else { // separator: the CRLF closing a chunk's payload
        if (this.pending.length < 2) return;
        this.pending = this.pending.subarray(2);
        this.phase = 'header';
      }
    }
    if (this.phase === 'done') this.pending = Buffer.alloc(0); // trailers (checksums, trailer signature) are dropped
  }
}

function parseArgs(argv) {
  const options = { directory: '', port: 0, buckets: [], silent: false };
  for (let i = 0; i < argv.length; i++) {
    switch (argv[i]) {
      case '--directory': options.directory = argv[++i]; break;
      case '--port': options.port = Number(argv[++i]); break;
      case '--bucket': options.buckets.push(argv[++i]); break;
      case '--silent': options.silent = true; break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!options.directory) throw new Error('--directory is required');
  return options;
}

function isAwsChunked(headers) {
  const encodings = (headers['content-encoding'] || '').split(',').map(e => e.trim().toLowerCase());
  return encodings.includes('aws-chunked') || String(headers['x-amz-content-sha256'] || '').startsWith('STREAMING-');
}

async function decodeAwsChunked(ctx, next) {
  const headers = ctx.req.headers;
  if (isAwsChunked(headers)) {
    const others = (headers['content-encoding'] || '').split(',').map(e => e.trim())
      .filter(e => e && e.toLowerCase() !== 'aws-chunked');
    if (others.length > 0) headers['content-encoding'] = others.join(', ');
    else delete headers['content-encoding'];
    if (headers['x-amz-decoded-content-length'] !== undefined) {
      headers['content-length'] = headers['x-amz-decoded-content-length'];
    }
    const raw = ctx.req;
    const decoded = new ChunkFramingDecoder();
    raw.on('error', err => decoded.destroy(err));
    raw.pipe(decoded);
    // s3rver reads the request body from ctx.req and looks at these request fields.
    decoded.headers = headers;
    decoded.method = raw.method;
    decoded.url = raw.url;
    decoded.socket = raw.socket;
    ctx.req = decoded;
  }
  await next();
}

async function decodeCopySource(ctx, next) {
  const source = ctx.req.headers['x-amz-copy-source'];
  if (source !== undefined) {
    // s3rver applies decodeURI afterwards: hand it a string that decodes to the plain "bucket/key".
    ctx.req.headers['x-amz-copy-source'] = encodeURI(decodeURIComponent(source));
  }
  await next();
}

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`s3rver-local: ${err.message}`);
  process.exit(2);
}

const server = new S3rver({
  address: '127.0.0.1',
  port: options.port,
  directory: options.directory,
  silent: options.silent,
  configureBuckets: options.buckets.map(name => ({ name, configs: [] })),
});
server.middleware.unshift(decodeAwsChunked);
server.middleware.unshift(decodeCopySource);
server.run().then(
  ({ address, port }) => console.log(`s3rver listening on http://${address}:${port}`),
  err => { console.error(err); process.exit(1); });

const shutdown = () => {
  setTimeout(() => process.exit(0), 2000); // open keep-alive connections must not hold the stop up
  server.close().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
