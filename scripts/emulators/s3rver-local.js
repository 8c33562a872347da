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
// gone. They are answered here from s3rver's own files (see multipartUploads below). (4) UploadPartCopy (PUT
// key?partNumber=N&uploadId=U with x-amz-copy-source), which s3rver 3.7.1 refuses as NotImplemented: the S3 writer
// copies an errored object over CopyObject's 5 GB limit in parts (see uploadPartCopy below). Run with `node --openssl-legacy-provider` (s3rver's list continuation
// tokens use DES, which OpenSSL 3 only offers through the legacy provider).
//
// Usage: node --openssl-legacy-provider s3rver-local.js --directory DIR [--port N] [--bucket NAME]... [--silent]
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { Readable, Transform } = require('stream');
const { pipeline } = require('stream/promises');
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

function s3Error(ctx, status, code, message, extra = '') {
  sendXml(ctx, status, `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${extra}` +
    `<RequestId>${crypto.randomBytes(8).toString('hex')}</RequestId></Error>`);
}

/**
 * "x-amz-copy-source" as sent: "/bucket/key" or "bucket/key", the key URL-encoded (AWSSDK.S3 v4 encodes the whole
 * value, "/" included), maybe with "?versionId=V" (ignored: the store keeps no versions). An unencoded "?" can only
 * start the query; an SDK that encoded the whole value encoded that one too, so it is looked for after decoding.
 */
function parseCopySource(header) {
  let value = String(header);
  const query = value.indexOf('?');
  if (query >= 0) value = value.slice(0, query);
  value = decodeURIComponent(value);
  const versionQuery = value.indexOf('?versionId=');
  if (versionQuery >= 0) value = value.slice(0, versionQuery);
  if (value.startsWith('/')) value = value.slice(1);
  const slash = value.indexOf('/');
  return slash < 0 ? null : { bucket: value.slice(0, slash), key: value.slice(slash + 1) };
}

/**
 * UploadPartCopy: a byte range of an object (x-amz-copy-source-range "bytes=first-last", else all of it) becomes part N
 * of an open upload. The part is written where and as s3rver's putPart writes an uploaded one
 * (<directory>/<bucket>/._S3rver_uploads/<uploadId>/<N> and "<N>.md5", the md5 hex), so ListParts above and s3rver's
 * CompleteMultipartUpload take it like any other part; unlike putPart, the answer waits until the file is written.
 * Honours x-amz-copy-source-if-match (412 PreconditionFailed), which LetsData sends to pin the source.
 */
function uploadPartCopy(directory, store) {
  return async function partCopy(ctx, next) {
    const uploadId = ctx.query.uploadId;
    const source = ctx.headers['x-amz-copy-source'];
    if (ctx.method !== 'PUT' || typeof uploadId !== 'string' || ctx.query.partNumber === undefined || source === undefined) {
      return next();
    }
    const bucket = decodeURIComponent(ctx.path.split('/')[1] || '');
    if (!/^[a-z0-9.-]+$/.test(bucket)) return next(); // not a path-style bucket name this store can hold
    const partNumber = Number(ctx.query.partNumber);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
      return s3Error(ctx, 400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
    }
    const uploadDir = path.join(directory, bucket, '._S3rver_uploads', path.basename(uploadId));
    if (!fs.existsSync(path.join(uploadDir, 'key'))) return noSuchUpload(ctx, uploadId);
    const from = parseCopySource(source);
    if (!from) return s3Error(ctx, 400, 'InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey');
    let metadata;
    try {
      metadata = await store.getMetadata(from.bucket, from.key);
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
      return s3Error(ctx, 404, 'NoSuchKey', 'The specified key does not exist.', `<Key>${xmlEscape(from.key)}</Key>`);
    }
    const ifMatch = ctx.headers['x-amz-copy-source-if-match'];
    if (ifMatch !== undefined && ifMatch.replace(/"/g, '') !== String(metadata.etag).replace(/"/g, '')) {
      return s3Error(ctx, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold',
        '<Condition>x-amz-copy-source-If-Match</Condition>');
    }
    const size = Number(metadata['content-length']);
    let first = 0;
    let last = size - 1;
    const range = ctx.headers['x-amz-copy-source-range'];
    if (range !== undefined) {
      const match = /^bytes=([0-9]+)-([0-9]+)$/.exec(String(range).trim());
      if (!match) return s3Error(ctx, 400, 'InvalidArgument', 'The x-amz-copy-source-range value must be of the form bytes=first-last');
      first = Number(match[1]);
      last = Number(match[2]);
      if (first > last || last >= size) {
        return s3Error(ctx, 416, 'InvalidRange', `The requested range ${range} is not satisfiable (the object has ${size} bytes)`);
      }
    }
    const partPath = path.join(uploadDir, String(partNumber));
    const md5 = crypto.createHash('md5');
    const reading = size === 0 ? Readable.from([]) : fs.createReadStream(store.getResourcePath(from.bucket, from.key, 'object'), { start: first, end: last });
    await pipeline(reading, new Transform({
      transform(chunk, _encoding, done) {
        md5.update(chunk);
        done(null, chunk);
      },
    }), fs.createWriteStream(partPath));
    const etag = md5.digest('hex');
    await fs.promises.writeFile(`${partPath}.md5`, etag);
    sendXml(ctx, 200, '<CopyPartResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<ETag>"${etag}"</ETag><LastModified>${new Date().toISOString()}</LastModified></CopyPartResult>`);
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
// Ahead of decodeCopySource: the copy source is parsed here as the client sent it.
server.middleware.unshift(uploadPartCopy(options.directory, server.store));
server.run().then(
  ({ address, port }) => console.log(`s3rver listening on http://${address}:${port}`),
  err => { console.error(err); process.exit(1); });

const shutdown = () => {
  setTimeout(() => process.exit(0), 2000); // open keep-alive connections must not hold the stop up
  server.close().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
