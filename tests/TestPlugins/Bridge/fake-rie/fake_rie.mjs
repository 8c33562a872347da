// Test-only stand-in for a LetsData image behind the Lambda runtime interface emulator (no Docker here).
//
//   node fake_rie.mjs <python|javascript> <project folder> <bridge host script>
//
// Listens on 127.0.0.1 (a free port, printed as "listening <port>"), accepts POST
// /2015-03-31/functions/function/invocations with LetsData's event (spec §3.2), checks it the way LetsData's handlers
// do (exact data keys and types, empty batchedData, parseDocument's startIndex 0 and endIndex the content's UTF-8
// length), calls the project through our own bridge host (the same code the worker runs), and answers LetsData's
// response envelope: {"StatusCode": 200|500, "headers": {...}, "body": {"statusCode": "SUCCESS"|"EXCEPTION", ...}}.
// GET /stats answers {"connections": n, "requests": n, "rejected": n}: how many TCP connections the worker opened.
import { spawn } from 'node:child_process';
import http from 'node:http';

const [language, project, hostScript] = process.argv.slice(2);
const host = language === 'python'
  ? spawn('python3', ['-B', hostScript, project], { stdio: ['pipe', 'pipe', 'inherit'] })
  : spawn(process.execPath, [hostScript, project], { stdio: ['pipe', 'pipe', 'inherit'] });
host.on('exit', (code) => { console.error(`fake RIE: host exited ${code}`); process.exit(3); });

const stats = { connections: 0, requests: 0, rejected: 0 };
let pending = Buffer.alloc(0);
const waiting = [];
host.stdout.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
    const length = pending.readUInt32BE(0);
    const body = JSON.parse(pending.subarray(4, 4 + length).toString('utf8'));
    pending = pending.subarray(4 + length);
    waiting.shift()(body);
  }
});

