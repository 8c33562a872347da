// LetsData bridge host for JavaScript projects (Node >= 20, standard library only).
//
// Started by the worker as `node letsdata_bridge_host.mjs <project folder>`. It imports the interface classes of a
// project in LetsData's layout (ES modules) by their fixed paths and class names, and answers calls framed on its
// standard input and output: a 4-byte big-endian length, then that many bytes of UTF-8 JSON. Standard output carries
// frames only; console output of the user's code goes to standard error. The protocol is the Python host's (see
// letsdata_bridge_host.py); as in LetsData, every call gets a new instance and the methods are synchronous.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const INTERFACES = {
  singlefileparser: ['letsdata_interfaces/readers/parsers/SingleFileParser.js', 'SingleFileParser', {
    getS3FileType: [],
    getResolvedS3FileName: ['s3FileType', 'fileName'],
    getRecordStartPattern: ['s3FileType'],
    getRecordEndPattern: ['s3FileType'],
    parseDocument: ['s3FileType', 'fileName', 'offsetBytes', 'content', 'startIndex', 'endIndex'],
  }],
  queuemessagereader: ['letsdata_interfaces/readers/sqs/QueueMessageReader.js', 'QueueMessageReader', {
    parseMessage: ['messageId', 'messageGroupId', 'messageDeduplicationId', 'messageAttributes', 'messageBody'],
  }],
  kinesisrecordreader: ['letsdata_interfaces/readers/kinesis/KinesisRecordReader.js', 'KinesisRecordReader', {
    parseMessage: ['streamArn', 'shardId', 'partitionKey', 'sequenceNumber', 'approximateArrivalTimestamp', 'data'],
  }],
  dynamodbstreamsrecordreader: ['letsdata_interfaces/readers/dynamodbstreams/DynamoDBStreamsRecordReader.js', 'DynamoDBStreamsRecordReader', {
    parseRecord: ['streamArn', 'shardId', 'eventId', 'eventName', 'identityPrincipalId', 'identityType', 'sequenceNumber',
      'sizeBytes', 'streamViewType', 'approximateCreationDateTime', 'keys', 'oldImage', 'newImage'],
  }],
  dynamodbtableitemreader: ['letsdata_interfaces/readers/dynamodb/DynamoDBTableItemReader.js', 'DynamoDBTableItemReader', {
    parseDynamoDBItem: ['tableName', 'segmentNumber', 'keys', 'item'],
  }],
  sagemakervectorsinterface: ['letsdata_interfaces/readers/sagemaker/SagemakerVectorsInterface.js', 'SagemakerVectorsInterface', {
    extractDocumentElementsForVectorization: ['document'],
    constructVectorDoc: ['documentInterface', 'vectorsMap'],
  }],
};

const project = fs.realpathSync(process.argv[2]);
const classes = new Map();

// Frames own file descriptor 1; the user's console output goes to standard error.
for (const name of ['log', 'info', 'debug', 'trace']) {
  console[name] = console.error;
}

function fileOf(key) {
  return path.join(project, INTERFACES[key][0]);
}

// The project file and line an error came from: a syntax error's stack starts with "file:///…:line".
function location(error) {
  const stack = String(error?.stack ?? '');
  for (const match of stack.matchAll(/(?:file:\/\/)?(\/[^\s:()]+):(\d+)/g)) {
    const file = match[1];
    if (file.startsWith(project + path.sep)) {
      return [file, Number(match[2])];
    }
  }
  return [null, null];
}

function exception(error) {
  const [file, line] = location(error);
  const message = error?.message ?? String(error);
  return {
    statusCode: 'EXCEPTION', errorMessage: message || error?.name || 'Error',
    exception: { errorType: error?.name ?? typeof error, file, line, stackTrace: String(error?.stack ?? '') },
  };
}

async function load(key) {
  if (!classes.has(key)) {
    const module = await import(pathToFileURL(fileOf(key)).href);
    const type = module[INTERFACES[key][1]];
    if (typeof type !== 'function') {
      throw new TypeError(`${fileOf(key)} exports no class ${INTERFACES[key][1]}`);
    }
    classes.set(key, type);
  }
  return classes.get(key);
}

function argumentsOf(fn, names, data) {
  if (fn === 'parseDocument') {
    // Binary-safe: the record arrives as base64; the method gets a Uint8Array and its bounds, as in LetsData.
    const buffer = Buffer.from(data.content, 'base64');
    const record = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
    return [data.s3FileType, data.fileName, data.offsetBytes, record, 0, record.length];
  }
  const merged = names.includes('keys') && data.data && typeof data.data === 'object' ? { ...data, ...data.data } : data;
  return names.map((n) => merged[n]);
}

async function call(request) {
  try {
    const key = String(request.interface).toLowerCase();
    if (!(key in INTERFACES)) {
      throw new Error(`unknown interface ${request.interface}`);
    }
    const names = INTERFACES[key][2][request.function];
    if (!names) {
      throw new Error(`unknown function ${request.interface}.${request.function}`);
    }
    const type = await load(key);
    const result = new type()[request.function](...argumentsOf(request.function, names, request.data ?? {}));
    return { statusCode: 'SUCCESS', data: result === undefined ? null : result };
  } catch (error) {
    return exception(error);
  }
}

async function hello(request) {
  const interfaces = {};
  for (const name of request.interfaces ?? []) {
    const key = name.toLowerCase();
    try {
      await load(key);
      interfaces[name] = { file: fileOf(key) };
    } catch (error) {
      const failure = exception(error);
      if (error instanceof SyntaxError && failure.exception.file === null) {
        // An import's syntax error carries no location in Node 20: `node --check` names the file and line.
        const check = spawnSync(process.execPath, ['--check', fileOf(key)], { encoding: 'utf8' });
        [failure.exception.file, failure.exception.line] = location({ stack: check.stderr });
      }
      interfaces[name] = { file: fileOf(key), error: failure };
    }
  }
  return { hello: { language: 'javascript', version: process.versions.node, interfaces } };
}

function send(response) {
  let body;
  try {
    body = Buffer.from(JSON.stringify(response), 'utf8');
  } catch (error) {
    body = Buffer.from(JSON.stringify({ results: [exception(error)] }), 'utf8');
  }
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  const frame = Buffer.concat([header, body]);
  for (let written = 0; written < frame.length;) {
    written += fs.writeSync(1, frame, written);
  }
}

async function main() {
  let pending = Buffer.alloc(0);
  for await (const chunk of process.stdin) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
      const length = pending.readUInt32BE(0);
      const request = JSON.parse(pending.subarray(4, 4 + length).toString('utf8'));
      pending = pending.subarray(4 + length);
      if (request.hello) {
        send(await hello(request));
      } else {
        const results = [];
        for (const c of request.calls) {
          results.push(await call(c));
        }
        send({ results });
      }
    }
  }
}

await main();
