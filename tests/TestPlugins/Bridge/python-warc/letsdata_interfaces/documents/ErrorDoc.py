from letsdata_interfaces.documents.DocumentType import DocumentType


class ErrorDoc:
    def __init__(self, documentId, recordType, partitionKey, documentMetadata, documentKeyValuesMap,
                 errorStartoffsetMap, errorEndoffsetMap, errorMessage):
        self.documentType = DocumentType.ErrorDoc
        self.documentId = documentId
        self.recordType = recordType
        self.partitionKey = partitionKey
        self.documentMetadata = documentMetadata
        self.documentKeyValuesMap = documentKeyValuesMap
        self.errorStartoffsetMap = errorStartoffsetMap
        self.errorEndoffsetMap = errorEndoffsetMap
        self.errorMessage = errorMessage
