import os


class SingleFileParser:
    """Lines "REC <text>"; a record holding CRASH ends the host process, as a crashing interpreter would."""

    def getS3FileType(self):
        return "LINES"

    def getResolvedS3FileName(self, s3FileType, fileName):
        return fileName

    def getRecordStartPattern(self, s3FileType):
        return {"recordHintType": "PATTERN", "pattern": "REC ", "offset": -1}

    def getRecordEndPattern(self, s3FileType):
        return {"recordHintType": "PATTERN", "pattern": "\n", "offset": -1}

    def parseDocument(self, s3FileType, s3Filename, offsetBytes, byteArr, startIndex, endIndex):
        text = bytes(byteArr[startIndex:endIndex]).decode("utf-8").strip()
        if "CRASH" in text:
            os._exit(3)
        return {"nextRecordType": None, "status": "SUCCESS",
                "document": {"documentType": "Document", "documentId": s3Filename + ":" + str(offsetBytes),
                             "recordType": "Line", "partitionKey": s3Filename, "documentMetadata": None,
                             "documentKeyValuesMap": {"text": text}}}
