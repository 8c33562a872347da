'use strict';
// s3rver on 127.0.0.1 for the LetsData tests, plus fixes and two missing operations. (1) CopyObject: AWSSDK.S3 v4 sends
// x-amz-copy-source URL-encoded as a whole ("bucket%2Fkey"), and s3rver 3.7.1 decodes it with decodeURI, which
// leaves %2F alone, so it looks for a bucket named "bucket%2Fkey"; the header is decoded here first.
// (2) AWSSDK.S3 v4 uploads with
// Content-Encoding: aws-chunked (x-amz-content-sha256: STREAMING-...), which s3rver 3.7.1 would store with the
// chunk framing inside the object. A middleware placed in front of s3rver's own decodes the framing, so
// objects are stored byte for byte. (3) Multipart uploads: s3rver 3.7.1 has no ListParts (GET key?uploadId=U) and
// no AbortMultipartUpload (DELETE key?uploadId=U), and stores a part for an upload that does not exist; a resumed S3
// writer of LetsData needs the first two to continue a task's open upload, and a stale writer must see its upload
// gone. They are answered here from s3rver's own files (see multipartUploads below). Run with `node --openssl-legacy-provider` (s3rver's list continuation
// tokens use DES, which OpenSSL 3 only offers through the legacy provider).
//
// Usage: node --openssl-legacy-provider s3rver-local.js --directory DIR [--port N] [--bucket NAME]... [--silent]
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
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

function xmlEscape(text) {
  return String(text).replace(/[<>&'"]/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]);
}

function sendXml(ctx, status, body) {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

function noSuchUpload(ctx, uploadId) {
  sendXml(ctx, 404, '<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist. The upload ID may be ' +
    'invalid, or the upload may have been aborted or completed.</Message>' +
    `<UploadId>${xmlEscape(uploadId)}</UploadId><RequestId>${crypto.randomBytes(8).toString('hex')}</RequestId></Error>`);
}

/**
 * ListParts, AbortMultipartUpload, and NoSuchUpload for a part of an upload that is not open. s3rver's filesystem
 * store keeps an upload in <directory>/<bucket>/._S3rver_uploads/<uploadId>/ (lib/stores/filesystem.js,
 * initiateUpload/putPart/putObjectMultipart): a "key" file, then per part a file named by its number plus
 * "<number>.md5", the md5 hex UploadPart answered as the ETag. The .md5 file is read rather than the part hashed: s3rver
 * answers UploadPart before its file write stream has flushed, so hashing right after could see a partial part. The
 * folder is removed on completion, so "no key file" means no such upload (completed, aborted or never started).
 */
function multipartUploads(directory) {
  return async function multipartUpload(ctx, next) {
    const uploadId = ctx.query.uploadId;
    const method = ctx.method;
    const isListParts = method === 'GET';
    const isAbort = method === 'DELETE';
    const isPart = method === 'PUT' && ctx.query.partNumber !== undefined && !('x-amz-copy-source' in ctx.headers);
    if (typeof uploadId !== 'string' || !(isListParts || isAbort || isPart)) return next();
    const bucket = decodeURIComponent(ctx.path.split('/')[1] || '');
    if (!/^[a-z0-9.-]+$/.test(bucket)) return next(); // not a path-style bucket name this store can hold
    const uploadDir = path.join(directory, bucket, '._S3rver_uploads', path.basename(uploadId));
    let key;
    try {
      key = await fs.promises.readFile(path.join(uploadDir, 'key'), 'utf8');
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
      return noSuchUpload(ctx, uploadId);
    }
    if (isPart) return next(); // the upload is open: s3rver stores the part
    if (isAbort) {
      await fs.promises.rm(uploadDir, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    const numbers = (await fs.promises.readdir(uploadDir)).filter(name => /^[0-9]+$/.test(name)).map(Number).sort((a, b) => a - b);
    const parts = [];
    for (const number of numbers) {
      let md5;
      try {
        md5 = (await fs.promises.readFile(path.join(uploadDir, `${number}.md5`), 'utf8')).trim();
      } catch (err) {
        if (err.code === 'ENOENT') continue; // still being uploaded
        throw err;
      }
      const stat = await fs.promises.stat(path.join(uploadDir, String(number)));
      parts.push(`<Part><PartNumber>${number}</PartNumber><LastModified>${stat.mtime.toISOString()}</LastModified>` +
        `<ETag>"${md5}"</ETag><Size>${stat.size}</Size></Part>`);
    }
    sendXml(ctx, 200, '<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${xmlEscape(uploadId)}</UploadId>` +
      `<PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>${numbers.length ? numbers[numbers.length - 1] : 0}</NextPartNumberMarker>` +
      `<MaxParts>10000</MaxParts><IsTruncated>false</IsTruncated>${parts.join('')}</ListPartsResult>`);
  };
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
server.middleware.unshift(multipartUploads(options.directory));
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
