# Echoes the stream record's arguments; a record whose key "id" is "raise" makes it raise.


class DynamoDBStreamsRecordReader:
    def parseRecord(self, streamArn, shardId, eventId, eventName, identityPrincipalId, identityType, sequenceNumber,
                    sizeBytes, streamViewType, approximateCreationDateTime, keys, oldImage, newImage):
        if keys.get("id") == "raise":
            raise KeyError("cannot parse record " + sequenceNumber)
        return {"status": "SUCCESS", "nextRecordType": None, "document": {
            "documentType": "Document", "documentId": keys["id"], "recordType": eventName, "partitionKey": keys["id"],
            "documentMetadata": {}, "documentKeyValuesMap": {
                "args": [streamArn, shardId, eventId, eventName, identityPrincipalId, identityType, sequenceNumber,
                         sizeBytes, streamViewType, approximateCreationDateTime, keys, oldImage, newImage]}}}
