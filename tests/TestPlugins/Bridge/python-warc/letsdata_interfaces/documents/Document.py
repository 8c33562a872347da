class Document:
    """A key-value document, as LetsData's Python interface package has it."""

    def __init__(self, documentType, documentId, recordType, partitionKey, documentMetadata, documentKeyValuesMap):
        self.documentType = documentType
        self.documentId = documentId
        self.recordType = recordType
        self.partitionKey = partitionKey
        self.documentMetadata = documentMetadata
        self.documentKeyValuesMap = documentKeyValuesMap
