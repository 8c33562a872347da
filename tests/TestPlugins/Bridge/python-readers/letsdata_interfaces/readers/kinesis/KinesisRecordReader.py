# Echoes the stream record's arguments; a record whose data is "raise" makes it raise.


class KinesisRecordReader:
    def parseMessage(self, streamArn, shardId, partitionKey, sequenceNumber, approximateArrivalTimestamp, data):
        if data == "raise":
            raise ValueError("cannot parse record " + sequenceNumber)
        return {"status": "SUCCESS", "nextRecordType": None, "document": {
            "documentType": "Document", "documentId": data, "recordType": "Record", "partitionKey": partitionKey,
            "documentMetadata": {}, "documentKeyValuesMap": {
                "args": [streamArn, shardId, partitionKey, sequenceNumber, approximateArrivalTimestamp, data]}}}
