export const DocumentType = Object.freeze({ Document: 'Document', ErrorDoc: 'ErrorDoc', SkipDoc: 'SkipDoc' });

// A key-value document, as LetsData's JavaScript interface package has it.
export class Document {
  constructor(documentType, documentId, recordType, partitionKey, documentMetadata, documentKeyValuesMap) {
    this.documentType = documentType;
    this.documentId = documentId;
    this.recordType = recordType;
    this.partitionKey = partitionKey;
    this.documentMetadata = documentMetadata;
    this.documentKeyValuesMap = documentKeyValuesMap;
  }
}

export class ErrorDoc {
  constructor(documentId, recordType, partitionKey, documentMetadata, documentKeyValuesMap,
    errorStartoffsetMap, errorEndoffsetMap, errorMessage) {
    this.documentType = DocumentType.ErrorDoc;
    this.documentId = documentId;
    this.recordType = recordType;
    this.partitionKey = partitionKey;
    this.documentMetadata = documentMetadata;
    this.documentKeyValuesMap = documentKeyValuesMap;
    this.errorStartoffsetMap = errorStartoffsetMap;
    this.errorEndoffsetMap = errorEndoffsetMap;
    this.errorMessage = errorMessage;
  }
}
