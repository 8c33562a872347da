# A conformance project: each reader echoes the arguments it got, as LetsData's bridge passes them, into its document.
# A message whose body is "raise" makes the reader raise (an error record naming the function). The body is also
# the document's "text", which the vectorizer of this project vectorizes.


class QueueMessageReader:
    def parseMessage(self, messageId, messageGroupId, messageDeduplicationId, messageAttributes, messageBody):
        if messageBody == "raise":
            raise ValueError("cannot parse message " + messageId)
        return {"status": "SUCCESS", "nextRecordType": None, "document": {
            "documentType": "Document", "documentId": messageBody, "recordType": "Message", "partitionKey": messageBody,
            "documentMetadata": {}, "documentKeyValuesMap": {
                "messageId": messageId, "messageGroupId": messageGroupId, "messageDeduplicationId": messageDeduplicationId,
                "messageAttributes": messageAttributes, "messageBody": messageBody, "text": messageBody}}}
