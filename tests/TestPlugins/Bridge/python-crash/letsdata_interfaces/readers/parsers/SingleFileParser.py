import os


class SingleFileParser:
    """Lines "REC <text>"; a record holding CRASH ends the host process, as a crashing interpreter would, and
    "REC READ <path>" tries to read a file outside the fence (the document says what happened)."""

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
        if text.startswith("REC READ "):
            try:
                with open(text[len("REC READ "):], "rb") as f:
                    text = "read %d bytes" % len(f.read())
            except OSError as error:
                text = type(error).__name__
        return {"nextRecordType": None, "status": "SUCCESS",
                "document": {"documentType": "Document", "documentId": s3Filename + ":" + str(offsetBytes),
                             "recordType": "Line", "partitionKey": s3Filename, "documentMetadata": None,
                             "documentKeyValuesMap": {"text": text}}}
