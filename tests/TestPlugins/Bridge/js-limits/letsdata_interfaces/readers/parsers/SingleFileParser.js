// A parser of lines ("REC ...") that misbehaves on request, for the V8 limits: "REC loop" never returns, "REC bomb"
// allocates without end, "REC globals" reports which Node or host APIs it can reach. Every document carries how many
// records this instance has seen: on V8 one instance serves a whole task.
const probe = (get) => {
  try {
    return typeof get();
  } catch (error) {
    return `${error.name}`;
  }
};

export class SingleFileParser {
  constructor() {
    this.seen = 0;
  }

  getS3FileType() {
    return 'LINES';
  }

  getResolvedS3FileName(s3FileType, fileName) {
    return fileName;
  }

  getRecordStartPattern(s3FileType) {
    return { recordHintType: 'PATTERN', pattern: 'REC ', offset: -1 };
  }

  getRecordEndPattern(s3FileType) {
    return { recordHintType: 'PATTERN', pattern: '\n', offset: -1 };
  }

  parseDocument(s3FileType, s3Filename, offsetBytes, byteArr, startIndex, endIndex) {
    const text = new TextDecoder().decode(byteArr.subarray(startIndex, endIndex));
    this.seen += 1;
    if (text === 'REC loop') {
      for (;;) {
        this.seen += 1;
      }
    }
    if (text === 'REC bomb') {
      const hoard = [];
      for (;;) {
        hoard.push(new Array(100000).fill(hoard.length));
      }
    }
    const values = { text, seen: this.seen };
    if (text === 'REC globals') {
      Object.assign(values, {
        require: probe(() => require), process: probe(() => process), fetch: probe(() => fetch),
        Buffer: probe(() => Buffer),
      });
    }
    return {
      status: 'SUCCESS',
      document: { documentType: 'Document', documentId: String(offsetBytes), documentKeyValuesMap: values },
    };
  }
}