// One invocation at a time, as the emulator runs them.
let queue = Promise.resolve();
function callHost(frame) {
  const run = () => new Promise((resolve) => {
    waiting.push(resolve);
    const body = Buffer.from(JSON.stringify(frame), 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt32BE(body.length);
    host.stdin.write(Buffer.concat([header, body]));
  });
  const result = queue.then(run);
  queue = result.catch(() => {});
  return result;
}

class AssertionFailed extends Error {
  constructor(message) { super(message); this.name = 'LetsDataAssertionError'; }
}

function check(condition, message) {
  if (!condition) {
    throw new AssertionFailed(message);
  }
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isString = (v) => typeof v === 'string';
const isInt = (v) => Number.isInteger(v);

// data keys per interface and function, as LetsData's handlers assert them.
function checkData(iface, fn, data) {
  const keys = isObject(data) ? Object.keys(data) : [];
  const exactly = (...names) => check(keys.length === names.length && names.every((n) => keys.includes(n)),
    `${iface}.${fn} requires data keys [${names}], got [${keys}]`);
  switch (`${iface}.${fn}`) {
    case 'singlefileparser.getS3FileType':
      check(keys.length === 0, `getS3FileType takes no data, got [${keys}]`);
      break;
    case 'singlefileparser.getResolvedS3FileName':
      exactly('s3FileType', 'fileName');
      break;
    case 'singlefileparser.getRecordStartPattern':
    case 'singlefileparser.getRecordEndPattern':
      exactly('s3FileType');
      break;
    case 'singlefileparser.parseDocument':
      exactly('s3FileType', 'fileName', 'offsetBytes', 'content', 'startIndex', 'endIndex');
      check(isInt(data.offsetBytes) && isString(data.content), 'offsetBytes int, content str');
      check(data.startIndex === 0, `startIndex must be 0, got ${data.startIndex}`);
      check(data.endIndex === Buffer.byteLength(data.content, 'utf8'), `endIndex ${data.endIndex} is not the content's UTF-8 length`);
      break;
    case 'queuemessagereader.parseMessage':
      check(keys.length >= 3 && keys.length <= 5 && keys.every((k) => ['messageId', 'messageGroupId', 'messageDeduplicationId', 'messageAttributes', 'messageBody'].includes(k)),
        `parseMessage data keys [${keys}]`);
      check(isString(data.messageId) && isObject(data.messageAttributes) && isString(data.messageBody), 'messageId, messageAttributes, messageBody');
      check(!('messageGroupId' in data) || isString(data.messageGroupId), 'messageGroupId, when present, is a string');
      check(!('messageDeduplicationId' in data) || isString(data.messageDeduplicationId), 'messageDeduplicationId, when present, is a string');
      break;
    case 'kinesisrecordreader.parseMessage':
      exactly('streamArn', 'shardId', 'partitionKey', 'sequenceNumber', 'approximateArrivalTimestamp', 'data');
      check(isInt(data.approximateArrivalTimestamp) && isString(data.data), 'approximateArrivalTimestamp int (ms), data str');
      break;
    case 'dynamodbstreamsrecordreader.parseRecord':
      exactly('streamArn', 'shardId', 'eventId', 'eventName', 'identityPrincipalId', 'identityType', 'sequenceNumber', 'sizeBytes',
        'streamViewType', 'approximateCreationDateTime', 'data');
      check(isInt(data.sizeBytes) && isInt(data.approximateCreationDateTime), 'sizeBytes and approximateCreationDateTime int');
      check(isObject(data.data) && Object.keys(data.data).length === 3 && isObject(data.data.keys) && isObject(data.data.oldImage)
        && isObject(data.data.newImage), 'data: {keys, oldImage, newImage}, all objects');
      break;
    case 'dynamodbtableitemreader.parseDynamoDBItem':
      exactly('tableName', 'segmentNumber', 'data');
      check(isInt(data.segmentNumber) && isObject(data.data) && isObject(data.data.keys) && isObject(data.data.item), 'segmentNumber int, data: {keys, item}');
      break;
    case 'sagemakervectorsinterface.extractDocumentElementsForVectorization':
      exactly('document');
      check(isObject(data.document), 'document is a dict');
      break;
    case 'sagemakervectorsinterface.constructVectorDoc':
      exactly('documentInterface', 'vectorsMap');
      check(isObject(data.documentInterface) && isObject(data.vectorsMap), 'documentInterface and vectorsMap are dicts');
      break;
    default:
      throw new AssertionFailed(`unknown interface or function ${iface}.${fn}`);
  }
}

function checkEvent(event) {
  check(isObject(event), 'lambda event is not a dictionary');
  check(isString(event.requestId), 'invalid requestId');
  const auth = event.letsdataAuth;
  check(isObject(auth) && ['tenantId', 'userId', 'datasetName', 'datasetId'].every((k) => isString(auth[k])), 'invalid letsdataAuth');
  check(isString(event.interface) && isString(event.function), 'interface and function are strings');
  check(event.batchedData === undefined || event.batchedData === null || (Array.isArray(event.batchedData) && event.batchedData.length === 0),
    'batchedData must be empty');
  checkData(event.interface.toLowerCase(), event.function, event.data ?? {});
}

function envelope(result) {
  if (result.statusCode === 'SUCCESS') {
    return { StatusCode: 200, headers: { 'Content-Type': 'application/json' }, body: { statusCode: 'SUCCESS', data: result.data } };
  }
  return {
    StatusCode: 500, headers: { 'Content-Type': 'application/json' },
    body: {
      statusCode: 'EXCEPTION', errorMessage: result.errorMessage,
      exception: { errorMessage: result.errorMessage, errorType: result.exception?.errorType ?? 'Error', stackTrace: result.exception?.stackTrace ?? '' },
    },
  };
}

async function invoke(event) {
  try {
    checkEvent(event);
  } catch (error) {
    stats.rejected++;
    return envelope({ statusCode: 'EXCEPTION', errorMessage: error.message, exception: { errorType: error.name } });
  }
  const data = { ...(event.data ?? {}) };
  if (event.function === 'parseDocument') {
    // Our host takes the record as base64; the image got it as text.
    data.content = Buffer.from(data.content, 'utf8').toString('base64');
    delete data.startIndex;
    delete data.endIndex;
  }
  const response = await callHost({ calls: [{ interface: event.interface, function: event.function, data }] });
  return envelope(response.results[0]);
}

const server = http.createServer({ keepAlive: true }, (request, response) => {
  const chunks = [];
  request.on('data', (c) => chunks.push(c));
  request.on('end', async () => {
    if (request.method === 'GET' && request.url === '/stats') {
      response.end(JSON.stringify(stats));
      return;
    }
    if (request.method !== 'POST' || request.url !== '/2015-03-31/functions/function/invocations') {
      response.statusCode = 404;
      response.end('not found');
      return;
    }
    stats.requests++;
    const answer = await invoke(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify(answer));
  });
});
server.keepAliveTimeout = 120_000;
server.on('connection', () => { stats.connections++; });
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
