# A user's module with a syntax error on line 5: validate must name this file and line.
class SingleFileParser:
    def getS3FileType(self):
        return "WARC"
    def getResolvedS3FileName(self, s3FileType, fileName)
        return fileName
