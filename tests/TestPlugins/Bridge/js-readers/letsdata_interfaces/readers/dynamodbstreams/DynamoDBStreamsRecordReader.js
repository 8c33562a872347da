// Echoes the stream record's arguments; a record whose key "id" is "raise" makes it throw.
export class DynamoDBStreamsRecordReader {
  parseRecord(streamArn, shardId, eventId, eventName, identityPrincipalId, identityType, sequenceNumber, sizeBytes,
    streamViewType, approximateCreationDateTime, keys, oldImage, newImage) {
    if (keys.id === 'raise') {
      throw new TypeError(`cannot parse record ${sequenceNumber}`);
    }
    return {
      status: 'SUCCESS', nextRecordType: null, document: {
        documentType: 'Document', documentId: keys.id, recordType: eventName, partitionKey: keys.id, documentMetadata: {},
        documentKeyValuesMap: {
          args: [streamArn, shardId, eventId, eventName, identityPrincipalId, identityType, sequenceNumber, sizeBytes,
            streamViewType, approximateCreationDateTime, keys, oldImage, newImage],
        },
      },
    };
  }
}
