'use strict';
// An SQS emulator on 127.0.0.1 for the LetsData tests, speaking the AWS JSON 1.0 protocol that AWSSDK.SQS 4.x uses
// (POST /, X-Amz-Target: AmazonSQS.<Action>, Content-Type: application/x-amz-json-1.0). No npm emulator speaks it
// (sqslite 2.1.1 answers only the query/XML protocol), so this is a small one of our own, Node standard library only.
//
// Usage: node sqs-local.js --port N
//
// Emulated: CreateQueue, GetQueueUrl, DeleteQueue, ListQueues, GetQueueAttributes, SetQueueAttributes, SendMessage,
// SendMessageBatch, ReceiveMessage (long polling), DeleteMessage, DeleteMessageBatch, ChangeMessageVisibility,
// ChangeMessageVisibilityBatch, PurgeQueue; FIFO queues (per-group order, a group with a message in flight is held back,
// 5-minute deduplication by id or body hash, DeduplicationScope) and RedrivePolicy (dead-letter queues). Errors carry
// AWS's JSON shape and its x-amzn-query-error header, which the SDK reads for ErrorCode.
// Not emulated: signatures (any credentials are taken), permissions, tags, KMS, ReceiveRequestAttemptId, the
// 60-second QueueDeletedRecently wait, message-size limits above 256 KiB (AWS now allows 1 MiB; staying at 256 KiB keeps
// tests honest for both), retention beyond this process (everything is in memory).
//
// Stale receipt handles: a handle from an earlier receive of a message that has been received again since deletes the
// message on a standard queue (what AWS does in practice) and is accepted without deleting it on a FIFO queue (AWS's
// documented rule that only the latest handle deletes); a handle of a message already deleted is accepted, as on AWS.
const crypto = require('crypto');
const http = require('http');

const ACCOUNT = '000000000000';
const REGION = process.env.AWS_REGION || 'us-east-1';
const MAX_MESSAGE_BYTES = 262144;
const MAX_BATCH_ENTRIES = 10;
const DEDUP_WINDOW_MS = 5 * 60 * 1000;
const PURGE_INTERVAL_MS = 60 * 1000;
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

class SqsError extends Error {
  /** type: the JSON __type after "#"; queryCode: the query-protocol code AWS sends in x-amzn-query-error. */
  constructor(type, queryCode, message) {
    super(message);
    this.type = type;
    this.queryCode = queryCode;
  }
}

