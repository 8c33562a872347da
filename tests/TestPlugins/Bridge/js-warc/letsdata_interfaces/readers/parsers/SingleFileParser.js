import { Document, DocumentType, ErrorDoc } from '../../documents/Document.js';
import { ParseDocumentResult, ParseDocumentResultStatus, RecordHintType, RecordParseHint } from '../model/Model.js';

const FILE_TYPE = 'WARC';
const RECORD_TYPE = 'TargetUri';
const decoder = new TextDecoder('utf-8');

function requireType(s3FileType) {
  if (s3FileType.toUpperCase() !== FILE_TYPE) {
    throw new Error(`unexpected file type ${s3FileType}`);
  }
}

// Latin-1 keeps byte positions (the header block is ASCII); in chunks, as fromCharCode takes its bytes as arguments.
function latin1(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  }
  return text;
}

function error(offsetBytes, length, message) {
  const doc = new ErrorDoc(null, RECORD_TYPE, null, null, null, { [FILE_TYPE]: String(offsetBytes) },
    { [FILE_TYPE]: String(offsetBytes + length) }, message);
  return new ParseDocumentResult(null, doc, ParseDocumentResultStatus.ERROR);
}

// One document per WARC request record: its WARC-Target-URI (as the .NET sample TargetUriExtractor).
export class SingleFileParser {
  getS3FileType() {
    return FILE_TYPE;
  }

  getResolvedS3FileName(s3FileType, fileName) {
    requireType(s3FileType);
    return fileName;
  }

  getRecordStartPattern(s3FileType) {
    requireType(s3FileType);
    return new RecordParseHint(RecordHintType.PATTERN, 'WARC-Type: request\r\n', -1);
  }

  getRecordEndPattern(s3FileType) {
    requireType(s3FileType);
    return new RecordParseHint(RecordHintType.PATTERN, 'WARC-Type: ', -1);
  }

  parseDocument(s3FileType, s3Filename, offsetBytes, byteArr, startIndex, endIndex) {
    requireType(s3FileType);
    const record = byteArr.subarray(startIndex, endIndex);
    const text = latin1(record);
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) {
      return error(offsetBytes, record.length, 'WARC request record has no blank line (\\r\\n\\r\\n) ending its header block');
    }
    let uri = null;
    for (const line of text.substring(0, end).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon >= 0 && line.substring(0, colon).trim().toLowerCase() === 'warc-target-uri') {
        const start = colon + 1;
        let value = line.substring(start).replace(/^[ \t]+|[ \t]+$/g, '');
        if (value.length >= 2 && value.startsWith('<') && value.endsWith('>')) {
          value = value.substring(1, value.length - 1).replace(/^[ \t]+|[ \t]+$/g, '');
        }
        uri = decoder.decode(Uint8Array.from(value, (c) => c.charCodeAt(0)));
        break;
      }
    }
    if (uri === null) {
      return error(offsetBytes, record.length, 'WARC request record has no WARC-Target-URI header');
    }
    if (uri.length === 0) {
      return error(offsetBytes, record.length, 'WARC request record has an empty WARC-Target-URI header');
    }
    const document = new Document(DocumentType.Document, uri, RECORD_TYPE, uri, null, { targetUri: uri });
    return new ParseDocumentResult(null, document, ParseDocumentResultStatus.SUCCESS);
  }
}
