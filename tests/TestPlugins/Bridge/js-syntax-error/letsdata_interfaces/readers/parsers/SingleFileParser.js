// A user's module with a syntax error on line 7: validate must name this file and line.
export class SingleFileParser {
  getS3FileType() {
    return 'WARC';
  }
  getResolvedS3FileName(s3FileType, fileName) {
    return fileName +;
  }
}