const invalidParameter = message => new SqsError('InvalidParameterValue', 'InvalidParameterValue', message);
const invalidValue = (name, value, reason) => invalidParameter(`Value ${value} for parameter ${name} is invalid. Reason: ${reason}`);
const missingParameter = name => new SqsError('MissingParameter', 'MissingParameter', `The request must contain the parameter ${name}.`);
const noSuchQueue = () => new SqsError('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
const invalidHandle = handle => new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
const invalidAttributeName = name => new SqsError('InvalidAttributeName', 'InvalidAttributeName', `Unknown Attribute ${name}.`);
const invalidAttributeValue = name => new SqsError('InvalidAttributeValue', 'InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
const wrongQueueType = (name, value) => invalidValue(name, value, 'The request include parameter that is not valid for this queue type.');

// Writable queue attributes: [default for a new queue (undefined: none), validity check].
const between = (low, high) => value => /^[0-9]+$/.test(value) && Number(value) >= low && Number(value) <= high;
const isBoolean = value => value === 'true' || value === 'false';
const anyText = () => true;
const QUEUE_ATTRIBUTES = {
  DelaySeconds: ['0', between(0, 900)],
  MaximumMessageSize: [String(MAX_MESSAGE_BYTES), between(1024, MAX_MESSAGE_BYTES)],
  MessageRetentionPeriod: ['345600', between(60, 1209600)],
  ReceiveMessageWaitTimeSeconds: ['0', between(0, 20)],
  VisibilityTimeout: ['30', between(0, 43200)],
  Policy: [undefined, anyText],
  RedrivePolicy: [undefined, parseRedrivePolicy],
  RedriveAllowPolicy: [undefined, anyText],
  KmsMasterKeyId: [undefined, anyText],
  KmsDataKeyReusePeriodSeconds: [undefined, between(60, 86400)],
  SqsManagedSseEnabled: ['false', isBoolean],
};
const FIFO_ATTRIBUTES = {
  FifoQueue: ['true', value => value === 'true'],
  ContentBasedDeduplication: ['false', isBoolean],
  DeduplicationScope: ['queue', value => value === 'queue' || value === 'messageGroup'],
  FifoThroughputLimit: ['perQueue', value => value === 'perQueue' || value === 'perMessageGroupId'],
};
const SYSTEM_ATTRIBUTES = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp',
  'SequenceNumber', 'MessageDeduplicationId', 'MessageGroupId', 'AWSTraceHeader', 'DeadLetterQueueSourceArn'];

function parseRedrivePolicy(value) {
  try {
    const policy = JSON.parse(value);
    return typeof policy.deadLetterTargetArn === 'string' && Number(policy.maxReceiveCount) >= 1;
  } catch {
    return false;
  }
}

const queues = new Map(); // name -> queue
let port = 0;
// One counter for every FIFO queue: each queue's numbers increase but are not consecutive, as on AWS.
let nextSequenceNumber = BigInt(Date.now()) * 10000000n;

const md5 = data => crypto.createHash('md5').update(data).digest('hex');
const queueUrl = name => `http://127.0.0.1:${port}/${ACCOUNT}/${name}`;
const queueArn = name => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
const isVisible = (message, now) => message.visibleAt <= now;
const isInFlight = (message, now) => message.receiveCount > 0 && message.visibleAt > now;

/** AWS's digest of message attributes: sorted by name; name, type, transport (1 text, 2 binary), value, each length-prefixed. */
function md5OfAttributes(attributes) {
  const names = Object.keys(attributes || {}).sort();
  if (names.length === 0) return undefined;
  const parts = [];
  const addPrefixed = bytes => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const name of names) {
    const { DataType: type, StringValue: text, BinaryValue: binary } = attributes[name];
    addPrefixed(Buffer.from(name, 'utf8'));
    addPrefixed(Buffer.from(type, 'utf8'));
    if (type.startsWith('Binary')) {
      parts.push(Buffer.from([2]));
      addPrefixed(Buffer.from(binary, 'base64'));
    } else {
      parts.push(Buffer.from([1]));
      addPrefixed(Buffer.from(text, 'utf8'));
    }
  }
  return md5(Buffer.concat(parts));
}

