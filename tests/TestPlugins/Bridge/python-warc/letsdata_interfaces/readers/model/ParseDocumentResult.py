class ParseDocumentResult:
    def __init__(self, nextRecordType, document, status):
        self.nextRecordType = nextRecordType
        self.document = document
        self.status = status
