from letsdata_interfaces.documents.Document import Document
from letsdata_interfaces.documents.DocumentType import DocumentType
from letsdata_interfaces.documents.ErrorDoc import ErrorDoc
from letsdata_interfaces.readers.model.ParseDocumentResult import ParseDocumentResult
from letsdata_interfaces.readers.model.ParseDocumentResultStatus import ParseDocumentResultStatus
from letsdata_interfaces.readers.model.RecordHintType import RecordHintType
from letsdata_interfaces.readers.model.RecordParseHint import RecordParseHint

FILE_TYPE = "WARC"
RECORD_TYPE = "TargetUri"


class SingleFileParser:
    """One document per WARC request record: its WARC-Target-URI (as the .NET sample TargetUriExtractor)."""

    def getS3FileType(self):
        return FILE_TYPE

    def getResolvedS3FileName(self, s3FileType, fileName):
        self._require(s3FileType)
        return fileName

    def getRecordStartPattern(self, s3FileType):
        self._require(s3FileType)
        return RecordParseHint(RecordHintType.PATTERN, "WARC-Type: request\r\n", -1)

    def getRecordEndPattern(self, s3FileType):
        self._require(s3FileType)
        return RecordParseHint(RecordHintType.PATTERN, "WARC-Type: ", -1)

    def parseDocument(self, s3FileType, s3Filename, offsetBytes, byteArr, startIndex, endIndex):
        self._require(s3FileType)
        record = bytes(byteArr[startIndex:endIndex])
        end = record.find(b"\r\n\r\n")
        if end < 0:
            return self._error(offsetBytes, len(record),
                               "WARC request record has no blank line (\\r\\n\\r\\n) ending its header block")
        uri = None
        for line in record[:end].split(b"\r\n"):
            name, colon, value = line.partition(b":")
            if colon and name.strip().lower() == b"warc-target-uri":
                uri = value.strip(b" \t")
                break
        if uri is None:
            return self._error(offsetBytes, len(record), "WARC request record has no WARC-Target-URI header")
        if len(uri) >= 2 and uri.startswith(b"<") and uri.endswith(b">"):
            uri = uri[1:-1].strip(b" \t")
        uri = uri.decode("utf-8", "replace")
        if not uri:
            return self._error(offsetBytes, len(record), "WARC request record has an empty WARC-Target-URI header")
        document = Document(DocumentType.Document, uri, RECORD_TYPE, uri, None, {"targetUri": uri})
        return ParseDocumentResult(None, document, ParseDocumentResultStatus.SUCCESS)

    @staticmethod
    def _require(s3FileType):
        if s3FileType.upper() != FILE_TYPE:
            raise Exception("unexpected file type " + s3FileType)

    @staticmethod
    def _error(offsetBytes, length, message):
        doc = ErrorDoc(None, RECORD_TYPE, None, None, None, {FILE_TYPE: str(offsetBytes)},
                       {FILE_TYPE: str(offsetBytes + length)}, message)
        return ParseDocumentResult(None, doc, ParseDocumentResultStatus.ERROR)