function attributeBytes(attributes) {
  let size = 0;
  for (const [name, { DataType: type, StringValue: text, BinaryValue: binary }] of Object.entries(attributes || {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(type) + (type.startsWith('Binary') ? Buffer.from(binary, 'base64').length : Buffer.byteLength(text));
  }
  return size;
}

function checkMessageAttributes(attributes, kind) {
  const names = Object.keys(attributes || {});
  if (names.length > 10) throw invalidParameter(`Number of message attributes [${names.length}] exceeds the allowed maximum [10].`);
  for (const name of names) {
    const value = attributes[name] || {};
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') ||
      /^(aws\.|amazon\.)/i.test(name)) {
      throw invalidParameter(`Message (${kind}) attribute name '${name}' is invalid.`);
    }
    const type = value.DataType;
    if (typeof type !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(type)) {
      throw invalidParameter(`The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    }
    const base = type.split('.')[0];
    const present = base === 'Binary' ? value.BinaryValue : value.StringValue;
    if (typeof present !== 'string' || present.length === 0) {
      throw invalidParameter(`Message (${kind}) attribute '${name}' must contain a non-empty value of type '${base}'.`);
    }
    if (base === 'Number' && !/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(present)) {
      throw invalidParameter(`Value ${present} for message (${kind}) attribute '${name}' is not a valid number.`);
    }
  }
}

/** Characters SQS accepts in a body: #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF (no lone surrogates). */
function hasOnlyAllowedCharacters(text) {
  for (const ch of text) {
    const c = ch.codePointAt(0);
    const allowed = c === 0x9 || c === 0xA || c === 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
    if (!allowed) return false;
  }
  return true;
}

function findQueue(url) {
  if (typeof url !== 'string' || url.length === 0) throw missingParameter('QueueUrl');
  let segments;
  try {
    segments = new URL(url).pathname.split('/').filter(Boolean);
  } catch {
    segments = url.split('/').filter(Boolean);
  }
  // Found by name: the host and account of the URL are not checked, so AWS's own example URLs reach our queues.
  const queue = queues.get(decodeURIComponent(segments[segments.length - 1] || ''));
  if (!queue) throw noSuchQueue();
  return queue;
}

function integerParameter(body, name, low, high, reason) {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value < low || value > high) throw invalidValue(name, value, reason);
  return value;
}

/** Checks one message to send and returns what will be stored; throws SqsError for the request or the batch entry. */
function prepareMessage(queue, entry, senderId) {
  const body = entry.MessageBody;
  if (typeof body !== 'string' || body.length === 0) throw missingParameter('MessageBody');
  if (!hasOnlyAllowedCharacters(body)) {
    throw new SqsError('InvalidMessageContents', 'InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
  }
  checkMessageAttributes(entry.MessageAttributes, 'user');
  const size = Buffer.byteLength(body) + attributeBytes(entry.MessageAttributes);
  const limit = Number(queue.attributes.MaximumMessageSize);
  if (size > limit) throw invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`);
  const system = entry.MessageSystemAttributes || {};
  for (const name of Object.keys(system)) {
    if (name !== 'AWSTraceHeader') throw invalidParameter(`Message system attribute name '${name}' is invalid.`);
    if (system[name].DataType !== 'String' || typeof system[name].StringValue !== 'string') {
      throw invalidParameter(`Message system attribute '${name}' must contain a non-empty value of type 'String'.`);
    }
  }
  const delay = integerParameter(entry, 'DelaySeconds', 0, 900, 'DelaySeconds must be >= 0 and <= 900.');
  let groupId = entry.MessageGroupId;
  let dedupId = entry.MessageDeduplicationId;
  if (queue.fifo) {
    if (delay !== undefined && delay !== 0) throw wrongQueueType('DelaySeconds', delay);
    if (typeof groupId !== 'string' || groupId.length === 0) throw missingParameter('MessageGroupId');
    if (typeof dedupId !== 'string' || dedupId.length === 0) {
      if (queue.attributes.ContentBasedDeduplication !== 'true') {
        throw invalidParameter('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      }
      dedupId = crypto.createHash('sha256').update(body, 'utf8').digest('hex');
    }
  } else if (dedupId !== undefined) {
    throw wrongQueueType('MessageDeduplicationId', dedupId);
  }
  for (const [name, value] of [['MessageGroupId', groupId], ['MessageDeduplicationId', dedupId]]) {
    if (value !== undefined && !/^[!-~]{1,128}$/.test(value)) throw invalidValue(name, value, `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
  return {
    body, size, groupId, dedupId, senderId,
    delaySeconds: delay ?? Number(queue.attributes.DelaySeconds),
    attributes: entry.MessageAttributes && Object.keys(entry.MessageAttributes).length > 0 ? entry.MessageAttributes : undefined,
    systemAttributes: Object.keys(system).length > 0 ? system : undefined,
  };
}

/** Stores a prepared message (or finds its duplicate) and returns the SendMessage result fields. */
function enqueue(queue, prepared, now) {
  const result = {
    MD5OfMessageBody: md5(prepared.body),
    MD5OfMessageAttributes: md5OfAttributes(prepared.attributes),
    MD5OfMessageSystemAttributes: md5OfAttributes(prepared.systemAttributes),
  };
  if (queue.fifo) {
    const dedupKey = queue.attributes.DeduplicationScope === 'messageGroup' ? `${prepared.groupId}\n${prepared.dedupId}` : prepared.dedupId;
    const earlier = queue.deduplication.get(dedupKey);
    if (earlier && earlier.expiresAt > now) return { ...result, MessageId: earlier.messageId, SequenceNumber: earlier.sequenceNumber };
    const sequenceNumber = String(nextSequenceNumber += BigInt(1 + crypto.randomInt(1000)));
    const message = storeMessage(queue, prepared, now, sequenceNumber);
    queue.deduplication.set(dedupKey, { messageId: message.id, sequenceNumber, expiresAt: now + DEDUP_WINDOW_MS });
    return { ...result, MessageId: message.id, SequenceNumber: sequenceNumber };
  }
  return { ...result, MessageId: storeMessage(queue, prepared, now).id };
}

function storeMessage(queue, prepared, now, sequenceNumber) {
  const message = {
    id: crypto.randomUUID(), body: prepared.body, attributes: prepared.attributes, systemAttributes: prepared.systemAttributes,
    groupId: prepared.groupId, dedupId: queue.fifo ? prepared.dedupId : undefined, sequenceNumber, senderId: prepared.senderId,
    sentAt: now, visibleAt: now + prepared.delaySeconds * 1000, receiveCount: 0, firstReceiveAt: undefined, receipt: undefined,
  };
  queue.messages.push(message);
  return message;
}

function removeMessage(queue, message) {
  const index = queue.messages.indexOf(message);
  if (index >= 0) queue.messages.splice(index, 1);
}

/** Drops messages past the retention period and deduplication entries past their window. */
function expire(queue, now) {
  const retentionMs = Number(queue.attributes.MessageRetentionPeriod) * 1000;
  queue.messages = queue.messages.filter(m => now - m.sentAt < retentionMs);
  for (const [key, entry] of queue.deduplication) if (entry.expiresAt <= now) queue.deduplication.delete(key);
}

/** Messages a receive may take now, in order: on a FIFO queue, per group from its head, no group with one in flight. */
function deliverable(queue, max, now) {
  expire(queue, now);
  moveToDeadLetterQueue(queue, now);
  const out = [];
  const held = new Set();
  if (queue.fifo) for (const m of queue.messages) if (isInFlight(m, now)) held.add(m.groupId);
  for (const m of queue.messages) {
    if (out.length >= max) break;
    if (queue.fifo && held.has(m.groupId)) continue;
    if (isVisible(m, now)) out.push(m);
    else if (queue.fifo) held.add(m.groupId); // delayed head: the group waits behind it
  }
  return out;
}

/** RedrivePolicy: a visible message received maxReceiveCount times goes to the dead-letter queue instead. */
function moveToDeadLetterQueue(queue, now) {
  const policy = queue.attributes.RedrivePolicy && JSON.parse(queue.attributes.RedrivePolicy);
  if (!policy) return;
  const target = queues.get(String(policy.deadLetterTargetArn).split(':').pop());
  if (!target) return;
  const spent = queue.messages.filter(m => isVisible(m, now) && m.receiveCount >= Number(policy.maxReceiveCount));
  for (const m of spent) {
    removeMessage(queue, m);
    target.messages.push({ ...m, deadLetterSourceArn: queue.arn, receipt: undefined });
  }
  if (spent.length > 0) notify(target);
}

function newReceiptHandle(queue, message) {
  return Buffer.from(`${queue.name}\n${message.id}\n${crypto.randomBytes(24).toString('hex')}`).toString('base64');
}

/** The message a handle names, whether the handle is its latest, or undefined when the message is gone. */
function resolveHandle(queue, handle) {
  if (typeof handle !== 'string' || handle.length === 0) throw missingParameter('ReceiptHandle');
  const parts = Buffer.from(handle, 'base64').toString('utf8').split('\n');
  if (parts.length !== 3 || parts[0] !== queue.name || !/^[0-9a-f]{48}$/.test(parts[2])) throw invalidHandle(handle);
  const message = queue.messages.find(m => m.id === parts[1]);
  return { message, latest: message !== undefined && message.receipt === handle };
}

function deleteByHandle(queue, handle) {
  const { message, latest } = resolveHandle(queue, handle);
  if (message && (latest || !queue.fifo)) {
    removeMessage(queue, message);
    notify(queue); // a FIFO group may be free again
  }
}

function changeVisibility(queue, handle, timeout, now) {
  const { message, latest } = resolveHandle(queue, handle);
  if (!Number.isInteger(timeout) || timeout < 0 || timeout > 43200) {
    throw invalidValue('VisibilityTimeout', timeout, 'Must be >= 0 and <= 43200, if provided.');
  }
  if (!message || !latest) {
    throw invalidValue('ReceiptHandle', handle, 'Message does not exist or is not available for visibility timeout change.');
  }
  if (!isInFlight(message, now)) throw new SqsError('MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight', 'Message is not in flight.');
  message.visibleAt = now + timeout * 1000;
  notify(queue);
}

/** Checks a batch's entries and ids as AWS does before looking at any entry. */
function checkBatch(entries, entryName) {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new SqsError('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', `There should be at least one ${entryName} in the request.`);
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new SqsError('TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`);
  }
  const seen = new Set();
  for (const { Id: id } of entries) {
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
      throw new SqsError('InvalidBatchEntryId', 'AWS.SimpleQueueService.InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
    if (seen.has(id)) throw new SqsError('BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
}

/** Runs one action per entry; an SqsError becomes that entry's Failed line, as AWS reports batch entries. */
function runBatch(entries, action) {
  const Successful = [];
  const Failed = [];
  for (const entry of entries) {
    try {
      Successful.push({ Id: entry.Id, ...action(entry) });
    } catch (err) {
      if (!(err instanceof SqsError)) throw err;
      Failed.push({ Id: entry.Id, SenderFault: true, Code: err.queryCode, Message: err.message });
    }
  }
  return { Successful, Failed };
}

function checkQueueAttributes(attributes, fifo) {
  for (const [name, value] of Object.entries(attributes)) {
    const spec = QUEUE_ATTRIBUTES[name] || (fifo ? FIFO_ATTRIBUTES[name] : undefined);
    if (!spec) {
      if (name === 'FifoQueue' && !fifo) continue; // FifoQueue=false on a standard queue is allowed
      throw invalidAttributeName(name);
    }
    if (typeof value !== 'string' || !spec[1](value)) throw invalidAttributeValue(name);
  }
}

function defaultAttributes(fifo) {
  const defaults = {};
  for (const [name, [value]] of Object.entries({ ...QUEUE_ATTRIBUTES, ...(fifo ? FIFO_ATTRIBUTES : {}) })) {
    if (value !== undefined) defaults[name] = value;
  }
  return defaults;
}

function queueAttributes(queue, now) {
  expire(queue, now);
  let visible = 0;
  let inFlight = 0;
  let delayed = 0;
  for (const m of queue.messages) {
    if (isVisible(m, now)) visible++;
    else if (m.receiveCount > 0) inFlight++;
    else delayed++;
  }
  return {
    ...queue.attributes,
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(visible),
    ApproximateNumberOfMessagesNotVisible: String(inFlight),
    ApproximateNumberOfMessagesDelayed: String(delayed),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.modifiedAt / 1000)),
  };
}

function messageForReceive(message, systemNames, userNames) {
  const system = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceiveAt),
    SequenceNumber: message.sequenceNumber,
    MessageDeduplicationId: message.dedupId,
    MessageGroupId: message.groupId,
    AWSTraceHeader: message.systemAttributes?.AWSTraceHeader?.StringValue,
    DeadLetterQueueSourceArn: message.deadLetterSourceArn,
  };
  const all = systemNames.includes('All');
  const Attributes = {};
  for (const name of SYSTEM_ATTRIBUTES) {
    if ((all || systemNames.includes(name)) && system[name] !== undefined) Attributes[name] = system[name];
  }
  const MessageAttributes = {};
  for (const [name, value] of Object.entries(message.attributes || {})) {
    const wanted = userNames.some(pattern => pattern === 'All' || pattern === '.*' || pattern === name ||
      (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))));
    if (wanted) MessageAttributes[name] = value;
  }
  const out = { MessageId: message.id, ReceiptHandle: message.receipt, MD5OfBody: md5(message.body), Body: message.body };
  if (Object.keys(Attributes).length > 0) out.Attributes = Attributes;
  if (Object.keys(MessageAttributes).length > 0) {
    out.MessageAttributes = MessageAttributes;
    out.MD5OfMessageAttributes = md5OfAttributes(MessageAttributes); // over what is returned: the SDK checks it so
  }
  return out;
}

/** Hands messages to waiting long polls, oldest poll first, and sets a timer for the next message to become visible. */
function notify(queue) {
  clearTimeout(queue.wakeTimer);
  const now = Date.now();
  while (queue.waiters.length > 0) {
    const taken = queue.waiters[0].tryTake(now);
    if (!taken) break;
    queue.waiters.shift();
  }
  if (queue.waiters.length === 0) return;
  const next = Math.min(...queue.messages.filter(m => m.visibleAt > now).map(m => m.visibleAt));
  if (Number.isFinite(next)) queue.wakeTimer = setTimeout(() => notify(queue), next - now + 1);
}

const actions = {
  CreateQueue(body) {
    const name = body.QueueName;
    if (typeof name !== 'string' || name.length === 0) throw missingParameter('QueueName');
    const attributes = body.Attributes || {};
    const fifo = attributes.FifoQueue === 'true';
    const validName = fifo ? /^[A-Za-z0-9_-]{1,75}\.fifo$/.test(name) : /^[A-Za-z0-9_-]{1,80}$/.test(name);
    if (!validName) {
      throw invalidParameter(fifo || name.endsWith('.fifo')
        ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
        : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    }
    checkQueueAttributes(attributes, fifo);
    const existing = queues.get(name);
    if (existing) {
      for (const [key, value] of Object.entries(attributes)) {
        if ((existing.attributes[key] ?? (key === 'FifoQueue' ? 'false' : undefined)) !== value) {
          throw new SqsError('QueueNameExists', 'QueueAlreadyExists', `A queue already exists with the same name and a different value for attribute ${key}`);
        }
      }
      return { QueueUrl: queueUrl(name) };
    }
    const now = Date.now();
    const own = { ...attributes };
    if (!fifo) delete own.FifoQueue;
    queues.set(name, {
      name, fifo, arn: queueArn(name), attributes: { ...defaultAttributes(fifo), ...own }, createdAt: now, modifiedAt: now,
      messages: [], deduplication: new Map(), waiters: [], wakeTimer: undefined, lastPurgeAt: undefined,
    });
    return { QueueUrl: queueUrl(name) };
  },

  GetQueueUrl(body) {
    if (typeof body.QueueName !== 'string') throw missingParameter('QueueName');
    if (!queues.has(body.QueueName)) throw noSuchQueue();
    return { QueueUrl: queueUrl(body.QueueName) };
  },

  DeleteQueue(body) {
    const queue = findQueue(body.QueueUrl);
    queues.delete(queue.name);
    clearTimeout(queue.wakeTimer);
    for (const waiter of queue.waiters.splice(0)) waiter.finish([]);
    return {};
  },

  ListQueues(body) {
    const prefix = typeof body.QueueNamePrefix === 'string' ? body.QueueNamePrefix : '';
    const max = integerParameter(body, 'MaxResults', 1, 1000, 'MaxResults must be an integer between 1 and 1000.');
    const after = typeof body.NextToken === 'string' ? Buffer.from(body.NextToken, 'base64').toString('utf8') : '';
    const names = [...queues.keys()].filter(n => n.startsWith(prefix) && n > after).sort();
    const page = max === undefined ? names.slice(0, 1000) : names.slice(0, max);
    const out = {};
    if (page.length > 0) out.QueueUrls = page.map(queueUrl);
    if (max !== undefined && names.length > page.length) out.NextToken = Buffer.from(page[page.length - 1]).toString('base64');
    return out;
  },

  GetQueueAttributes(body) {
    const queue = findQueue(body.QueueUrl);
    const wanted = body.AttributeNames || [];
    const all = queueAttributes(queue, Date.now());
    const known = new Set([...Object.keys(all), ...Object.keys(QUEUE_ATTRIBUTES), ...Object.keys(FIFO_ATTRIBUTES)]);
    const Attributes = {};
    for (const name of wanted) {
      if (name === 'All') Object.assign(Attributes, all);
      else if (!known.has(name)) throw invalidAttributeName(name);
      else if (all[name] !== undefined) Attributes[name] = all[name];
    }
    return Object.keys(Attributes).length > 0 ? { Attributes } : {};
  },

  SetQueueAttributes(body) {
    const queue = findQueue(body.QueueUrl);
    const attributes = body.Attributes || {};
    if ('FifoQueue' in attributes) throw invalidAttributeName('FifoQueue'); // fixed at creation
    checkQueueAttributes(attributes, queue.fifo);
    Object.assign(queue.attributes, attributes);
    queue.modifiedAt = Date.now();
    notify(queue);
    return {};
  },

  SendMessage(body, context) {
    const queue = findQueue(body.QueueUrl);
    const result = enqueue(queue, prepareMessage(queue, body, context.senderId), Date.now());
    notify(queue);
    return result;
  },

  SendMessageBatch(body, context) {
    const queue = findQueue(body.QueueUrl);
    checkBatch(body.Entries, 'SendMessageBatchRequestEntry');
    let total = 0;
    for (const entry of body.Entries) {
      total += Buffer.byteLength(typeof entry.MessageBody === 'string' ? entry.MessageBody : '');
      try {
        total += attributeBytes(entry.MessageAttributes);
      } catch {
        // malformed attributes: the entry fails on its own below
      }
    }
    if (total > MAX_MESSAGE_BYTES) {
      throw new SqsError('BatchRequestTooLong', 'AWS.SimpleQueueService.BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes. You have sent ${total} bytes.`);
    }
    const now = Date.now();
    const result = runBatch(body.Entries, entry => enqueue(queue, prepareMessage(queue, entry, context.senderId), now));
    notify(queue);
    return result;
  },

  ReceiveMessage(body, context) {
    const queue = findQueue(body.QueueUrl);
    const max = integerParameter(body, 'MaxNumberOfMessages', 1, 10, 'Must be between 1 and 10, if provided.') ?? 1;
    const wait = integerParameter(body, 'WaitTimeSeconds', 0, 20, 'Must be >= 0 and <= 20, if provided.') ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds);
    const timeout = integerParameter(body, 'VisibilityTimeout', 0, 43200, 'Must be >= 0 and <= 43200, if provided.') ?? Number(queue.attributes.VisibilityTimeout);
    const systemNames = [...(body.AttributeNames || []), ...(body.MessageSystemAttributeNames || [])];
    const userNames = body.MessageAttributeNames || [];
    const take = now => {
      if (!queues.has(queue.name)) return [];
      const messages = deliverable(queue, max, now);
      for (const m of messages) {
        m.receiveCount++;
        m.firstReceiveAt ??= now;
        m.visibleAt = now + timeout * 1000;
        m.receipt = newReceiptHandle(queue, m);
      }
      return messages.map(m => messageForReceive(m, systemNames, userNames));
    };
    const answer = messages => (messages.length > 0 ? { Messages: messages } : {});
    const now = Date.now();
    const first = take(now);
    if (first.length > 0 || wait === 0) return answer(first);
    return new Promise(resolve => {
      const waiter = {
        finish(messages) {
          clearTimeout(waiter.timer);
          resolve(answer(messages));
        },
        tryTake(at) {
          const messages = take(at);
          if (messages.length === 0) return false;
          waiter.finish(messages);
          return true;
        },
      };
      waiter.timer = setTimeout(() => {
        queue.waiters = queue.waiters.filter(w => w !== waiter);
        waiter.finish([]);
      }, wait * 1000);
      // A client that gives up must not be handed messages it will never see.
      context.onClose(() => {
        queue.waiters = queue.waiters.filter(w => w !== waiter);
        clearTimeout(waiter.timer);
      });
      queue.waiters.push(waiter);
      notify(queue);
    });
  },

  DeleteMessage(body) {
    deleteByHandle(findQueue(body.QueueUrl), body.ReceiptHandle);
    return {};
  },

  DeleteMessageBatch(body) {
    const queue = findQueue(body.QueueUrl);
    checkBatch(body.Entries, 'DeleteMessageBatchRequestEntry');
    return runBatch(body.Entries, entry => {
      deleteByHandle(queue, entry.ReceiptHandle);
      return {};
    });
  },

  ChangeMessageVisibility(body) {
    changeVisibility(findQueue(body.QueueUrl), body.ReceiptHandle, body.VisibilityTimeout, Date.now());
    return {};
  },

  ChangeMessageVisibilityBatch(body) {
    const queue = findQueue(body.QueueUrl);
    checkBatch(body.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
    const now = Date.now();
    return runBatch(body.Entries, entry => {
      changeVisibility(queue, entry.ReceiptHandle, entry.VisibilityTimeout, now);
      return {};
    });
  },

  PurgeQueue(body) {
    const queue = findQueue(body.QueueUrl);
    const now = Date.now();
    if (queue.lastPurgeAt !== undefined && now - queue.lastPurgeAt < PURGE_INTERVAL_MS) {
      throw new SqsError('PurgeQueueInProgress', 'AWS.SimpleQueueService.PurgeQueueInProgress',
        `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`);
    }
    queue.lastPurgeAt = now;
    queue.messages = [];
    return {};
  },
};

function send(res, status, payload, headers = {}) {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': crypto.randomUUID(),
    ...headers,
  });
  res.end(text);
}

function sendError(res, err) {
  send(res, 400, { __type: `com.amazonaws.sqs#${err.type}`, message: err.message }, { 'x-amzn-query-error': `${err.queryCode};Sender` });
}

/** The access key id of the signature (SenderId on AWS is the caller's IAM id; the key id stands in for it). */
function senderOf(req) {
  const match = /Credential=([^/,\s]+)\//.exec(req.headers.authorization || '');
  return match ? match[1] : ACCOUNT;
}

async function handle(req, res, raw) {
  const target = String(req.headers['x-amz-target'] || '');
  const action = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
  if (req.method !== 'POST' || !Object.hasOwn(actions, action)) {
    return send(res, 400, { __type: 'com.amazon.coral.service#UnknownOperationException', message: `Unknown operation ${target}` });
  }
  let body;
  try {
    body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
  } catch {
    return send(res, 400, { __type: 'com.amazon.coral.service#SerializationException', message: 'The request body is not a JSON object.' });
  }
  const context = { senderId: senderOf(req), onClose: fn => res.on('close', fn) };
  try {
    send(res, 200, await actions[action](body, context));
  } catch (err) {
    if (!(err instanceof SqsError)) throw err;
    sendError(res, err);
  }
}

function main() {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--port') port = Number(argv[i + 1]);
    else {
      console.error(`sqs-local: unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(port) || port <= 0) {
    console.error('sqs-local: --port N is required');
    process.exit(2);
  }
  const server = http.createServer((req, res) => {
    const chunks = [];
    // A client that goes away mid-request only ends its own request, never the emulator.
    req.on('error', err => console.error(`sqs-local: ${req.method} ${req.url} aborted (${err.message})`));
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch(err => {
        console.error(err);
        if (!res.headersSent) send(res, 500, { __type: 'com.amazonaws.sqs#InternalError', message: String(err.message) });
      });
    });
  });
  server.listen(port, '127.0.0.1', () => console.log(`sqs-local listening on http://127.0.0.1:${port}`));
  const shutdown = () => {
    setTimeout(() => process.exit(0), 2000); // open keep-alive connections and long polls must not hold the stop up
    server.close(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

if (require.main === module) main();
module.exports = { md5OfAttributes };
