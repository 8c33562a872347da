// A conformance project: each reader echoes the arguments it got, as LetsData's bridge passes them, into its document.
// A message whose body is "raise" makes the reader throw (an error record naming the function). The body is also
// the document's "text", which the vectorizer of this project vectorizes.
export class QueueMessageReader {
  parseMessage(messageId, messageGroupId, messageDeduplicationId, messageAttributes, messageBody) {
    if (messageBody === 'raise') {
      throw new RangeError(`cannot parse message ${messageId}`);
    }
    return {
      status: 'SUCCESS', nextRecordType: null, document: {
        documentType: 'Document', documentId: messageBody, recordType: 'Message', partitionKey: messageBody,
        documentMetadata: {}, documentKeyValuesMap: {
          messageId, messageGroupId: messageGroupId ?? null, messageDeduplicationId: messageDeduplicationId ?? null,
          messageAttributes, messageBody, text: messageBody,
        },
      },
    };
  }
}
