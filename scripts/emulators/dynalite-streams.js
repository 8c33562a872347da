'use strict';
// DynamoDB Streams for dynalite, which has none, in dynalite's own process (used by local-emulator.js --streamsPort).
//
// The DynamoDB port goes through a front: CreateTable/UpdateTable take StreamSpecification (dynalite drops it), the
// table descriptions gain StreamSpecification/LatestStreamArn/LatestStreamLabel, and every PutItem, UpdateItem,
// DeleteItem and BatchWriteItem on a table with an enabled stream is turned into stream records: the items it touches
// are read through dynalite before and after the write (the table's writes are serialized meanwhile, so the pair is
// consistent) and a record is made where they differ: INSERT, MODIFY or REMOVE, with the images of the view type. A
// write that changes nothing (the same item put again, a delete of a missing item, a failed condition) makes none, as
// on AWS. Every other request goes to dynalite untouched.
//
// The Streams API (target prefix DynamoDBStreams_20120810) listens on a port of its own: ListStreams, DescribeStream,
// GetShardIterator (TRIM_HORIZON, LATEST, AT_/AFTER_SEQUENCE_NUMBER), GetRecords; iterators expire after 15 minutes.
// One open shard per stream; with EMU_DDB_STREAM_SHARD_RECORDS=N a shard is closed after N records and a child shard
// (ParentShardId) opened, so readers can be tested on parent-before-child order. Disabling the stream or deleting the
// table closes the open shard and leaves the stream DISABLED, readable to its end.
//
// Not emulated: TransactWriteItems and PartiQL (dynalite has neither), TTL deletions, the 24-hour trimming
// (TrimmedDataAccessException), the 1 MB GetRecords limit, time-based shard rollover; SizeBytes follows DynamoDB's
// item-size rules approximately (exact for strings and binaries). Records live in memory only.
const crypto = require('crypto');
const http = require('http');
const zlib = require('zlib');
const { Readable } = require('stream');

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const TABLE_OPERATIONS = new Set(['CreateTable', 'UpdateTable', 'DescribeTable', 'DeleteTable']);
const VIEW_TYPES = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];
// Internal reads through dynalite's handler need a well-formed (unchecked) signature.
const INTERNAL_HEADERS = {
  authorization: 'AWS4-HMAC-SHA256 Credential=emulator/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  'x-amz-date': '20200101T000000Z',
};

class ApiError extends Error {
  constructor(type, message, prefix = 'com.amazonaws.dynamodb.v20120810') {
    super(message);
    this.type = `${prefix}#${type}`;
  }
}
const validation = message => new ApiError('ValidationException', message, 'com.amazon.coral.validate');
const notFound = message => new ApiError('ResourceNotFoundException', `Requested resource not found: ${message}`);

function sendJson(res, status, payload, headers = {}) {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': crypto.randomBytes(26).toString('hex').toUpperCase().slice(0, 52),
    // The AWS SDK checks this for DynamoDB answers.
    'x-amz-crc32': zlib.crc32(text),
    ...headers,
  });
  res.end(text);
}

function readBody(req, name, then) {
  const chunks = [];
  // A client that goes away mid-request only ends its own request, never the emulator.
  req.on('error', err => console.error(`${name}: a client went away before its ${req.method} ${req.url} was answered (${err.message})`));
  req.on('data', chunk => chunks.push(chunk));
  req.on('end', () => then(Buffer.concat(chunks)));
}

