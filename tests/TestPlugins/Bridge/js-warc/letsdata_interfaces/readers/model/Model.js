export const ParseDocumentResultStatus = Object.freeze({ SUCCESS: 'SUCCESS', ERROR: 'ERROR', SKIP: 'SKIP' });
export const RecordHintType = Object.freeze({ OFFSET: 'OFFSET', PATTERN: 'PATTERN' });

export class RecordParseHint {
  constructor(recordHintType, pattern, offset) {
    this.recordHintType = recordHintType;
    this.pattern = pattern;
    this.offset = offset;
  }
}

export class ParseDocumentResult {
  constructor(nextRecordType, document, status) {
    this.nextRecordType = nextRecordType;
    this.document = document;
    this.status = status;
  }
}