/** DynamoDB's number normal form, so that "1.0" and "1" compare equal as they do on AWS. */
function canonicalNumber(text) {
  const m = /^([+-]?)0*([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(String(text).trim());
  if (!m) return String(text);
  let digits = m[2] + (m[3] || '');
  let exponent = Number(m[4] || 0) + m[2].length;
  const leading = /^0*/.exec(digits)[0].length;
  digits = digits.slice(leading).replace(/0+$/, '');
  exponent -= leading;
  return digits ? `${m[1] === '-' ? '-' : ''}0.${digits}e${exponent}` : '0';
}

/** A comparable text for an attribute value: maps by sorted name, sets sorted, numbers normalized. */
function canonical(value) {
  const [type, inner] = Object.entries(value)[0];
  switch (type) {
    case 'N': return `N:${canonicalNumber(inner)}`;
    case 'NS': return `NS:${inner.map(canonicalNumber).sort().join(',')}`;
    case 'SS': case 'BS': return `${type}:${JSON.stringify([...inner].sort())}`;
    case 'L': return `L:[${inner.map(canonical).join(',')}]`;
    case 'M': return `M:{${Object.keys(inner).sort().map(k => `${JSON.stringify(k)}=${canonical(inner[k])}`).join(',')}}`;
    default: return `${type}:${JSON.stringify(inner)}`;
  }
}
const canonicalItem = item => canonical({ M: item });

/** DynamoDB's item-size rules: names and strings in UTF-8 bytes, numbers by significant digits, 3 bytes per list/map. */
function valueSize(value) {
  const [type, inner] = Object.entries(value)[0];
  switch (type) {
    case 'S': return Buffer.byteLength(inner);
    case 'N': return Math.ceil(canonicalNumber(inner).replace(/^-?0\.|e.*$/g, '').length / 2) + 1;
    case 'B': return Buffer.from(inner, 'base64').length;
    case 'SS': case 'NS': case 'BS': return inner.reduce((sum, v) => sum + valueSize({ [type.slice(0, 1)]: v }), 0);
    case 'L': return 3 + inner.reduce((sum, v) => sum + 1 + valueSize(v), 0);
    case 'M': return 3 + itemSize(inner) + Object.keys(inner).length;
    default: return 1; // BOOL, NULL
  }
}
const itemSize = item => Object.entries(item || {}).reduce((sum, [name, v]) => sum + Buffer.byteLength(name) + valueSize(v), 0);

function streamLabel(at) {
  return new Date(at).toISOString().replace('Z', '');
}

module.exports = function dynaliteStreams(dynamo, { region = 'us-east-1', shardRecords = 0 } = {}) {
  const tables = new Map(); // table name -> { tableArn, keySchema, current: stream | undefined, latest: stream | undefined }
  const streams = new Map(); // stream ARN -> stream, in creation order
  const locks = new Map(); // table name -> tail of its write queue
  let nextSequenceNumber = 100000000000000000000n; // 21 digits, like AWS's

  /** Calls dynalite's own request handler with a request made here; resolves with its status, headers and body. */
  function callDynalite(operation, body, headers = INTERNAL_HEADERS) {
    return new Promise(resolve => {
      const req = Readable.from(body.length ? [body] : []);
      Object.assign(req, {
        method: 'POST',
        url: '/',
        headers: { ...headers, 'content-type': JSON_CONTENT_TYPE, 'x-amz-target': `DynamoDB_20120810.${operation}` },
      });
      const res = {
        statusCode: 200,
        headers: {},
        setHeader(name, value) {
          this.headers[name.toLowerCase()] = value;
        },
        end(data) {
          const text = data === undefined ? '' : String(data);
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: this.statusCode, headers: this.headers, text, json });
        },
      };
      dynamo(req, res);
    });
  }
  const internal = (operation, payload) => callDynalite(operation, Buffer.from(JSON.stringify(payload)));

  function acquire(table) {
    const previous = locks.get(table) || Promise.resolve();
    let release;
    const held = new Promise(resolve => { release = resolve; });
    const tail = previous.then(() => held);
    locks.set(table, tail);
    return previous.then(() => () => {
      release();
      if (locks.get(table) === tail) locks.delete(table);
    });
  }

  async function serialized(tableNames, work) {
    const releases = [];
    for (const name of [...new Set(tableNames)].sort()) releases.push(await acquire(name)); // sorted: no deadlock
    try {
      return await work();
    } finally {
      for (const release of releases) release();
    }
  }

  function openShard(stream, parentId) {
    const shard = {
      id: `shardId-${String(Date.now()).padStart(20, '0')}-${crypto.randomBytes(4).toString('hex')}`,
      // Every number handed out so far is <= nextSequenceNumber: the shard starts above them all, its parent's end included.
      parentId, start: nextSequenceNumber + 1n, end: undefined, records: [],
    };
    stream.shards.push(shard);
    return shard;
  }

  function closeShard(shard) {
    shard.end = shard.records.length > 0 ? shard.records[shard.records.length - 1].seq : shard.start;
  }

  function enableStream(name, tableArn, keySchema, viewType) {
    const createdAt = Date.now();
    let label = streamLabel(createdAt);
    const state = tables.get(name) || { tableArn, keySchema };
    if (state.latest && state.latest.label >= label) label = streamLabel(Date.parse(`${state.latest.label}Z`) + 1);
    const stream = {
      arn: `${tableArn}/stream/${label}`, label, tableName: name, keySchema, viewType, status: 'ENABLED', createdAt, shards: [],
    };
    openShard(stream, undefined);
    streams.set(stream.arn, stream);
    tables.set(name, { ...state, tableArn, keySchema, current: stream, latest: stream });
  }

  function disableStream(name) {
    const state = tables.get(name);
    if (!state || !state.current) return;
    const stream = state.current;
    stream.status = 'DISABLED';
    const open = stream.shards[stream.shards.length - 1];
    if (open.end === undefined) closeShard(open);
    state.current = undefined;
  }

  function appendRecord(stream, record) {
    let shard = stream.shards[stream.shards.length - 1];
    nextSequenceNumber += BigInt(1 + crypto.randomInt(100)); // increasing, not consecutive, as on AWS
    const seq = nextSequenceNumber;
    record.dynamodb.SequenceNumber = seq.toString();
    shard.records.push({ seq, record });
    if (shardRecords > 0 && shard.records.length >= shardRecords) {
      closeShard(shard);
      shard = openShard(stream, shard.id);
    }
  }

  function describeWithStream(description) {
    const state = description && tables.get(description.TableName);
    if (!state || !state.latest) return description;
    const out = { ...description, LatestStreamArn: state.latest.arn, LatestStreamLabel: state.latest.label };
    if (state.current) out.StreamSpecification = { StreamEnabled: true, StreamViewType: state.current.viewType };
    return out;
  }

  function checkSpecification(spec) {
    if (typeof spec !== 'object' || spec === null || typeof spec.StreamEnabled !== 'boolean') {
      throw validation('StreamSpecification must have StreamEnabled');
    }
    if (spec.StreamEnabled && !VIEW_TYPES.includes(spec.StreamViewType)) {
      throw validation(`1 validation error detected: Value '${spec.StreamViewType}' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [${VIEW_TYPES.join(', ')}]`);
    }
  }

  /** Answers the client with dynalite's answer, its JSON replaced by `json` when given (length and CRC redone). */
  function relay(res, answer, json) {
    const headers = {};
    for (const [name, value] of Object.entries(answer.headers)) headers[name] = value;
    if (json === undefined) {
      res.writeHead(answer.status, headers);
      res.end(answer.text);
      return;
    }
    const text = JSON.stringify(json);
    headers['content-length'] = Buffer.byteLength(text);
    headers['x-amz-crc32'] = zlib.crc32(text);
    res.writeHead(answer.status, headers);
    res.end(text);
  }

  async function tableOperation(operation, body, raw, headers, res) {
    if (operation === 'CreateTable' && body.StreamSpecification !== undefined) checkSpecification(body.StreamSpecification);
    let answer;
    if (operation === 'UpdateTable' && body.StreamSpecification !== undefined) {
      checkSpecification(body.StreamSpecification);
      const described = await internal('DescribeTable', { TableName: body.TableName });
      if (described.status !== 200) return relay(res, described);
      const state = tables.get(body.TableName);
      const enabled = Boolean(state && state.current);
      if (body.StreamSpecification.StreamEnabled === enabled) {
        throw validation(enabled ? `Table already has an enabled stream: ${state.current.arn}` : 'Table already has no enabled stream');
      }
      const rest = { ...body };
      delete rest.StreamSpecification;
      const changesMore = rest.ProvisionedThroughput || rest.BillingMode || rest.SSESpecification ||
        (rest.GlobalSecondaryIndexUpdates && rest.GlobalSecondaryIndexUpdates.length);
      answer = changesMore
        ? await callDynalite('UpdateTable', Buffer.from(JSON.stringify(rest)), headers)
        : { ...described, json: { TableDescription: described.json.Table } };
      if (answer.status === 200) {
        const table = described.json.Table;
        if (body.StreamSpecification.StreamEnabled) {
          enableStream(table.TableName, table.TableArn, table.KeySchema, body.StreamSpecification.StreamViewType);
        } else {
          disableStream(table.TableName);
        }
      }
    } else {
      answer = await callDynalite(operation, raw, headers);
    }
    if (answer.status !== 200 || !answer.json) return relay(res, answer);
    const key = operation === 'DescribeTable' ? 'Table' : 'TableDescription';
    const description = answer.json[key];
    if (operation === 'CreateTable') {
      tables.delete(description.TableName); // a table made anew under an old name starts without a stream
      if (body.StreamSpecification && body.StreamSpecification.StreamEnabled) {
        enableStream(description.TableName, description.TableArn, description.KeySchema, body.StreamSpecification.StreamViewType);
      }
    }
    const json = { ...answer.json, [key]: describeWithStream(description) };
    if (operation === 'DeleteTable') {
      disableStream(description.TableName);
      tables.delete(description.TableName);
    }
    relay(res, answer, json);
  }

  /** The (table, key) pairs a write touches, in request order. */
  function touchedKeys(operation, body) {
    const keyOf = (table, item) => {
      const state = tables.get(table);
      const key = {};
      for (const { AttributeName: name } of state.keySchema) {
        if (!item || item[name] === undefined) return undefined;
        key[name] = item[name];
      }
      return key;
    };
    const out = [];
    const add = (table, item) => {
      if (!tables.get(table)?.current) return;
      const key = keyOf(table, item);
      if (key) out.push({ table, key, id: canonicalItem(key) });
    };
    if (operation === 'PutItem') add(body.TableName, body.Item);
    else if (operation === 'BatchWriteItem') {
      for (const [table, requests] of Object.entries(body.RequestItems || {})) {
        for (const request of Array.isArray(requests) ? requests : []) add(table, request?.PutRequest?.Item ?? request?.DeleteRequest?.Key);
      }
    } else add(body.TableName, body.Key);
    return out.filter((t, i) => out.findIndex(o => o.table === t.table && o.id === t.id) === i);
  }

  /** Reads the touched items (consistently) through dynalite: a map "table\nkey" -> item; undefined if it refuses. */
  async function snapshot(touched) {
    const requestItems = {};
    for (const { table, key } of touched) (requestItems[table] ||= { Keys: [], ConsistentRead: true }).Keys.push(key);
    const answer = await internal('BatchGetItem', { RequestItems: requestItems });
    if (answer.status !== 200) return undefined;
    const items = new Map();
    for (const [table, found] of Object.entries(answer.json.Responses || {})) {
      const keyNames = tables.get(table).keySchema.map(k => k.AttributeName);
      for (const item of found) items.set(`${table}\n${canonicalItem(Object.fromEntries(keyNames.map(n => [n, item[n]])))}`, item);
    }
    return items;
  }

  function record(stream, key, before, after, now) {
    const eventName = before === undefined ? 'INSERT' : after === undefined ? 'REMOVE' : 'MODIFY';
    const dynamodb = { ApproximateCreationDateTime: Math.floor(now / 1000), Keys: key };
    if ((stream.viewType === 'NEW_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES') && after) dynamodb.NewImage = after;
    if ((stream.viewType === 'OLD_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES') && before) dynamodb.OldImage = before;
    dynamodb.SizeBytes = itemSize(key) + itemSize(dynamodb.NewImage) + itemSize(dynamodb.OldImage);
    dynamodb.StreamViewType = stream.viewType;
    return {
      eventID: crypto.randomBytes(16).toString('hex'), eventName, eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: region, dynamodb,
    };
  }

  async function write(operation, body, raw, headers, res) {
    const tableNames = operation === 'BatchWriteItem' ? Object.keys(body.RequestItems || {}) : [body.TableName];
    if (!tableNames.some(name => tables.get(name)?.current)) return relay(res, await callDynalite(operation, raw, headers));
    await serialized(tableNames, async () => {
      const touched = touchedKeys(operation, body);
      const before = touched.length > 0 ? await snapshot(touched) : undefined;
      const answer = await callDynalite(operation, raw, headers);
      const after = before && answer.status === 200 ? await snapshot(touched) : undefined;
      if (after) {
        const now = Date.now();
        for (const { table, key, id } of touched) {
          const old = before.get(`${table}\n${id}`);
          const current = after.get(`${table}\n${id}`);
          const unchanged = old === undefined ? current === undefined : current !== undefined && canonicalItem(old) === canonicalItem(current);
          const stream = tables.get(table)?.current;
          if (!unchanged && stream) appendRecord(stream, record(stream, key, old, current, now));
        }
      }
      relay(res, answer);
    });
  }

  /** The DynamoDB port: table operations and writes through the front, everything else straight to dynalite. */
  function handleDynamoDB(req, res) {
    const [api, operation] = String(req.headers['x-amz-target'] || '').split('.');
    if (req.method !== 'POST' || api !== 'DynamoDB_20120810' || !(WRITES.has(operation) || TABLE_OPERATIONS.has(operation))) {
      return dynamo(req, res);
    }
    readBody(req, 'dynalite', async raw => {
      let body;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = undefined;
      }
      try {
        if (!body || typeof body !== 'object') return relay(res, await callDynalite(operation, raw, req.headers)); // dynalite's errors
        if (WRITES.has(operation)) await write(operation, body, raw, req.headers, res);
        else await tableOperation(operation, body, raw, req.headers, res);
      } catch (err) {
        if (err instanceof ApiError) return sendJson(res, 400, { __type: err.type, message: err.message });
        console.error(err);
        if (!res.headersSent) sendJson(res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(err.message) });
      }
    });
  }

  function findStream(arn) {
    const stream = typeof arn === 'string' ? streams.get(arn) : undefined;
    if (!stream) throw notFound(`Stream: ${arn} not found`);
    return stream;
  }

  function findShard(stream, shardId) {
    const id = String(shardId || '');
    // AWS's own GetShardIterator example names the shard without its "shardId-" prefix.
    const shard = stream.shards.find(s => s.id === id || s.id === `shardId-${id}`);
    if (!shard) throw notFound(`Shard ${id} does not exist in stream ${stream.arn}`);
    return shard;
  }

  function limitOf(body, high) {
    if (body.Limit === undefined || body.Limit === null) return high;
    if (!Number.isInteger(body.Limit) || body.Limit < 1 || body.Limit > high) {
      throw validation(`1 validation error detected: Value '${body.Limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${high}`);
    }
    return body.Limit;
  }

  const iterator = (stream, shard, after) =>
    `${stream.arn}|1|${Buffer.from(JSON.stringify({ shard: shard.id, after: after.toString(), issued: Date.now() })).toString('base64')}`;

  const streamActions = {
    ListStreams(body) {
      const limit = limitOf(body, 100);
      let list = [...streams.values()].filter(s => body.TableName === undefined || s.tableName === body.TableName);
      if (body.ExclusiveStartStreamArn !== undefined) {
        const at = list.findIndex(s => s.arn === body.ExclusiveStartStreamArn);
        list = at >= 0 ? list.slice(at + 1) : list;
      }
      const page = list.slice(0, limit);
      const out = { Streams: page.map(s => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })) };
      if (list.length > page.length) out.LastEvaluatedStreamArn = page[page.length - 1].arn;
      return out;
    },

    DescribeStream(body) {
      const stream = findStream(body.StreamArn);
      const limit = limitOf(body, 100);
      let shards = stream.shards;
      if (body.ExclusiveStartShardId !== undefined) {
        const at = shards.findIndex(s => s.id === body.ExclusiveStartShardId);
        shards = at >= 0 ? shards.slice(at + 1) : shards;
      }
      const page = shards.slice(0, limit);
      const StreamDescription = {
        StreamArn: stream.arn, StreamLabel: stream.label, StreamStatus: stream.status, StreamViewType: stream.viewType,
        CreationRequestDateTime: stream.createdAt / 1000, TableName: stream.tableName, KeySchema: stream.keySchema,
        Shards: page.map(s => {
          const range = { StartingSequenceNumber: s.start.toString() };
          if (s.end !== undefined) range.EndingSequenceNumber = s.end.toString();
          return s.parentId === undefined ? { ShardId: s.id, SequenceNumberRange: range } : { ShardId: s.id, SequenceNumberRange: range, ParentShardId: s.parentId };
        }),
      };
      if (shards.length > page.length) StreamDescription.LastEvaluatedShardId = page[page.length - 1].id;
      return { StreamDescription };
    },

    GetShardIterator(body) {
      const stream = findStream(body.StreamArn);
      const shard = findShard(stream, body.ShardId);
      const type = body.ShardIteratorType;
      const last = shard.records.length > 0 ? shard.records[shard.records.length - 1].seq : shard.start - 1n;
      if (type === 'TRIM_HORIZON') return { ShardIterator: iterator(stream, shard, shard.start - 1n) };
      if (type === 'LATEST') return { ShardIterator: iterator(stream, shard, shard.end ?? last) };
      if (type !== 'AT_SEQUENCE_NUMBER' && type !== 'AFTER_SEQUENCE_NUMBER') {
        throw validation(`1 validation error detected: Value '${type}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]`);
      }
      if (typeof body.SequenceNumber !== 'string' || !/^[0-9]{1,40}$/.test(body.SequenceNumber)) {
        throw validation(`SequenceNumber is required and must be numeric for ShardIteratorType ${type}`);
      }
      const seq = BigInt(body.SequenceNumber);
      if (seq < shard.start || seq > (shard.end ?? last)) {
        throw validation(`Invalid SequenceNumber ${body.SequenceNumber} for shard ${shard.id}: outside its range`);
      }
      return { ShardIterator: iterator(stream, shard, type === 'AT_SEQUENCE_NUMBER' ? seq - 1n : seq) };
    },

    GetRecords(body) {
      const text = String(body.ShardIterator || '');
      const [arn, version, payload] = text.split('|');
      let position;
      try {
        position = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
      } catch {
        position = undefined;
      }
      if (version !== '1' || !position || typeof position.after !== 'string') throw validation('Invalid ShardIterator');
      const stream = findStream(arn);
      const shard = findShard(stream, position.shard);
      const limit = limitOf(body, 1000);
      const now = Date.now();
      if (now - position.issued > ITERATOR_LIFETIME_MS) {
        throw new ApiError('ExpiredIteratorException', `Iterator expired. The iterator was created at time ${new Date(position.issued).toISOString()} while right now it is ${new Date(now).toISOString()} which is further in the future than the tolerated delay of 900000 milliseconds.`);
      }
      const after = BigInt(position.after);
      const records = shard.records.filter(r => r.seq > after).slice(0, limit);
      const reached = records.length > 0 ? records[records.length - 1].seq : after;
      const out = { Records: records.map(r => r.record) };
      // A closed shard read to its end has no next iterator: the reader moves on to the child shards.
      const atEnd = shard.end !== undefined && !shard.records.some(r => r.seq > reached);
      if (!atEnd) out.NextShardIterator = iterator(stream, shard, reached);
      return out;
    },
  };

  /** The Streams port. */
  function handleStreams(req, res) {
    readBody(req, 'dynamodb-streams', raw => {
      const target = String(req.headers['x-amz-target'] || '');
      const operation = target.startsWith('DynamoDBStreams_20120810.') ? target.slice('DynamoDBStreams_20120810.'.length) : '';
      if (req.method !== 'POST' || !Object.hasOwn(streamActions, operation)) {
        return sendJson(res, 400, { __type: 'com.amazon.coral.service#UnknownOperationException', message: `Unknown operation ${target}` });
      }
      let body;
      try {
        body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
      } catch {
        return sendJson(res, 400, { __type: 'com.amazon.coral.service#SerializationException', message: 'The request body is not JSON.' });
      }
      try {
        sendJson(res, 200, streamActions[operation](body || {}));
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        sendJson(res, 400, { __type: err.type, message: err.message });
      }
    });
  }

  return { handleDynamoDB, streamsServer: http.createServer(handleStreams) };
};
